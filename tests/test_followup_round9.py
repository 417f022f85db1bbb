"""Follow-ups and short messages of round 9: "juga" asks the answer in hand again of another subject, a question
with an aside told beside it, waiting for the officer, "dekat sini" after sharing a location. Played through
`chat --jsonl` as one resident ("menu" between conversations clears what the last one was about); the wording
is our own."""

from __future__ import annotations

import pytest

from tests.support.chat import text_of
from tests.support.cli import chat_jsonl, intents


def test_also_asks_the_answer_in_hand_of_another_subject(env: dict[str, str]) -> None:
    # "anak sekolah" alone is the school immunization's (BIAS) words; after the free health check it asks that check.
    said = chat_jsonl(
        ["apa itu ckg", "anak sekolah juga bisa?", "menu", "cek kesehatan gratis itu apa", "lansia pun boleh?"], env
    )
    assert intents(said) == ["ckg", "ckg", "menu", "ckg", "ckg"]


def test_a_new_topic_with_also_in_a_longer_message_stands_alone(env: dict[str, str]) -> None:
    said = chat_jsonl(["apa itu ckg", "kalau imunisasi campak anak 9 bulan juga gratis di puskesmas?"], env)
    # Or the learned second opinion asks which immunisation answer is meant (its age or its cost: topic_gate.py)
    offered = [b["payload"] for r in said[1]["replies"] for b in r["buttons"] if b["payload"].startswith("intent:")]
    asks = said[1]["intent"] == "clarify" and offered and all(p.startswith("intent:imunisasi") for p in offered)
    assert intents(said)[1].startswith("imunisasi") or asks


def test_a_question_with_an_aside_beside_it_is_answered(env: dict[str, str]) -> None:
    # The aside's words weigh the whole message below the story reading's bar, or lean to another topic ("kader"
    # is the posyandu's word); its one question says all of an entry.
    said = chat_jsonl(
        ["CKG itu apa ya? sering dengar di radio", "ckg itu apa ya? bapak saya diajak kader kemarin"], env
    )
    assert intents(said) == ["ckg", "ckg"]


def test_an_aside_with_a_question_of_no_topic_is_still_declined(env: dict[str, str]) -> None:
    said = chat_jsonl(["jalan berlubang, lapor kemana"], env)
    assert intents(said) == ["fallback"]


def test_asking_when_the_officer_replies_is_about_the_wait(env: dict[str, str]) -> None:
    said = chat_jsonl(["saya mau bicara dengan petugas", "kapan dibalasnya?", "masih lama?"], env)
    assert intents(said) == ["handover", "handover", "handover"]
    assert "petugas" in text_of(said[1])


@pytest.mark.parametrize(
    "message", ["ada puskesmas dekat sini? mau periksa gigi", "puskesmas yang buka sekarang dekat sini ada?"]
)
def test_near_here_after_sharing_a_location_is_the_nearest_from_it(env: dict[str, str], message: str) -> None:
    said = chat_jsonl(["@loc 0.5071 101.4478", message], env)
    assert intents(said) == ["puskesmas", "puskesmas"]
    assert not said[1]["replies"][0]["location_request"] or "lokasi Anda:" in text_of(said[1])
    assert "kirim lokasi" not in text_of(said[1]).lower()


def test_what_this_number_is_gets_who_we_are(env: dict[str, str]) -> None:
    said = chat_jsonl(["ini nomor apa ya?", "what is this number for?"], env)
    assert intents(said) == ["smalltalk", "smalltalk"]
    assert "TanyaSehat" in text_of(said[0])


def test_a_card_alive_or_dead_asks_its_status(env: dict[str, str]) -> None:
    said = chat_jsonl(["gimana caranya tau bpjs sy masih idup ato udah mati"], env)
    assert intents(said) == ["uhc_status"]
