"""Follow-ups of round 16 (issue 19, bench/RESULTS.md "Round 16: follow-ups by mechanism"), played through
`chat --jsonl` as one resident ("menu" between conversations clears what the last one was about); the wording is
our own, written from what residents ask a health office, not from a blind set."""

from __future__ import annotations

from tests.support.cli import chat_jsonl, intents


def test_checking_after_an_inactive_card_is_the_status_check_not_a_step_back(env: dict[str, str]) -> None:
    # "ngeceknya gmn" fits "what is UHC" (the guided check's start, a step back from any entry inside the topic)
    # and the status check alike: the step back is passed over, the status check is what is asked
    said = chat_jsonl(
        [
            "kartu bpjs suami sy tiba2 nonaktif",
            "ngeceknya gmn",
            "menu",
            "bpjs bapak saya mati katanya",
            "trus ngeceknya gmn",
        ],
        env,
    )
    assert intents(said) == ["uhc_nonaktif", "uhc_status", "menu", "uhc_nonaktif", "uhc_status"]


def test_the_puskesmas_asked_by_its_own_name_after_the_posyandu_is_the_puskesmas(env: dict[str, str]) -> None:
    # "puskesmasnya" names the place asked about, it does not point back at the posyandu as "jadwalnya" would
    said = chat_jsonl(
        [
            "mau ke posyandu dekat rumah, jadwalnya kapan",
            "puskesmasnya yang mana ya?",
            "menu",
            "anak sy mau timbang di posyandu",
            "terus puskesmasnya di mana",
        ],
        env,
    )
    assert intents(said)[0] == "posyandu" and intents(said)[3] == "posyandu"
    assert intents(said)[1].startswith("puskesmas") and intents(said)[4].startswith("puskesmas")


def test_a_place_named_plainly_or_a_pointer_of_the_thread_keeps_the_thread(env: dict[str, str]) -> None:
    # "di puskesmas bisa?" after TB asks for the TB check there; "obatnya" points back at the medicine in hand
    said = chat_jsonl(
        [
            "batuk 3 minggu apa harus periksa tbc",
            "di puskesmas bisa?",
            "menu",
            "obat darah tinggi bisa ambil rutin tiap bulan?",
            "obatnya ada di puskesmas?",
        ],
        env,
    )
    assert intents(said) == ["tbc", "tbc", "menu", "ptm_kontrol", "ptm_kontrol"]


def test_a_short_message_after_a_question_not_understood_is_asked_about(env: dict[str, str]) -> None:
    # "hrs bawa dokumen apa" leans on the question before it, which the bot declined: its best entry alone (the UHC
    # documents) is no answer to it; after a greeting, or naming its own topic, the message is read as before
    said = chat_jsonl(
        [
            "min jual pulsa ga?",
            "hrs bawa dokumen apa",
            "menu",
            "halo",
            "hrs bawa dokumen apa",
            "menu",
            "kos murah di panam dmn ya",
            "klo di posyandu dikasih vitamin apa",
        ],
        env,
    )
    assert intents(said) == ["fallback", "clarify", "menu", "greeting", "uhc_dokumen", "menu", "fallback", "vitamin_a"]
