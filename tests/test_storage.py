"""Core storage on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

import asyncio

from bot.engine.state import ConversationState
from bot.storage import conversations, dedupe
from bot.storage.db import Database


async def test_state_round_trip_and_isolation(database: Database) -> None:
    ani = ConversationState(lang="en")
    ani.enter("uhc", "q1", answered=["ya"])
    await conversations.save_state(database, "telegram:1", "telegram", ani)
    await conversations.save_state(database, "telegram:2", "telegram", ConversationState())
    loaded = await conversations.load_state(database, "telegram:1")
    assert (loaded.lang, loaded.flow, loaded.step, loaded.data) == ("en", "uhc", "q1", {"answered": ["ya"]})
    assert (await conversations.load_state(database, "telegram:2")).flow is None
    ani.leave()
    await conversations.save_state(database, "telegram:1", "telegram", ani)
    assert (await conversations.load_state(database, "telegram:1")).flow is None
    await conversations.delete_state(database, "telegram:1")
    assert (await conversations.load_state(database, "telegram:1")).lang == "id"


async def test_update_is_handled_once_even_when_racing(database: Database) -> None:
    results = await asyncio.gather(*(dedupe.first_time(database, "telegram", "42") for _ in range(5)))
    assert sorted(results) == [False, False, False, False, True]
    assert await dedupe.first_time(database, "whatsapp", "42") is True  # ids are per channel


async def test_damaged_state_row_starts_afresh(database: Database) -> None:
    from bot.storage.models import Conversation

    async with database.session() as session:
        from datetime import UTC, datetime

        session.add(Conversation(user_key="x", channel="console", state="{not json", updated_at=datetime.now(UTC)))
    assert (await conversations.load_state(database, "x")).flow is None


async def test_ping(database: Database) -> None:
    assert await database.ping() is True
