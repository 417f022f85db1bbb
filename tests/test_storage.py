"""Core storage on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot.engine.state import ConversationState, load_state, save_state
from bot.privacy import pseudonym
from bot.storage import conversations, dedupe, migrations
from bot.storage.conversations import StateConflict
from bot.storage.db import Database
from bot.storage.models import Conversation

KEY = b"storage-test"


async def test_state_round_trip_and_isolation(database: Database) -> None:
    ani = ConversationState(lang="en")
    ani.enter("uhc", "q1", answered=["ya"])
    version = await save_state(database, "telegram:1", KEY, "telegram", ani, 0)
    await save_state(database, "telegram:2", KEY, "telegram", ConversationState(), 0)
    loaded, loaded_version = await load_state(database, "telegram:1", KEY)
    assert (loaded.lang, loaded.flow, loaded.step, loaded.data) == ("en", "uhc", "q1", {"answered": ["ya"]})
    assert loaded_version == version >= 1
    assert (await load_state(database, "telegram:2", KEY))[0].flow is None
    ani.leave()
    assert await save_state(database, "telegram:1", KEY, "telegram", ani, version) == version + 1
    assert (await load_state(database, "telegram:1", KEY))[0].flow is None
    assert await conversations.language_of(database, "telegram:1", KEY) == "en"


async def test_state_is_stored_under_the_pseudonym_only(database: Database) -> None:
    await conversations.save_state(database, "whatsapp:6281234567890", KEY, "whatsapp", '{"lang":"id"}', "id", 0)
    async with database.engine.connect() as conn:
        rows = (await conn.execute(select(Conversation))).all()
    assert [r.user_pseudonym for r in rows] == [pseudonym("whatsapp:6281234567890", KEY)]
    assert not any("6281234567890" in str(value) for value in rows[0])
    assert (await conversations.load_state(database, "whatsapp:6281234567890", b"other-key")).version == 0


async def test_a_stale_save_is_refused(database: Database) -> None:
    save = conversations.save_state
    first = await save(database, "telegram:5", KEY, "telegram", '{"lang":"en"}', "en", 0)
    with pytest.raises(StateConflict):  # someone else made the first row meanwhile
        await save(database, "telegram:5", KEY, "telegram", "{}", "id", 0)
    assert await save(database, "telegram:5", KEY, "telegram", '{"lang":"id"}', "id", first) == first + 1
    with pytest.raises(StateConflict):  # loaded at `first`, but another turn saved the next version
        await save(database, "telegram:5", KEY, "telegram", "{}", "id", first)
    stored = conversations.StoredState('{"lang":"id"}', first + 1)
    assert await conversations.load_state(database, "telegram:5", KEY) == stored


async def test_racing_first_saves_let_exactly_one_win(database: Database) -> None:
    results = await asyncio.gather(
        *(conversations.save_state(database, "telegram:6", KEY, "telegram", f'{{"n":{n}}}', "id", 0) for n in range(4)),
        return_exceptions=True,
    )
    assert sorted(type(r).__name__ for r in results) == ["StateConflict"] * 3 + ["int"]


async def test_update_is_handled_once_even_when_racing(database: Database) -> None:
    results = await asyncio.gather(*(dedupe.first_time(database, "telegram", "42") for _ in range(5)))
    assert sorted(results) == [False, False, False, False, True]
    assert await dedupe.first_time(database, "whatsapp", "42") is True  # ids are per channel


async def test_damaged_state_row_starts_afresh(database: Database) -> None:
    await conversations.save_state(database, "x", KEY, "console", "{not json", "id", 0)
    state, version = await load_state(database, "x", KEY)
    assert state.flow is None and version >= 1


async def test_ping(database: Database) -> None:
    assert await database.ping() is True


@asynccontextmanager
async def _database_at_0002(database: Database, tmp_path: Path) -> AsyncIterator[Database]:
    """A fresh database migrated only to revision 0002 (conversations keyed by the raw user id)."""
    from alembic import command

    from bot.storage.migrations import alembic_config
    from tests.support.postgres import empty_database_like

    async with empty_database_like(database, tmp_path) as old:
        async with old.engine.begin() as conn:
            await conn.run_sync(lambda c: command.upgrade(alembic_config(c), "0002"))
            await conn.execute(
                text("INSERT INTO conversations (user_key, channel, state, updated_at) VALUES (:k, :c, :s, :at)"),
                [
                    {"k": "telegram:77", "c": "telegram", "s": '{"lang":"en","flow":"uhc"}', "at": datetime.now(UTC)},
                    {"k": "console:x", "c": "console", "s": "{broken", "at": datetime.now(UTC)},
                ],
            )
        yield old


async def test_migration_0003_turns_user_ids_into_pseudonyms(database: Database, tmp_path: Path) -> None:
    async with _database_at_0002(database, tmp_path) as old:
        await migrations.upgrade(old, KEY)
        state, version = await load_state(old, "telegram:77", KEY)
        assert (state.lang, state.flow, version) == ("en", "uhc", 1)
        assert await conversations.language_of(old, "console:x", KEY) == "id"
        async with old.engine.connect() as conn:
            keys = set(await conn.scalars(select(Conversation.user_pseudonym)))
        assert keys == {pseudonym("telegram:77", KEY), pseudonym("console:x", KEY)}


async def test_migration_0003_without_the_key_drops_old_state(database: Database, tmp_path: Path) -> None:
    async with _database_at_0002(database, tmp_path) as old:
        await migrations.upgrade(old)
        async with old.engine.connect() as conn:
            assert (await conn.execute(select(Conversation))).all() == []


async def test_channels_find_the_users_language_under_the_pseudonym(database: Database) -> None:
    from bot.runtime import recipients_in

    await save_state(database, "telegram:9", KEY, "telegram", ConversationState(lang="en"), 0)
    assert await recipients_in(database, KEY).language("telegram:9") == "en"
    assert await recipients_in(database, KEY).language("telegram:10") == "id"  # not known yet: Indonesian
