"""Per-message language: the detector, and the dialogue answering in the language a message is written in."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine.langdetect import detect
from bot.runtime import Runtime
from tests.support.chat import Chat, text_of
from tests.support.settings import make_settings


@pytest.mark.parametrize(
    "text",
    ["ok", "oke kak", "bcg", "119", "12345", "🙏🙏", "👍", "dpt hb hib", "puskesmas rejosari", "Rejosari", "mr", "tq"],
)
def test_short_neutral_messages_are_not_clear(text: str) -> None:
    assert detect(text, frozenset({"rejosari"})) is None


@pytest.mark.parametrize(
    "text",
    ["what vaccines does my 2 month old baby need", "where is the nearest health center", "my son has a fever"],
)
def test_english_sentences_read_as_english(text: str) -> None:
    assert detect(text) == "en"


@pytest.mark.parametrize(
    "text",
    [
        "gmn cara daftar vaksin anak",
        "anak sy demam dr semalam",
        "udh vaksin tp blm dpt sertifikat",
        "budak ambo demam tak turun",
    ],
)
def test_indonesian_slang_and_riau_malay_read_as_indonesian(text: str) -> None:
    assert detect(text) == "id"


async def test_english_message_is_answered_in_english_without_choosing(chat: Chat) -> None:
    english = await chat.say("what vaccines does my 2 month old baby need")
    assert "reviewed" in text_of(english).lower() and "diperiksa" not in text_of(english).lower()
    neutral = await chat.say("menu")  # not clear: the conversation stays in English
    assert "Choose a topic" in text_of(neutral)
    indonesian = await chat.say("jadwal imunisasi anak umur 2 bulan apa saja")
    assert "reviewed" not in text_of(indonesian).lower()


async def test_a_clear_message_overrides_the_bahasa_choice_for_that_turn_only(chat: Chat) -> None:
    await chat.say("@btn lang:en")
    indonesian = await chat.say("puskesmas buka jam berapa")
    assert "Menu utama" in [b["label"] for r in indonesian["replies"] for b in r["buttons"]]
    neutral = await chat.say("menu")  # not clear: the choice (English) answers
    assert "Choose a topic" in text_of(neutral)


async def test_office_can_keep_the_bahasa_choice(tmp_path: Path, content_dir: Path) -> None:
    office = content_dir / "office.yaml"
    office.write_text(office.read_text().replace("language_follows_message: true", "language_follows_message: false"))
    service = await Runtime.open(make_settings(tmp_path, content=content_dir), watch_interval=None)
    try:
        chat = Chat(service)
        await chat.say("@btn lang:en")
        answer = await chat.say("puskesmas buka jam berapa")
        assert "Main menu" in [b["label"] for r in answer["replies"] for b in r["buttons"]]
    finally:
        await service.close()
