"""Follow-ups of round 15 (issue 19, bench/RESULTS.md "Round 15: follow-ups and stories by mechanism"), played
through `chat --jsonl` as one resident ("menu" between conversations clears what the last one was about); the
wording is our own."""

from __future__ import annotations

from tests.support.cli import chat_jsonl, intents


def test_a_chat_dpt_told_after_an_answer_is_dapat_not_the_vaccine(env: dict[str, str]) -> None:
    # "blm dpt kartu" tells more about the registration in hand: read by the one vaccine reader
    # (reading.vaccines_named), "dpt" beside "blm" is "dapat", so the statement is no new vaccine subject
    said = chat_jsonl(["cara daftar uhc pemko gmn", "sy udh daftar tp blm dpt kartu"], env)
    assert intents(said) == ["uhc_daftar", "uhc_daftar"]  # not the lost card's entry


def test_a_sibling_fitting_narrowly_better_leaves_not_the_answer_in_hand(env: dict[str, str]) -> None:
    # "gmn aktifin lg?" fits the status check a little better than the inactive card's answer, which says how
    # to activate the card again: the answer in hand is kept unless the sibling fits clearly better
    said = chat_jsonl(["kartu bpjs sy nonaktif knp ya", "gmn aktifin lg?", "menu", "cara cek status bpjs aktif"], env)
    assert intents(said) == ["uhc_nonaktif", "uhc_nonaktif", "menu", "uhc_status"]


def test_whether_all_of_an_age_s_vaccines_are_free_asks_the_cost(env: dict[str, str]) -> None:
    # "semuanya" is the list in hand, beside the cost word: the general entry says where and that it is free
    said = chat_jsonl(["imunisasi anak 4 bulan apa aja ya", "semuanya gratis kan?"], env)
    assert intents(said) == ["imunisasi_usia", "imunisasi"]
