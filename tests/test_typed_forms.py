"""Words as residents dictate and type them (round 16, issue 19; bot/engine/typed_forms.py).

Voice-to-text spells acronyms as Indonesian letter names and splits long words; chat leaves vowels out. The sentences are written for this test from how people dictate and type, not taken from the
blind sets.
"""

from __future__ import annotations

import pytest

from bot.engine.understanding import Understanding
from tests.support.chat import Chat
from tests.support.first_answer import shipped_understanding


@pytest.fixture(scope="module")
def u() -> Understanding:
    return shipped_understanding()


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("jadwal vaksin be ce ge", "bcg"),  # dictated letter by letter
        ("periksa ha i ve gratis", "hiv"),
        ("obat te be ce", "tbc"),
        ("suntik de pe te yang kedua", "dpt"),
        ("kartu ka i es saya", "jkn"),  # KIS, which the slang list reads as JKN
        ("daftar pos yandu", "posyandu"),  # a long word dictated in two
        ("ada pos bin du di kelurahan", "posbindu"),
        ("anak saya perlu imun isasi", "imunisasi"),
        ("periksa kehamilan brp kli", "kali"),  # vowels left out
        ("sy lg hmil 3 bln", "hamil"),
    ],
)
def test_dictated_and_thumbed_words_read_as_the_content_says(u: Understanding, typed: str, read: str) -> None:
    assert read in u.normalize(typed).split()


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("hai kak", "hai"),  # a greeting, not "ha i"
        ("minta kapak", "kapak"),  # a word of its own is never read as another
        ("saya pns golongan 2", "pns"),  # three consonants are an acronym as often as a word without vowels
        ("kip kuliah", "kip"),  # a vowel left out inside a word, not at its end
        ("ka sy mau tanya", "kakak"),  # a lone letter name is only a word
        ("di mana posyandu", "posyandu"),  # known words stay apart
    ],
)
def test_known_words_are_left_alone(u: Understanding, typed: str, kept: str) -> None:
    assert kept in u.normalize(typed).split()


async def test_a_dictated_question_is_answered(chat: Chat) -> None:
    result = await chat.say("tes ha i ve di puskesmas bayar ga")
    assert result["intent"] == "hiv"
    result = await chat.say("kapan jadwal pos yandu balita")
    assert result["intent"] == "posyandu"
