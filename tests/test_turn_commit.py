"""A turn's state save is committed with its stored answer (storage/turn_writes.py), on both databases.

The version check moves into the answer's group commit: a save refused there (another process saved
the user's state since the turn loaded it) stores nothing of the turn, and the answering path does the
turn again on the fresh state, so no change is lost, no answer is stored or sent twice, and the query
log gets one row per message.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.channels.answering import AnswerPath, Timing
from bot.delivery import SendResult
from bot.engine.types import Reply
from bot.privacy import pseudonym
from bot.storage import answer_outbox as outbox
from bot.storage import conversations, turn_writes
from bot.storage.answer_outbox import Accepted, Progress
from bot.storage.db import Database
from bot.storage.turn_writes import StateSave
from tests.support.telegram_api import FakeTelegram, callback_update, text_update
from tests.support.telegram_harness import telegram_settings, webhook_bot

KEY = b"turn-commit"
USER = "telegram:5151"


class _Process:
    """One process's answering path whose turn appends the message to the user's state (a list)."""

    def __init__(self, db: Database, barrier: asyncio.Barrier, logged: list[str]) -> None:
        self.channel = "telegram"
        self.db, self.barrier, self.logged = db, barrier, logged
        self.turns: list[str] = []
        self.sent: list[str] = []
        self.path = AnswerPath(db, self, Timing(poll=0.05))

    async def answer(self, payload: str) -> tuple[Reply, ...]:
        stored = await conversations.load_state(self.db, USER, KEY)
        said = [*json.loads(stored.state or "[]"), payload]
        if not self.turns:
            await self.barrier.wait()  # both processes loaded the same version before either commits
        self.turns.append(payload)
        await conversations.save_state(self.db, USER, KEY, "telegram", json.dumps(said), "id", stored.version)
        held = turn_writes.current()
        assert held is not None and held.save is not None  # held for the commit, not written yet
        held.after_commit(lambda: self.logged.append(payload))  # as the query log's row waits
        return (Reply(f"ok {payload}"),)

    async def render(self, chat: str, reply: Reply) -> list[str]:
        return [reply.text]

    async def post(self, chat: str, message: str) -> SendResult:
        self.sent.append(message)
        return SendResult(ok=True)

    async def gone(self, chat: str) -> None:
        raise AssertionError("nobody blocked the bot")


def _twin(database: Database) -> Database:
    return Database(database.url.render_as_string(hide_password=False), schema=database.schema)


async def test_a_conflict_at_the_answers_commit_redoes_the_turn_and_loses_nothing(database: Database) -> None:
    barrier, logged = asyncio.Barrier(2), []
    one, two = _Process(_twin(database), barrier, logged), _Process(_twin(database), barrier, logged)
    try:
        await asyncio.gather(
            one.path.accept([Accepted("1", USER, "pertama")]), two.path.accept([Accepted("2", USER, "kedua")])
        )
        await asyncio.gather(one.path.drain(), two.path.drain())
        stored = await conversations.load_state(database, USER, KEY)
    finally:
        await one.path.close()
        await two.path.close()
        await one.db.dispose()
        await two.db.dispose()
    assert sorted(json.loads(stored.state or "[]")) == ["kedua", "pertama"]  # both changes kept
    assert len(one.turns) + len(two.turns) == 3  # the turn that lost the race was done again, once
    assert sorted(one.sent + two.sent) == ["ok kedua", "ok pertama"]  # each answer sent once
    assert sorted(logged) == ["kedua", "pertama"]  # the thrown-away turn was not logged
    assert [r.status for r in await outbox.rows(database)] == [outbox.SENT, outbox.SENT]


async def test_a_row_is_stored_only_with_its_turns_save(database: Database) -> None:
    now = datetime.now(UTC)
    ids = await outbox.accept(
        database, "telegram", [Accepted(str(i), f"telegram:{i}", "{}") for i in range(3)], now, timedelta(minutes=1)
    )
    old = await conversations.save_state(database, "telegram:1", KEY, "telegram", "[]", "id", 0)
    await conversations.save_state(database, "telegram:1", KEY, "telegram", '["newer"]', "id", old)

    def save(user: str, expected: int) -> StateSave:
        key = pseudonym(user, KEY)
        return StateSave(key, "telegram", f'["{user}"]', "en", expected, expected + 7, now)

    progress = [Progress(ids[str(i)], outbox.ANSWERED, '["r"]', 0, 0, now) for i in range(3)]
    refused = await outbox.record(database, progress, [save("telegram:0", 0), save("telegram:1", old), None])
    assert refused == {ids["1"]}  # saved at `old`, but the row moved on: nothing of that turn is stored
    by_id = {r.id: r.status for r in await outbox.rows(database)}
    assert by_id == {ids["0"]: outbox.ANSWERED, ids["1"]: outbox.PENDING, ids["2"]: outbox.ANSWERED}
    assert (await conversations.load_state(database, "telegram:0", KEY)).state == '["telegram:0"]'
    assert (await conversations.load_state(database, "telegram:1", KEY)).state == '["newer"]'


async def test_hapusdata_through_the_webhook_writes_no_state_back(tmp_path: Path, database_url: str) -> None:
    """The erasing turn's own state save is held: the erase drops it, so nothing of the user is written back."""
    async with FakeTelegram() as tg, webhook_bot(telegram_settings(tmp_path, tg, database_url), tg) as bot:
        await bot.deliver(text_update(1, 4343, "halo"))
        await bot.deliver(text_update(2, 4343, "/bahasa english"))
        assert (await bot.deliver(text_update(3, 4343, "/hapusdata"))).intent == "erase.ask"
        assert (await bot.deliver(callback_update(4, 4343, "hapus:ya"))).intent == "erase.done"
        db = bot.service.db
        gone = await conversations.load_state(_twin(db), "telegram:4343", bot.service.settings.pseudonym_secret())
        assert gone == conversations.StoredState(None, 0)  # read from the database, not a kept copy
        await bot.deliver(text_update(5, 4343, "halo"))  # a new conversation starts afresh, in Indonesian
        again = await conversations.load_state(db, "telegram:4343", bot.service.settings.pseudonym_secret())
        assert again.state is not None and '"lang_chosen":false' in again.state
