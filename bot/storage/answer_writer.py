"""Group commit for the answering path: the progress of rows answered at the same time, written together."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from bot.storage import conversations
from bot.storage.answer_progress import record
from bot.storage.answer_rows import Progress
from bot.storage.conversations import StateConflict
from bot.storage.db import Database
from bot.storage.turn_writes import StateSave, TurnWrites

log = logging.getLogger("bot.storage.answer_outbox")  # the name its warnings always had


class Writer:
    """Group commit: progress of rows answered at the same time is written in one transaction, each
    with its turn's held state save (turn_writes.py).

    `write` waits until its row is committed (an answer is stored before it is sent) and raises
    StateConflict when its turn's save was refused (the turn is to be done again); `note` does not
    wait (a row marked sent: losing that mark in a crash only risks a resend).
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._queue: list[_Item] = []
        self._task: asyncio.Task[None] | None = None
        self.failing = False  # the last write failed: marks wait in memory for the database
        self._settled = asyncio.Event()  # nothing queued, or the database refuses what is
        self._settled.set()

    async def write(self, progress: Progress, turn: TurnWrites | None = None) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._put(_Item(progress, future, turn))
        await future

    def note(self, progress: Progress) -> None:
        self._put(_Item(progress, None, None))

    def _put(self, item: _Item) -> None:
        self._queue.append(item)
        self._settled.clear()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="answer-outbox-writer")

    def _next_batch(self) -> list[_Item]:
        """What is queued, but one save per user in a transaction (a second waits for the next one)."""
        batch: list[_Item] = []
        keys: set[str] = set()
        later: list[_Item] = []
        for item in self._queue:
            key = item.save.key if item.save is not None else None
            if key is not None and key in keys:
                later.append(item)
                continue
            if key is not None:
                keys.add(key)
            batch.append(item)
        self._queue = later
        return batch

    async def _run(self) -> None:
        self.failing = False
        failures = 0
        while self._queue:
            # A first pass lets the turns finishing in this loop round add theirs; after a failure, wait.
            await asyncio.sleep(min(0.1 * 2**failures, 5.0) if failures else 0)
            batch = self._next_batch()
            try:
                # marks alone (nobody waits for them) may be committed without waiting for the disk
                durable = any(i.future is not None or i.turn is not None for i in batch)
                refused = await record(self.db, [i.progress for i in batch], [i.save for i in batch], durable=durable)
            except Exception as exc:
                failures += 1
                self.failing = True
                self._settled.set()
                for item in batch:
                    if item.save is not None:
                        conversations.refused(self.db, item.save)
                    if item.future is not None and not item.future.done():
                        item.future.set_exception(exc)
                # 'sent' marks are kept until the database takes them: a lost one means a resend.
                self._queue[:0] = [i for i in batch if i.future is None]
                if failures == 1:
                    log.warning("answer outbox: database unavailable, %d marks waiting: %s", len(self._queue), exc)
                continue
            failures = 0
            self.failing = False
            for item in batch:
                item.settle(self.db, item.progress.id in refused)
        self._settled.set()

    async def idle(self) -> None:
        """Until everything queued so far is written, or the database refuses it (tests)."""
        await self._settled.wait()

    async def close(self, grace: float = 10.0) -> None:
        """Write what is queued (shutdown), for at most `grace` seconds; then the marks are lost."""
        if self._task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self._task), grace)
            if self._queue:
                log.error("answer outbox: %d sent answers not recorded (they may be sent again)", len(self._queue))
            self._task.cancel()


@dataclass(slots=True)
class _Item:
    progress: Progress
    future: asyncio.Future[None] | None  # None: a mark nobody waits for
    turn: TurnWrites | None  # the turn's held writes, committed with this row

    @property
    def save(self) -> StateSave | None:
        return self.turn.save if self.turn is not None else None

    def settle(self, db: Database, refused: bool) -> None:
        """The transaction is committed; this row's turn was refused (a conflict) or is in the database."""
        save = self.save
        if refused and save is not None:
            conversations.refused(db, save)
            if self.future is not None and not self.future.done():
                self.future.set_exception(StateConflict("conversation state changed before the answer was stored"))
            return
        if save is not None:
            conversations.saved(db, save)
        if self.turn is not None:
            self.turn.committed()
        if self.future is not None and not self.future.done():
            self.future.set_result(None)
