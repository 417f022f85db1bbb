"""Follow-ups and small talk in a thread (round 13, issue 19, bench/RESULTS.md): a short follow-up made of
the answer in hand's own words stays with that answer though it stands as another topic's question ("kelas ..."
after the school vaccines is a school class, not a BPJS class); a compliment word with a question word in a live
thread asks the thread. Played through
`chat --jsonl` as one resident ("menu" between conversations clears what the last one was about); the wording is
our own."""

from __future__ import annotations

from tests.support.cli import chat_jsonl, intents


def test_a_word_of_the_answer_in_hand_is_read_with_that_answer(env: dict[str, str]) -> None:
    said = chat_jsonl(["imunisasi anak sekolah dasar apa saja", "kelas berapa aja ya?"], env)
    assert intents(said) == ["imunisasi_bias", "imunisasi_bias"]  # not the BPJS ward class


def test_a_follow_up_naming_its_own_topic_still_leaves_the_answer_in_hand(env: dict[str, str]) -> None:
    said = chat_jsonl(["imunisasi anak sekolah dasar apa saja", "kelas rawat bpjs pemko berapa?"], env)
    assert intents(said)[1] == "uhc_kelas"


def test_the_words_of_a_fresh_conversation_are_not_read_against_an_answer(env: dict[str, str]) -> None:
    said = chat_jsonl(["kelas berapa?"], env)
    assert intents(said) == ["uhc_kelas"]


def test_a_compliment_word_with_a_question_word_in_a_thread_asks_the_thread(env: dict[str, str]) -> None:
    said = chat_jsonl(["bayi 6 bulan mulai mpasi pakai apa", "yg bagus apa aja kak", "menu", "mantap, makasih ya"], env)
    assert intents(said)[1] != "smalltalk"
    assert intents(said)[3] == "smalltalk"  # a compliment alone is still small talk
