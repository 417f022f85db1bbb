"""The durable answering path both channels share: accept, answer at once, retry what failed.

A webhook calls `accept` with the updates of one request. They are recorded in the answer
outbox (bot/storage/answer_outbox.py) in one statement that is also the dedupe; only then does
the platform get its 2xx (a database error raises, and the route answers 503 so the platform
delivers again). Each new update is answered at once in this process: the engine's replies are
stored (group commit), then sent. A send that fails is recorded with its next try, and the
retry loop, which also picks up rows whose process died, sends it with exponential backoff
(or the platform's `retry_after`) for up to `Timing.max_age`.

Per chat: one row at a time and in order (an in-process lock, `claim_due` takes only a chat's
oldest unfinished row, and a chat with an answer waiting for a retry queues its new answers
behind it). Across chats nothing is shared while sending: the `in_flight` slots cover the
engine's turn only, so a slow or failing chat holds its own lock and nobody else's capacity.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, Protocol, TypeVar
from weakref import WeakValueDictionary

from bot.delivery import SendResult
from bot.engine.types import Button, Inbound, Location, Reply
from bot.storage import answer_outbox as outbox
from bot.storage import turn_writes
from bot.storage.answer_outbox import ANSWERED, FAILED, PENDING, SENT, Accepted, Progress, Row
from bot.storage.conversations import StateConflict
from bot.storage.db import Database
from bot.storage.turn_writes import TurnWrites

log = logging.getLogger(__name__)

TURN_ATTEMPTS = 5  # a turn whose state another process keeps changing is done again at most this often
IN_HAND = 4096  # updates parsed and not yet answered, kept in hand (more only when redeliveries leave theirs)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Timing:
    """How long things take; tests shorten them, production keeps these."""

    lease: timedelta = timedelta(seconds=60)  # a process answering a row holds it this long
    poll: float = 1.0  # seconds between two looks for due retries
    first_retry: float = 2.0  # seconds before the first retry; doubles every failure
    max_retry: float = 60.0  # never wait longer than this between two tries (unless told to)
    max_age: timedelta = timedelta(hours=24)  # an answer not sent by then is given up
    in_flight: int = 8  # engine turns at once (the database's writers); sending is not limited by it
    retry_chats: int = 64  # chats the retry loop works on at once
    keep: timedelta = timedelta(days=7)  # finished rows kept this long (the dedupe window)
    grace: float = 20.0  # seconds shutdown waits for answers being sent

    def backoff(self, attempts: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return max(retry_after, 0.0)
        return float(min(self.first_retry * 2 ** min(max(attempts - 1, 0), 30), self.max_retry))


class Port(Protocol):
    """What a channel supplies: the engine's answer to a stored update, and its wire."""

    channel: str

    async def answer(self, payload: str) -> tuple[Reply, ...]:
        """The replies to one stored update (its side effects done); () when nothing is to be sent."""
        ...

    async def render(self, chat: str, reply: Reply) -> list[Any]:
        """The wire messages of one reply."""
        ...

    async def post(self, chat: str, message: Any) -> SendResult:
        """Send one wire message."""
        ...

    async def gone(self, chat: str) -> None:
        """The user blocked the bot or cannot be reached."""
        ...


class InHand(Generic[T]):
    """Updates this process parsed at the webhook, by their stored payload: a fresh row's turn starts from the
    object in hand instead of reading the payload again (a redelivery, a retry or another process reads it).
    Bounded: only rows that are not answered here (a redelivery's, a refused accept's) leave theirs behind."""

    def __init__(self, kept: int = IN_HAND) -> None:
        self.kept = kept
        self._by_payload: dict[str, T] = {}

    def keep(self, payload: str, parsed: T) -> None:
        if len(self._by_payload) >= self.kept:
            self._by_payload.clear()
        self._by_payload[payload] = parsed

    def take(self, payload: str) -> T | None:
        return self._by_payload.pop(payload, None)

    def __len__(self) -> int:
        return len(self._by_payload)


class AnswerPath:
    """The answering path of one channel in one process."""

    def __init__(
        self,
        db: Database,
        port: Port,
        timing: Timing | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        state_key: Callable[[str], str] | None = None,
    ) -> None:
        """`state_key`: a chat's key of its conversation row (its pseudonym), so the accept reads the row
        the turn starts from in its own statement (PostgreSQL; storage/answer_accept.py)."""
        self.db, self.port, self.timing, self.clock = db, port, timing or Timing(), clock
        self._accepting = outbox.GroupAccept(db, port.channel, self.timing.lease, state_key, self._accept_plainly)
        self.writer = outbox.Writer(db)
        self._in_flight = asyncio.Semaphore(self.timing.in_flight)
        self._locks: WeakValueDictionary[str, asyncio.Lock] = WeakValueDictionary()
        self._parked: dict[str, set[int]] = {}  # chat -> its rows this process left to the retry loop
        self._tasks: dict[asyncio.Task[None], int] = {}  # task -> the row it works on
        self._retrying = 0
        self._loop: asyncio.Task[None] | None = None
        self._last_prune = 0.0

    # ---- in ----------------------------------------------------------------------------------
    async def accept(self, updates: list[Accepted]) -> int:
        """Record the updates (raises when the database fails: answer non-2xx), answer the new ones."""
        now = self.clock()
        fresh = await self._accepting.accept(updates, now)
        for update in updates:
            row_id = fresh.get(update.update_id)
            if row_id is not None:
                self._spawn(Row(row_id, update.chat, update.payload, PENDING, None, 0, 0, now), fresh=True)
        return len(fresh)

    async def _accept_plainly(
        self, updates: Sequence[Accepted], now: datetime, key: str | None = None
    ) -> dict[str, int]:
        """Updates recorded by their own statement (what the group accept does not group); `key`: the one
        update's conversation row, read with it where the driver allows (SQLite)."""
        return await outbox.accept(self.db, self.port.channel, updates, now, self.timing.lease, key)

    async def deliver(self, key: str, chat: str, replies: tuple[Reply, ...]) -> int | None:
        """Send replies that answer no update (an officer's words) the same durable way: stored first
        under `key`, sent at once in the chat's order, retried; None when `key` was stored before."""
        now, replies_json = self.clock(), dump_replies(replies)
        behind = bool(self._parked.get(chat))  # an earlier answer of this chat waits for a retry: after it
        due = now if behind else now + self.timing.lease
        row_id = await outbox.enqueue(self.db, self.port.channel, key, chat, replies_json, now, due)
        if row_id is not None and not behind:
            self._spawn(Row(row_id, chat, "", ANSWERED, replies_json, 0, 0, now), fresh=True)
        return row_id

    @property
    def backlog(self) -> int:
        """Updates accepted (or retries taken up) and still being worked on in this process."""
        return len(self._tasks)

    def _spawn(self, row: Row, fresh: bool) -> None:
        task = asyncio.create_task(self._work(row, fresh))
        self._tasks[task] = row.id
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.pop(task, None)

    async def drain(self) -> None:
        """Wait until everything handed over so far is sent or given up, retries included (tests)."""
        while self._tasks or self._parked:
            if self._tasks:
                await asyncio.wait(set(self._tasks))
            else:
                await asyncio.sleep(min(self.timing.poll, 0.05))
        await self.writer.idle()

    # ---- one row -----------------------------------------------------------------------------
    async def _work(self, row: Row, fresh: bool) -> None:
        lock = self._locks.get(row.chat)
        if lock is None:
            lock = self._locks[row.chat] = asyncio.Lock()
        try:
            async with lock:
                await self._answer(row, fresh)
        except Exception:  # the row keeps its lease; it is taken up again when the lease runs out
            log.exception("%s: answering an update failed; it will be tried again", self.port.channel)

    async def _answer(self, row: Row, fresh: bool) -> None:
        if row.status == PENDING:
            answered = await self._turn(row, fresh)
            if answered is None:
                return
            replies, replies_json = answered  # the replies in hand: decoded again only on the retry path
        else:
            assert row.replies is not None
            replies_json = row.replies
            replies = load_replies(replies_json)
        await self._send(row, replies, replies_json, fresh)

    async def _turn(self, row: Row, fresh: bool) -> tuple[tuple[Reply, ...], str] | None:
        """The engine's answer (and its stored JSON), stored before it is sent; None when it is not to be sent now.

        The turn's state save is held and committed with the stored answer, in one transaction
        (storage/turn_writes.py); when that commit finds the user's state changed by another process
        since the turn loaded it, nothing of the turn is stored and it is done again on the fresh state.
        While the database fails, the turn (or only the write, once the engine answered) is tried
        again here for half the lease, so a short outage delays the answer instead of waiting for
        the lease to run out; after that the row waits for the retry loop of any process."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timing.lease.total_seconds() / 2
        replies: tuple[Reply, ...] | None = None
        held = TurnWrites()
        failures = conflicts = 0
        while True:
            try:
                async with self._in_flight:
                    if replies is None:
                        held = TurnWrites()
                        with turn_writes.holding(held):
                            replies = await self.port.answer(row.payload)
                    now = self.clock()
                    if not replies:
                        if held.save is None:
                            self.writer.note(Progress(row.id, SENT, None, 0, row.attempts, now))
                            held.committed()
                        else:  # nothing to send, but the state changed: stored (and checked) first
                            await self.writer.write(Progress(row.id, SENT, None, 0, row.attempts, now), held)
                        return None
                    replies_json = dump_replies(replies)
                    if fresh and self._parked.get(row.chat):
                        # An earlier answer of this chat waits for a retry: this one goes after it.
                        await self.writer.write(Progress(row.id, ANSWERED, replies_json, 0, 0, now), held)
                        self._parked[row.chat].add(row.id)
                        return None
                    held_until = now + self.timing.lease
                    await self.writer.write(Progress(row.id, ANSWERED, replies_json, 0, row.attempts, held_until), held)
                    return replies, replies_json
            except StateConflict:
                conflicts += 1
                if conflicts >= TURN_ATTEMPTS:
                    raise  # the row keeps its lease and is taken up again later
                replies = None  # another process saved this user's state meanwhile: the turn again, on it
            except Exception as exc:
                failures += 1
                wait = self.timing.backoff(failures, None)
                if loop.time() + wait > deadline:
                    raise
                log.warning("%s: answering failed (%s): trying again in %.1f s", self.port.channel, exc, wait)
                await asyncio.sleep(wait)

    async def _send(self, row: Row, replies: tuple[Reply, ...], replies_json: str, fresh: bool) -> None:
        sent, result = await self._post_from(row.chat, replies, row.sent_parts)
        now = self.clock()
        if result is None:
            self.writer.note(Progress(row.id, SENT, None, sent, row.attempts, now))
            self._unpark(row)
            return
        attempts = row.attempts + 1
        status, error = ANSWERED, result.error
        if result.blocked:
            await self.port.gone(row.chat)
            status = FAILED
        elif result.retry_after is None and not result.transient:
            status = FAILED  # refused for good (bad request, closed window): trying again changes nothing
        elif now - outbox.utc(row.received_at) >= self.timing.max_age:
            status, error = FAILED, f"given up after {attempts} tries: {result.error}"
        due = now + timedelta(seconds=self.timing.backoff(attempts, result.retry_after))
        if status == FAILED:
            log.error("%s: an answer was not sent: %s", self.port.channel, error)
            self._unpark(row)
        else:
            log.warning(
                "%s: an answer will be tried again in %.0f s: %s", self.port.channel, (due - now).total_seconds(), error
            )
            if fresh:
                self._parked.setdefault(row.chat, set()).add(row.id)
        await self.writer.write(
            Progress(row.id, status, replies_json if status == ANSWERED else None, sent, attempts, due, error)
        )

    async def _post_from(self, chat: str, replies: tuple[Reply, ...], skip: int) -> tuple[int, SendResult | None]:
        """Send every wire message after the first `skip`; (messages sent in all, the failure or None)."""
        index = 0
        for reply in replies:
            for message in await self.port.render(chat, reply):
                if index >= skip:
                    result = await self.port.post(chat, message)
                    if not result.ok:
                        return index, result
                index += 1
        return index, None

    def _unpark(self, row: Row) -> None:
        waiting = self._parked.get(row.chat)
        if waiting is not None:
            waiting.discard(row.id)
            if not waiting:
                del self._parked[row.chat]

    # ---- retries -----------------------------------------------------------------------------
    def start(self) -> None:
        """Run the retry loop (it also takes up rows a stopped process left)."""
        if self._loop is None:
            self._loop = asyncio.create_task(self._retry_loop(), name=f"{self.port.channel}-answer-retries")

    async def _retry_loop(self) -> None:
        while True:
            try:
                await self.retry_due()
            except Exception as exc:  # the database is down: the rows wait in it
                log.warning("%s: looking for answers to retry failed: %s", self.port.channel, exc)
            await asyncio.sleep(self.timing.poll)

    async def retry_due(self) -> int:
        """Take up due rows (one per chat) and work on each in its own task; how many were taken."""
        room = self.timing.retry_chats - self._retrying
        loop_time = asyncio.get_running_loop().time()
        if loop_time - self._last_prune > 3600:
            self._last_prune = loop_time
            await outbox.prune(self.db, self.clock(), self.timing.keep)
        if room <= 0:
            return 0
        due = await outbox.claim_due(self.db, self.port.channel, self.clock(), self.timing.lease, room)
        in_hand = set(self._tasks.values())
        for row in due:
            if row.id in in_hand:  # still being answered here (a lease shorter than the work)
                continue
            self._retrying += 1
            task = asyncio.create_task(self._work(row, fresh=False))
            self._tasks[task] = row.id
            task.add_done_callback(self._retried)
        return len(due)

    def _retried(self, task: asyncio.Task[None]) -> None:
        self._retrying -= 1
        self._done(task)

    async def close(self) -> None:
        """Stop retrying, let answers in hand finish (bounded), hand the rest back to the queue at once."""
        if self._loop is not None:
            self._loop.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop
            self._loop = None
        if self._tasks:
            _, late = await asyncio.wait(set(self._tasks), timeout=self.timing.grace)
            held = [self._tasks[t] for t in late if t in self._tasks]
            for task in late:
                task.cancel()
            if held:
                log.warning("%s: %d answers left for the next start", self.port.channel, len(held))
                with contextlib.suppress(Exception):
                    await outbox.release(self.db, held, self.clock())
        await self.writer.close()


# The outbox keeps JSON in ASCII (\u escapes): a lone surrogate, which a platform's JSON can carry in a
# message, is no text a database column can hold.


def dump_replies(replies: tuple[Reply, ...]) -> str:
    return json.dumps(
        [{"t": r.text, "b": [[b.payload, b.label] for b in r.buttons], "l": r.location_request} for r in replies]
    )


def load_replies(raw: str) -> tuple[Reply, ...]:
    return tuple(Reply(r["t"], tuple(Button(p, label) for p, label in r["b"]), bool(r["l"])) for r in json.loads(raw))


def dump_inbound(inbound: Inbound) -> str:
    """An Inbound as stored in the outbox (channels that parse before they accept: WhatsApp)."""
    loc = inbound.location
    return json.dumps(
        {"u": inbound.user_key, "c": inbound.channel, "t": inbound.text, "p": inbound.payload,
         "x": inbound.unsupported, "at": inbound.at.isoformat(), "h": inbound.language_hint,
         "m": inbound.message_id, "loc": None if loc is None else [loc.lat, loc.lon]},
    )  # fmt: skip


def load_inbound(raw: str) -> Inbound:
    d = json.loads(raw)
    loc = d.get("loc")
    return Inbound(
        user_key=d["u"], channel=d["c"], text=d.get("t"), payload=d.get("p"), unsupported=d.get("x"),
        at=datetime.fromisoformat(d["at"]), language_hint=d.get("h"), message_id=d.get("m"),
        location=None if loc is None else Location(loc[0], loc[1]),
    )  # fmt: skip
