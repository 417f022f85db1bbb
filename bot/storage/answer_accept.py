"""Group accept: the updates of one channel that webhooks hand over in the same loop round, recorded together.

On PostgreSQL every single-update accept (nearly every webhook request) waits for the next loop round, and
all that arrived by then are recorded in ONE statement: the INSERT .. ON CONFLICT DO NOTHING that is also
the dedupe, and for each new update the conversation row of its chat, read in the same statement and kept
as `load_state` keeps what it reads (conversations.read_elsewhere), so the turn starts without a round trip
of its own; the save's version check still decides whether that copy was current. One round trip and one
commit for the group, not two round trips and a commit per update. Each request still hears 200 only once
its update is committed. A group whose statement fails is recorded again update by update, so one update the
database refuses cannot make its neighbours' webhooks fail.

SQLite (statements on the loop's thread, microseconds each), PostgreSQL through another driver than asyncpg,
and accepts of several updates at once go straight to `answer_outbox.accept`; on SQLite a single update's
accept reads its chat's conversation row in the same driver call (answer_outbox.accept's `key`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.storage import conversations, fast
from bot.storage.answer_rows import PENDING, Accepted, AnswerRow
from bot.storage.db import Database
from bot.storage.models import Conversation
from bot.storage.outbox import utc

AcceptOne = Callable[..., Any]  # the plain accept, for what is not grouped: (updates, now, key=None) -> {id: row}

_ACCEPT_GROUP = f"""
WITH v AS (
    SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[])
        WITH ORDINALITY AS v(update_id, chat, payload, received_at, due_at, key, n)
), accepted AS (
    INSERT INTO {AnswerRow.__tablename__}
        (channel, update_id, chat, payload, status, sent_parts, attempts, received_at, due_at, error)
    SELECT $1, update_id, chat, payload, $2, 0, 0, received_at, due_at, '' FROM v ORDER BY n
    ON CONFLICT (channel, update_id) DO NOTHING
    RETURNING id, update_id
)
SELECT a.id, a.update_id, v.key, c.state, c.version
FROM accepted a JOIN v ON v.update_id = a.update_id
LEFT JOIN {Conversation.__tablename__} c ON c.user_pseudonym = v.key
"""


@dataclass(slots=True)
class _Waiting:
    update: Accepted
    key: str | None
    at: datetime
    future: asyncio.Future[int | None]  # the new row's id, None when the update was recorded before


class GroupAccept:
    """One channel's accepts on one database (AnswerPath holds one)."""

    def __init__(
        self,
        db: Database,
        channel: str,
        lease: timedelta,
        state_key: Callable[[str], str] | None,
        one_by_one: AcceptOne,
    ) -> None:
        self.db, self.channel, self.lease = db, channel, lease
        self.state_key = state_key  # a chat's key of its conversation row (its pseudonym); None: not read
        self.one_by_one = one_by_one  # answer_outbox.accept for this channel: (updates, now) -> {id: row}
        self._grouped = db.url.get_driver_name() == "asyncpg"  # PostgreSQL on the driver of storage/fast.py
        self._queue: list[_Waiting] = []
        self._task: asyncio.Task[None] | None = None
        self.groups = 0  # statements run (tests, benchmarks)

    async def accept(self, updates: Sequence[Accepted], now: datetime) -> dict[str, int]:
        if len(updates) != 1 or not self._grouped or not updates[0].chat:
            key = self.state_key(updates[0].chat) if len(updates) == 1 and updates[0].chat and self.state_key else None
            result: dict[str, int] = await self.one_by_one(updates, now, key=key)
            return result
        update = updates[0]
        key = self.state_key(update.chat) if self.state_key is not None else None
        waiting = _Waiting(update, key, utc(now), asyncio.get_running_loop().create_future())
        self._queue.append(waiting)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name=f"{self.channel}-group-accept")
        row_id = await waiting.future
        return {} if row_id is None else {update.update_id: row_id}

    async def _run(self) -> None:
        while self._queue:
            await asyncio.sleep(0)  # the accepts handed over in this loop round join the group
            group, self._queue = self._queue, []
            try:
                await self._record(group)
            except Exception as exc:
                if len(group) == 1:
                    _settle(group[0], exc)
                    continue
                for waiting in group:  # one by one: only an update the database refuses fails its webhook
                    try:
                        found = await self.one_by_one([waiting.update], waiting.at)
                    except Exception as one_exc:
                        _settle(waiting, one_exc)
                    else:
                        _settle(waiting, found.get(waiting.update.update_id))

    async def _record(self, group: list[_Waiting]) -> None:
        pool = await self.db.driver()
        lease = self.lease
        args = [
            self.channel, PENDING, [w.update.update_id for w in group], [w.update.chat for w in group],
            [w.update.payload for w in group], [w.at for w in group], [w.at + lease for w in group],
            [w.key for w in group],
        ]  # fmt: skip
        rows = await fast.fetch(pool, _ACCEPT_GROUP, args)
        self.groups += 1
        new: dict[str, int] = {}
        for row_id, update_id, key, state, version in rows:
            new[update_id] = row_id
            if key is not None:
                conversations.read_elsewhere(self.db, key, state, version)
        for waiting in group:  # an update twice in one group (a redelivery racing the first): new once
            _settle(waiting, new.pop(waiting.update.update_id, None))


def _settle(waiting: _Waiting, outcome: int | BaseException | None) -> None:
    if waiting.future.done():  # the webhook's request went away; its row, if new, waits for the retry loop
        return
    if isinstance(outcome, BaseException):
        waiting.future.set_exception(outcome)
    else:
        waiting.future.set_result(outcome)
