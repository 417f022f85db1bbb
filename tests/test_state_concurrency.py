"""One user, two processes: two turns racing on the same conversation row never lose a change."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.engine.dialogue import Dialogue
from bot.engine.state import load_state
from bot.engine.turn import Turn
from bot.engine.types import Inbound, Outcome
from bot.knowledge.content import load_content
from bot.storage import conversations, erase
from bot.storage.conversations import StateConflict
from bot.storage.db import Database
from tests.support.settings import CONTENT

KEY = b"two-processes"
USER = "telegram:4242"


def _process(database: Database, barrier: asyncio.Barrier) -> tuple[Dialogue, Database]:
    """A Dialogue on its own Database object (own engine and pool), as a second process has."""
    content, problems = load_content(CONTENT)
    assert content is not None, problems.errors
    db = Database(database.url.render_as_string(hide_password=False), schema=database.schema)
    first = True

    async def meet(turn: Turn, outcome: Outcome) -> None:
        # Both turns have loaded the same version before either saves: the race, every time.
        nonlocal first
        if first:
            first = False
            await barrier.wait()

    return Dialogue(lambda: content, db, after_turn=meet, pseudonym_secret=KEY), db


async def test_a_language_choice_racing_another_message_is_kept(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(conversations, "FIRST_VERSIONS", (1, 1))  # a new row at version 1: count the saves
    barrier = asyncio.Barrier(2)
    (one, db_one), (two, db_two) = _process(database, barrier), _process(database, barrier)
    at = datetime(2026, 11, 30, 3, tzinfo=UTC)
    try:
        chose, greeted = await asyncio.gather(
            one.handle(Inbound(USER, "telegram", text="/bahasa english", at=at)),
            two.handle(Inbound(USER, "telegram", text="halo", at=at)),
        )
        state, version = await load_state(database, USER, KEY)
    finally:
        await db_one.dispose()
        await db_two.dispose()
    assert (chose.intent, greeted.intent) == ("bahasa", "greeting")
    assert (state.lang, state.lang_chosen) == ("en", True)  # the choice survived the other turn's save
    assert version == 2  # both turns saved, one after the other


async def test_a_row_kept_by_one_process_is_never_written_over_anothers_newer_save(database: Database) -> None:
    one = Database(database.url.render_as_string(hide_password=False), schema=database.schema)
    two = Database(database.url.render_as_string(hide_password=False), schema=database.schema)
    save, load = conversations.save_state, conversations.load_state
    try:
        kept = await save(one, USER, KEY, "telegram", '{"lang":"id"}', "id", 0)  # `one` keeps this row
        newer = await save(two, USER, KEY, "telegram", '{"lang":"en"}', "en", (await load(two, USER, KEY)).version)
        assert (await load(one, USER, KEY)).version == kept  # read without a round trip: stale
        with pytest.raises(StateConflict):  # its save is refused, and the kept row dropped
            await save(one, USER, KEY, "telegram", '{"lang":"ms"}', "ms", kept)
        assert await load(one, USER, KEY) == conversations.StoredState('{"lang":"en"}', newer)

        # Erased by `two` (/hapusdata) and made again there as often: `one`'s copy still cannot win.
        await erase.erase_user(two, USER, KEY)
        version = 0
        for _ in range(newer - kept + 1):
            version = await save(two, USER, KEY, "telegram", '{"lang":"id","data":{"new":1}}', "id", version)
        with pytest.raises(StateConflict):
            await save(one, USER, KEY, "telegram", '{"lang":"en","data":{"old":1}}', "en", newer)
        assert (await load(database, USER, KEY)).state == '{"lang":"id","data":{"new":1}}'
        assert (await load(two, USER, KEY)).version == version  # the process that erased dropped its copy
    finally:
        await one.dispose()
        await two.dispose()
