"""Ages as parents write them reach the age-based immunization answer: weeks, words, "bulanan"."""

from __future__ import annotations

import pytest

from tests.support.chat import Chat, text_of


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("bayi saya umur 10 minggu", "10 minggu"),
        ("bayi 10 mgg imunisasinya apa", "10 minggu"),
        ("anak saya 6 minggu, suntik apa", "6 minggu"),
        ("anak umur dua bulan imunisasi apa", "2 bulan"),
    ],
)
async def test_an_age_in_weeks_or_words_gets_the_age_answer(chat: Chat, message: str, shown: str) -> None:
    result = await chat.say(message)
    assert result["intent"] == "imunisasi_usia", result["intent"]
    assert shown in text_of(result)
    assert "DPT" in text_of(result) or "Polio" in text_of(result)
