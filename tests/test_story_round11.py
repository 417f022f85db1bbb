"""Stories whose question fits nothing by itself (round 11, issue 19): "ada ga tempat kontrol yg murah?" after the
resident told their blood pressure is high asks about what was told. The clause that tells it fits an entry well by
itself and the whole story fits that entry best too: that entry answers. A story whose told clauses fit nothing well
stays a fallback. Played through `chat --jsonl`; the wording is our own."""

from __future__ import annotations

from tests.support.cli import chat_jsonl, intents


def test_a_story_whose_question_fits_nothing_is_answered_by_what_it_told(env: dict[str, str]) -> None:
    said = chat_jsonl(
        [
            "sy satpam umur 50, tiap hari shift malam. tensi sy tinggi. sy jarang olahraga dan suka ngopi. "
            "ada ga tempat kontrol yg murah deket kantor?",
            "menu",
            "sy pensiunan guru, anak sy kerja di luar kota. cucu sy kelas 9 nginep di rumah. "
            "ada tempat les yg murah deket sini ga?",
        ],
        env,
    )
    assert intents(said) == ["hipertensi", "menu", "fallback"]
