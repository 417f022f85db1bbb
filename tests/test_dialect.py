"""Riau Malay and Minang, as Pekanbaru residents write them, understood through content/language.yaml.

Played through the `chat --jsonl` driver. The words are content (staff add more); these messages
are written fresh for the test, not copied from the content's question variants.
"""

from __future__ import annotations

import pytest

from bot.engine.understanding import Understanding
from tests.support.chat import Chat
from tests.support.shipped import shipped_content

CASES = [
    ("anak den demam, bisa imunisasi indak?", "imunisasi_sakit"),
    ("baa caronyo daftar bpjs gratis?", "uhc_daftar"),
    ("amak ambo darah tinggi, ubek nyo bisa ambiak di puskesmas?", "ptm_kontrol"),
    ("bilo jadwal posyandu bulan iko?", "posyandu"),
    ("kini umur anak ambo 9 bulan, suntik apo?", "imunisasi_usia"),
    ("dimane puskesmas yang dekat dari sini", "puskesmas"),
    ("berape lame obat tbc tu kene minum?", "tbc"),
    ("budak ambo dah 4 bulan, nak suntik ape ye", "imunisasi_usia"),  # "ye" is "ya"
    pytest.param(
        "laki saya tido je lepas disuntik, ape nak buat",  # "ape nak buat": what to do
        "imunisasi_perawatan",
        marks=pytest.mark.xfail(
            strict=True,
            reason="round 11, residents' phrasings shipped: the words tie imunisasi_kipi 0.4165 and imunisasi_perawatan"
            " 0.4128 (siblings the blind labels both accept), below UNSURE: the fallback. A sibling pick by the second"
            " opinion fixed this row but made a confident wrong answer on held-out J (J334) and none right: not kept"
            " (bench/RESULTS.md, round 11)",
        ),
    ),
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


# --- round 7: the word rules behind whole families (bot/engine/colloquial.py, bot/engine/normalize.py) ---


@pytest.fixture(scope="module")
def u() -> Understanding:
    return Understanding(shipped_content())


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # Riau Malay "e" and Minang "o" for a final "a", towards words the content uses
        ("harge obat tu berape", "harga obat itu berapa"),
        ("anak ambo tigo", "anak saya 3"),
        ("kerjo di mane", "kerja dimana"),
        # their "-nye"/"-nyo" for "-nya"; a listed slang word keeps its own reading
        ("jadwalnye bile", "jadwalnya kapan"),
        ("berape lame berubatnyo", "berapa lama berobat"),
        # words further from Indonesian, listed in content/language.yaml
        ("buke pukol bape", "buka jam berapa"),
        ("umo anak ambo", "umur anak saya"),
    ],
)
def test_malay_word_forms_become_indonesian(u: Understanding, typed: str, expected: str) -> None:
    assert u.normalize(typed) == expected


@pytest.mark.parametrize("word", ["rate", "site", "note", "patiently", "weather", "project", "losing", "wants"])
def test_english_words_are_not_bent_into_indonesian(u: Understanding, word: str) -> None:
    assert u.normalize(f"what is the {word}").split()[-1] == word


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("puskesmas kat sail bukak sampai pukol bape", "puskesmas_jam"),
        ("cucu ambo umo due tahun, ado vaksin yang kene dapat lagi?", "imunisasi_usia"),
    ],
)
async def test_malay_word_forms_reach_the_topic(chat: Chat, message: str, intent: str) -> None:
    result = await chat.say(message)
    assert result["intent"] == intent, result
