"""Long messages that tell a story: the main question is answered, the next one offered as a button.

Played through the `chat --jsonl` driver. Before clause-level reading these got the fallback:
the story's words dilute every question in it.
"""

from __future__ import annotations

import pytest

from bot.engine.story import NEXT, clauses
from tests.support.chat import Chat, payloads_of, text_of

MEASLES_AND_REJOSARI = (
    "assalamualaikum, maaf mengganggu malam2, anak saya perempuan 10 bulan, waktu 9 bulan kemarin kami lagi "
    "mudik jadi belum sempat suntik campak, apa masih boleh sekarang dan di puskesmas rejosari ada jadwalnya "
    "hari apa ya"
)


async def test_a_story_gets_its_main_question_answered_and_the_second_offered(chat: Chat) -> None:
    result = await chat.say(MEASLES_AND_REJOSARI)
    assert result["intent"] == "imunisasi_kejar"
    assert "MR" in text_of(result)  # measles (MR) can still be caught up
    assert NEXT in payloads_of(result)
    second = await chat.say(f"@btn {NEXT}")
    assert second["intent"].startswith("puskesmas")
    assert "Rejosari" in text_of(second)


async def test_the_offered_question_works_typed_as_its_number(chat: Chat) -> None:
    result = await chat.say(MEASLES_AND_REJOSARI)
    number = payloads_of(result).index(NEXT) + 1
    second = await chat.say(str(number))
    assert "Rejosari" in text_of(second)


async def test_a_story_about_an_elderly_parent_reaches_the_right_topic(chat: Chat) -> None:
    result = await chat.say(
        "Selamat malam. Bapak saya sudah 70 tahun, tinggal sama kami di Tampan. Tensinya sering tinggi, "
        "kemarin diukur 170. Dia jarang mau ke dokter karena takut bayar. Ada tidak pemeriksaan kesehatan gratis "
        "untuk lansia seperti bapak saya?"
    )
    assert result["intent"] in {"ckg", "posbindu", "hipertensi", "lansia"}, result["intent"]


@pytest.mark.parametrize(
    "told",
    [
        "Kemarin saya pergi ke pasar bawah beli ikan sama sayur, terus ketemu teman lama dari Bangkinang, "
        "ngobrol lama sampai sore. Menurut kakak rendang atau gulai yang lebih enak?",
        "lampu jalan depan rumah mati, lapor kemana ya",  # short: the clause that asks is no complaint of ours
    ],
)
async def test_a_story_without_a_question_we_know_is_declined_not_guessed(chat: Chat, told: str) -> None:
    result = await chat.say(told)
    assert result["intent"] in {"fallback", "clarify"}


def test_clauses_split_at_sentences_commas_and_a_second_question() -> None:
    assert clauses("anak saya 10 bulan, belum campak. apa masih boleh dan di puskesmas rejosari ada jadwalnya?") == [
        "anak saya 10 bulan",
        "belum campak",
        "apa masih boleh",
        "dan di puskesmas rejosari ada jadwalnya?",
    ]


async def test_a_story_whose_question_names_nothing_is_answered_by_what_the_whole_story_is_about(chat: Chat) -> None:
    # The question ("apakah ini wajar?") names no topic; the story around it is about a reaction to a shot.
    result = await chat.say(
        "Cucu saya umur 5 bulan kemarin disuntik di posyandu, malamnya rewel dan pahanya bengkak kemerahan. "
        "Sudah dikompres tapi masih nangis terus. Apakah ini wajar?"
    )
    assert result["intent"] == "imunisasi_kipi", result["intent"]


async def test_a_story_told_in_everyday_words_reaches_its_topic(chat: Chat) -> None:
    # "gulanya tinggi" is high blood sugar; the question is about regular check-ups near home.
    result = await chat.say(
        "Ibu saya sudah 60 tahun, tinggal sendiri di Rumbai. Dulu pernah dibilang gulanya tinggi tapi tidak "
        "pernah kontrol lagi karena jauh. Anak-anaknya kerja semua. Bisa tidak dicek rutin dekat rumah?"
    )
    assert result["intent"] == "ptm_kontrol", result["intent"]


async def test_a_story_asking_whether_staff_speak_english_is_no_language_switch(chat: Chat) -> None:
    # "do they speak English?" fits the language setting word for word, but inside a story it asks about the
    # people at the puskesmas: a setting is never a story's answer (better the fallback than "Choose your language").
    result = await chat.say(
        "Good evening. We arrived from Perth last month and my wife is now five months pregnant. Our neighbour "
        "told us about the puskesmas near the market. Can we go there for her check-ups, and do they speak English?"
    )
    assert result["intent"] != "bahasa"
