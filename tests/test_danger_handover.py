"""Danger wins during a handover too: 119 at once, and the officer's thread shows the message, marked."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from bot.storage import handover as store
from tests.support.chat import Chat, text_of


@pytest.mark.parametrize("claimed", [False, True])
@pytest.mark.parametrize(
    "message",
    ["anak saya kejang dan tidak sadar", "my dad is clutching his chest and sweating, he looks grey"],
)
async def test_a_danger_sign_during_a_handover_reaches_119_and_the_officers_thread(
    service: Runtime, claimed: bool, message: str
) -> None:
    chat = Chat(service, user="ani")
    await chat.say("mau bicara dengan petugas")
    case = await store.current(service.db, "console:ani")
    assert case is not None
    if claimed:
        assert await store.claim(service.db, case.id, "petugas")
    result = await chat.say(message)
    assert result["intent"] == "emergency" and "119" in text_of(result)
    events = await store.events(service.db, case.id)
    assert [e.text for e in events if e.kind == store.DANGER] == [message]
    assert await store.current(service.db, "console:ani") is not None  # the officer still has the chat
