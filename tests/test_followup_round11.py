"""Follow-ups read against the conversation (round 11, issue 19): a short message that asks the answer in hand again,
of another of its places ("yg lain?") or of another subject ("... too?"), in words that fit no entry of their own.
Played through `chat --jsonl` as one resident ("menu" between conversations clears what the last one was about);
the wording is our own."""

from __future__ import annotations

from tests.support.cli import chat_jsonl, intents


def test_a_short_follow_up_asking_the_answer_in_hand_again_gets_it_again(env: dict[str, str]) -> None:
    said = chat_jsonl(
        [
            "@loc 0.4800 101.4500",
            "yg lain ga ada? kejauhan semua",
            "menu",
            "igd rumah sakit di pekanbaru apa saja",
            "do expats pay too?",
        ],
        env,
    )
    assert intents(said)[:2] == ["puskesmas", "puskesmas"]  # the nearest ones again, not "Maaf, belum paham"
    assert intents(said)[3:] == ["rumah_sakit", "rumah_sakit"]


def test_a_follow_up_opening_with_kalau_and_a_subject_of_its_own_is_not_read_as_asked_again(
    env: dict[str, str],
) -> None:
    said = chat_jsonl(["@loc 0.4800 101.4500", "kalau jual obat cacing ada gk"], env)
    assert intents(said)[1] != "puskesmas"
