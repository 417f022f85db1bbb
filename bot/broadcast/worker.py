"""The reminder and broadcast worker: puts due messages in the queue and sends them at each platform's pace.

Several workers (processes) may run against one database: they share the queue through row
claims (see bot.storage.outbox). Each channel has lanes: a lane claims a small slice, then sends
its rows one at a time, marking each 'sending' right before its request and recording the
outcome as soon as the platform answers. So a worker that dies has at most one request in
flight per lane, and only those rows may reach their recipient twice when they are sent again;
the lanes together keep the platform's pace (lanes >= rate x round trip, see WorkerConfig.lanes).
The rate limit is per process: run one sending worker per bot token/phone number, or give each
of N workers 1/N of the rate (BROADCAST_TELEGRAM_RATE / BROADCAST_WHATSAPP_RATE).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import os
import random
import socket
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError

from bot.broadcast import handbacks, messages
from bot.broadcast.ratelimit import RateLimiter
from bot.delivery import Sender, SendResult
from bot.engine.types import Reply
from bot.knowledge.content import Content
from bot.knowledge.offices import Offices
from bot.storage import outbox as queue
from bot.storage import whatsapp_window
from bot.storage.db import Database

log = logging.getLogger(__name__)
REMINDER_CHECK = timedelta(minutes=10)  # personal reminders are daily: no need to recompute every round
HANDBACK_CHECK = timedelta(minutes=1)  # conversations with an officer idle past the office's timeout
CLEANUP_EVERY = timedelta(hours=24)  # retention of the query log, old update ids, expired staff sessions
ROUND_TRIP = 0.25  # seconds a platform's answer may take, for the default number of lanes


@dataclass(frozen=True)
class WorkerConfig:
    telegram_rate: float = 30.0  # messages per second overall (Telegram's bulk limit)
    telegram_chat_interval: float = 1.0  # seconds between two messages to one chat
    whatsapp_rate: float = 80.0  # the number's messages-per-second (80 by default, up to 1,000)
    margin: float = 0.985  # pace just under the limit (the limiter's window keeps jitter from causing 429s)
    # Requests in flight per channel, one per lane: at most this many possible duplicates if the worker dies.
    # 0 = enough to keep the rate with a 0.25 s round trip (8 for Telegram's 30/s, 20 for WhatsApp's 80/s).
    lanes: int = 0
    slice_seconds: float = 0.2  # each lane claims this many seconds' worth of messages (at the overall rate)
    claim_seconds: float = 30.0  # a dead worker's claimed (not started) rows go back to the queue after this
    lease_seconds: float = 120.0  # a dead worker's started rows are sent again after this: longer than any send
    poll_seconds: float = 1.0  # how often an idle lane looks for due rows
    housekeeping_seconds: float = 5.0  # due broadcasts, reminders, summaries, expired leases
    max_attempts: int = 12  # requests before a failing row is given up: backoff 2 s .. 10 min, about 37 min in all

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> WorkerConfig:
        env = os.environ if env is None else env
        values: dict[str, float | int] = {}
        for name, field_type in (
            ("telegram_rate", float),
            ("telegram_chat_interval", float),
            ("whatsapp_rate", float),
            ("margin", float),
            ("lanes", int),
            ("slice_seconds", float),
            ("claim_seconds", float),
            ("lease_seconds", float),
            ("poll_seconds", float),
            ("housekeeping_seconds", float),
            ("max_attempts", int),
        ):
            raw = env.get(f"BROADCAST_{name.upper()}", "").strip()
            if raw:
                try:
                    values[name] = field_type(raw)
                except ValueError:
                    log.error("BROADCAST_%s=%r is not a number; using the default", name.upper(), raw)
        return cls(**values)  # type: ignore[arg-type]

    def limiter_for(self, channel: str) -> RateLimiter:
        """Paced at `margin` of the platform's rate; never more than its rate in flight or answered within 1 s."""
        if channel == "telegram":
            return RateLimiter(
                self.telegram_rate * self.margin,
                self.telegram_chat_interval * (2 - self.margin),
                window_cap=max(1, math.floor(self.telegram_rate)),
            )
        if channel == "whatsapp":
            return RateLimiter(self.whatsapp_rate * self.margin, window_cap=max(1, math.floor(self.whatsapp_rate)))
        return RateLimiter(100.0)

    def lanes_for(self, channel: str) -> int:
        if self.lanes > 0:
            return self.lanes
        rate = {"telegram": self.telegram_rate, "whatsapp": self.whatsapp_rate}.get(channel, 1.0)
        return max(2, math.ceil(rate * ROUND_TRIP))


class Worker:
    """Queues due messages from the live `content()` and sends them through `senders` (assembled by bot.runtime)."""

    def __init__(
        self,
        db: Database,
        content: Callable[[], Content],
        senders: Mapping[str, Sender],
        config: WorkerConfig,
        offices: Callable[[], Offices] | None = None,
    ) -> None:
        self.db, self.content, self.config = db, content, config
        self.offices = offices  # several offices: each broadcast and reminder is its own office's
        self.senders = dict(senders)
        self.limiters = {channel: config.limiter_for(channel) for channel in self.senders}
        self.id = f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.claim_lease = timedelta(seconds=config.claim_seconds)
        self.lease = timedelta(seconds=config.lease_seconds)
        self._stop = asyncio.Event()  # `run`'s: lanes then hand back what they have not started
        self._reminders_checked: datetime | None = None
        self._handbacks_checked: datetime | None = None
        self._cleaned: datetime | None = None
        self._holding: set[int] = set()  # rows the lanes started and have not recorded yet (expire_leases)

    async def run(self, stop: asyncio.Event) -> None:
        """Until `stop` is set; lanes finish the request in hand and return the rest of their slice to the queue."""
        self._stop = stop
        tasks = [asyncio.create_task(self._housekeeping(stop), name="broadcast-housekeeping")]
        for channel in self.senders:
            for lane in range(self.config.lanes_for(channel)):
                tasks.append(asyncio.create_task(self._lane(channel, stop), name=f"broadcast-{channel}-{lane}"))
        log.info("worker %s sending on %s", self.id, ", ".join(self.senders) or "no channel")
        try:
            await stop.wait()
        finally:
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _housekeeping(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.housekeeping(datetime.now(UTC))
            except (SQLAlchemyError, OSError):
                log.exception("broadcast housekeeping failed; trying again")
            await _sleep_or_stop(stop, self.config.housekeeping_seconds)

    async def housekeeping(self, now: datetime) -> None:
        """One round: rows of dead workers, due broadcasts, personal reminders, summaries, idle handovers."""
        # Its own 'sending' rows that no lane holds (an outcome the database lost) go back like a dead worker's.
        expired = await queue.expire_leases(self.db, now, alive=self.id, holding=set(self._holding))
        if expired.resent:
            log.warning(
                "%d message(s) were in flight when a worker stopped (or their outcome was lost): sent again, "
                "may arrive twice",
                expired.resent,
            )
        if expired.returned:
            log.info("%d message(s) claimed by a stopped worker went back to the queue", expired.returned)
        content = self.content()
        offices = self.offices() if self.offices is not None else None
        await messages.queue_due_broadcasts(self.db, content, now, offices)
        if self._reminders_checked is None or now - self._reminders_checked >= REMINDER_CHECK:
            await messages.queue_child_reminders(self.db, content, now, offices)
            self._reminders_checked = now
        await messages.queue_summaries(self.db, now)
        if self._handbacks_checked is None or now - self._handbacks_checked >= HANDBACK_CHECK:
            await handbacks.hand_back_idle(self.db, content, now)
            self._handbacks_checked = now
        if self._cleaned is None or now - self._cleaned >= CLEANUP_EVERY:
            await self.cleanup()
            self._cleaned = now

    async def cleanup(self) -> None:
        """Daily: query texts past retention, webhook ids too old to be redelivered, expired logins."""
        from bot.querylog.retention import run_retention
        from bot.storage import dedupe, staff

        await run_retention(self.db)
        forgotten = await dedupe.forget_older_than(self.db)
        await staff.purge_expired(self.db)
        log.info("daily cleanup done (%d old update ids forgotten)", forgotten)

    async def _lane(self, channel: str, stop: asyncio.Event) -> None:
        limiter = self.limiters[channel]
        size = max(1, int(limiter.interval and self.config.slice_seconds / limiter.interval))
        while not stop.is_set():
            try:
                sent = await self.send_slice(channel, size)
            except (SQLAlchemyError, OSError):
                log.exception("broadcast lane %s failed; trying again", channel)
                sent = 0
            if not sent:
                await _sleep_or_stop(stop, self.config.poll_seconds)

    async def send_slice(self, channel: str, size: int) -> int:
        """Claim up to `size` due rows and send them one by one; returns how many were claimed."""
        batch = await queue.claim(self.db, channel, self.id, size, datetime.now(UTC), self.claim_lease)
        limiter = self.limiters[channel]
        for i, row in enumerate(batch):
            if self._stop.is_set():
                await queue.release(self.db, self.id, [r.id for r in batch[i:]])
                break
            await limiter.pace(row.user_key)
            self._holding.add(row.id)  # before its 'sending' mark: housekeeping never takes it from this lane
            try:
                try:
                    started = await queue.start(self.db, self.id, row.id, datetime.now(UTC), self.lease)
                except BaseException:
                    limiter.abandon(row.user_key)  # nothing went out; this and the rest return after their claim
                    raise
                if not started:  # its claim ran out (it is back in the queue) or it was cancelled meanwhile
                    limiter.abandon(row.user_key)
                    continue
                slot = await limiter.enter()  # after the commit: the window counts only the request itself
                await self._record(await self._deliver(row, slot))
            finally:
                self._holding.discard(row.id)
        return len(batch)

    async def _record(self, result: queue.Result) -> None:
        """The outcome must be written, or the row would be sent again: retry while the database is away.

        Written without waiting for the disk (queue.finish's durable=False): the lane still waits for the
        statement, so it never has more than one row 'sending'; an outcome the database server loses in a
        crash leaves the row 'sending' under this worker, no lane holding it, and housekeeping sends it again."""
        delay = 0.5
        while True:
            try:
                await queue.finish(self.db, self.id, [result], datetime.now(UTC), durable=False)
                return
            except (SQLAlchemyError, OSError):
                if self._stop.is_set():
                    raise  # stopping: the row stays 'sending' and is sent again (counted) after its lease
                log.exception("could not record a sent message; trying again in %.1f s", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)

    async def _deliver(self, row: queue.Claimed, slot: list[float]) -> queue.Result:
        sender, limiter = self.senders[row.channel], self.limiters[row.channel]
        try:
            result = await self._send(sender, row)
        except Exception as exc:  # a sender bug must not leave the row 'sending' forever
            log.exception("sender %s raised", row.channel)
            result = SendResult(ok=False, transient=True, error=f"{type(exc).__name__}: {exc}")
        finally:
            limiter.release(slot, row.user_key)
        now = datetime.now(UTC)
        if result.ok:
            limiter.succeeded()
            message_id = getattr(result, "message_id", None)
            return queue.Result(row.id, queue.SENT, message_id=None if message_id is None else str(message_id))
        if result.retry_after is not None:
            limiter.pause(result.retry_after)
            limiter.slow_down()
            return queue.Result(
                row.id, queue.PENDING, error="429", retry_at=now + timedelta(seconds=result.retry_after)
            )
        if result.blocked:
            return queue.Result(row.id, queue.BLOCKED, error=result.error)
        if result.transient and row.attempts < self.config.max_attempts:
            backoff = min(600.0, 2.0**row.attempts) * random.uniform(0.8, 1.2)
            return queue.Result(row.id, queue.PENDING, error=result.error, retry_at=now + timedelta(seconds=backoff))
        return queue.Result(row.id, queue.FAILED, error=result.error)

    async def _send(self, sender: Sender, row: queue.Claimed) -> SendResult:
        if row.channel == "whatsapp" and row.template and not await whatsapp_window.window_open(self.db, row.user_key):
            params = json.loads(row.params) if row.params else [row.text]
            return await sender.send_template(row.user_key, row.template, params, row.lang)
        return await sender.send(row.user_key, Reply(row.text))


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
