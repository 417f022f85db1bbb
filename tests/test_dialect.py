"""Riau Malay and Minang, as Pekanbaru residents write them, understood through content/language.yaml.

Played through the `chat --jsonl` driver. The words are content (staff add more); these messages
are written fresh for the test, not copied from the content's question variants.
"""

from __future__ import annotations

import pytest

from tests.support.chat import Chat

CASES = [
    ("anak den demam, bisa imunisasi indak?", "imunisasi_sakit"),
    ("baa caronyo daftar bpjs gratis?", "uhc_daftar"),
    ("amak ambo darah tinggi, ubek nyo bisa ambiak di puskesmas?", "ptm_kontrol"),
    ("bilo jadwal posyandu bulan iko?", "posyandu"),
    ("kini umur anak ambo 9 bulan, suntik apo?", "imunisasi_usia"),
    ("dimane puskesmas yang dekat dari sini", "puskesmas"),
    ("berape lame obat tbc tu kene minum?", "tbc"),
    ("budak ambo dah 4 bulan, nak suntik ape ye", "imunisasi_usia"),  # "ye" is "ya"
    ("laki saya tido je lepas disuntik, ape nak buat", "imunisasi_perawatan"),  # "ape nak buat": what to do
    # everyday words: a brand name, a chat word, "nya" written apart
    ("vaksin pentabio itu isinya apa", "imunisasi_vaksin"),
    ("tolong kirim notif kalau sudah waktunya imunisasi", "pengingat"),
    ("tensi nya tinggi terus, obatnya bisa rutin di puskesmas?", "ptm_kontrol"),
]


@pytest.mark.parametrize(("message", "intent"), CASES)
async def test_regional_words_reach_the_topic(chat: Chat, message: str, intent: str) -> None:
    result = await chat.say(message)
    assert result["intent"] == intent, result


async def test_minang_numbers_are_numbers(chat: Chat) -> None:
    result = await chat.say("anak ambo umua duo bulan, imunisasi apo?")
    assert result["intent"] == "imunisasi_usia"
    assert "2 bulan" in result["replies"][0]["text"]


async def test_a_place_name_says_where_not_what(chat: Chat) -> None:
    # "Tangkerang Labuai" is a kelurahan: its words must not drown the question about posyandu.
    result = await chat.say("kapan jadwal posyandu di tangkerang labuai")
    assert result["intent"] == "posyandu", result["intent"]


async def test_a_school_class_is_answered_with_the_school_schedule(chat: Chat) -> None:
    result = await chat.say("vaksin apa saja untuk anak kelas 2 sd")
    assert result["intent"] == "imunisasi_bias"
    assert "Kelas 2" in result["replies"][0]["text"]


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("where is the nearest health center", "puskesmas"),
        ("what is the immunisation schedule for babies", "imunisasi_jadwal"),
    ],
)
async def test_british_and_american_spellings_are_one(chat: Chat, message: str, intent: str) -> None:
    result = await chat.say(message)
    assert result["intent"] == intent, result["intent"]
