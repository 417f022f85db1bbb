"""The delivery queue and worker: exactly once with two workers (at least once after a crash: test_broadcast_at_least_once), opt-out, blocked users, 429s, retries."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.broadcast.ratelimit import RateLimiter
from bot.broadcast.worker import Worker, WorkerConfig
from bot.knowledge.holder import ContentHolder
from bot.storage import broadcasts, outbox, subscriptions
from bot.storage.db import Database
from bot.topics.schedule import WhenError, next_run, parse_when
from tests.support.broadcast import FAST, FakeSender, add_subscribers, run_until_done, service_on
from tests.support.clock import VirtualClock
from tests.support.settings import CONTENT

JAKARTA = ZoneInfo("Asia/Jakarta")


async def test_two_workers_send_each_recipient_exactly_once(database: Database, tmp_path: Path) -> None:
    service = service_on(database, tmp_path)
    keys = await add_subscribers(database, 300)
    sender = FakeSender()
    now = datetime.now(UTC)
    broadcast_id = await broadcasts.create_broadcast(
        database, "telegram:999", "id", "staff", "Posyandu besok", None, now, None
    )
    workers = [
        Worker(service.db, service.content, {"telegram": sender}, FAST),
        Worker(service.db, service.content, {"telegram": sender}, FAST),
    ]
    await run_until_done(workers, database, broadcast_id, within=90)  # 300 rows: 30 s was short at load 13
    assert {k: sender.sent[k] for k in keys} == dict.fromkeys(keys, 1)
    assert set(sender.sent) <= {*keys, "telegram:999"}  # nobody else; the author may have their summary
    counts = await broadcasts.counts(database, broadcast_id)
    assert (counts.sent, counts.failed, counts.uncertain) == (300, 0, 0)
    assert "Posyandu besok" in sender.texts[keys[0]][0] and "berhenti" in sender.texts[keys[0]][0]
    # a second round of housekeeping queues nothing again: the run is done and unique keys hold
    await workers[0].housekeeping(datetime.now(UTC))
    assert len(await outbox.delivery_rows(database, broadcast_id)) == 300


async def test_blocked_flood_and_flaky_recipients(database: Database, tmp_path: Path) -> None:
    service = service_on(database, tmp_path)
    keys = await add_subscribers(database, 6)
    sender = FakeSender({keys[0]: "blocked", keys[1]: "flood", keys[2]: "flaky"})
    config = WorkerConfig(
        telegram_rate=500, telegram_chat_interval=0, lanes=1, poll_seconds=0.05, housekeeping_seconds=0.1
    )
    # backoff after a transient error is 2**attempts seconds: make it short by starting with the row due now
    broadcast_id = await broadcasts.create_broadcast(
        database, "telegram:999", "id", "staff", "Info", None, datetime.now(UTC), None
    )
    await run_until_done(
        [Worker(service.db, service.content, {"telegram": sender}, config)], database, broadcast_id, within=20
    )
    assert sender.sent[keys[0]] == 0 and sender.tries[keys[0]] == 1  # blocked: never retried
    assert sender.sent[keys[1]] == 1 and sender.sent[keys[2]] == 1  # 429 waited out, 5xx retried
    assert all(sender.sent[k] == 1 for k in keys[1:])
    blocked = await subscriptions.subscriber(database, keys[0])
    assert blocked is not None and blocked.blocked and not blocked.active
    counts = await broadcasts.counts(database, broadcast_id)
    assert (counts.sent, counts.blocked) == (5, 1)


async def test_opted_out_user_gets_nothing_after_opting_out(database: Database, tmp_path: Path) -> None:
    service = service_on(database, tmp_path)
    keys = await add_subscribers(database, 3)
    sender = FakeSender()
    first = await broadcasts.create_broadcast(
        database, "telegram:999", "id", "staff", "Satu", None, datetime.now(UTC), None
    )
    worker = Worker(service.db, service.content, {"telegram": sender}, FAST)
    await worker.housekeeping(datetime.now(UTC))  # queued for all three...
    await subscriptions.unsubscribe(database, keys[0])  # ...then the first says "berhenti"
    await outbox.cancel_pending_for(database, keys[0])
    await run_until_done([worker], database, first)
    second = await broadcasts.create_broadcast(
        database, "telegram:999", "id", "staff", "Dua", None, datetime.now(UTC), None
    )
    await run_until_done([worker], database, second)
    assert sender.sent[keys[0]] == 0
    assert sender.sent[keys[1]] == 2 and sender.sent[keys[2]] == 2
    # subscribing again works
    await subscriptions.subscribe_area(database, keys[0], "telegram", "id", "14.71.01.1002")
    third = await broadcasts.create_broadcast(
        database, "telegram:999", "id", "staff", "Tiga", None, datetime.now(UTC), None
    )
    await run_until_done([worker], database, third)
    assert sender.sent[keys[0]] == 1


async def test_author_gets_a_summary_and_audience_is_the_area(database: Database, tmp_path: Path) -> None:
    service = service_on(database, tmp_path)
    inside = await add_subscribers(database, 4, "14.71.01.1002")
    outside = await add_subscribers(database, 3, "14.71.02.1001", start=100)
    sender = FakeSender()
    author = "telegram:5000"
    broadcast_id = await broadcasts.create_broadcast(
        database, author, "id", "cadre", "Posyandu Mawar", "14.71.01", datetime.now(UTC), None
    )
    assert await broadcasts.count_audience(database, "14.71.01") == 4
    worker = Worker(service.db, service.content, {"telegram": sender}, FAST)
    await run_until_done([worker], database, broadcast_id)
    assert all(sender.sent[k] == 1 for k in inside) and not any(sender.sent[k] for k in outside)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    async with asyncio.timeout(10):
        while not sender.sent[author]:  # noqa: ASYNC110 - polling a counter the worker bumps
            await asyncio.sleep(0.05)
    stop.set()
    await task
    assert "4 terkirim" in sender.texts[author][0]


async def test_repeating_broadcast_is_queued_once_per_run(database: Database, tmp_path: Path) -> None:
    service = service_on(database, tmp_path)
    await add_subscribers(database, 2)
    when = parse_when("setiap hari jam 08.00", datetime(2026, 11, 23, 7, 0, tzinfo=JAKARTA))
    broadcast_id = await broadcasts.create_broadcast(
        database, "telegram:999", "id", "staff", "Pagi", None, when.first, when.rule
    )
    worker = Worker(service.db, service.content, {"telegram": FakeSender()}, FAST)
    at_eight = datetime(2026, 11, 23, 8, 0, 5, tzinfo=JAKARTA)
    await worker.housekeeping(at_eight)
    await worker.housekeeping(at_eight)  # twice at the same moment: still one run
    rows = await outbox.delivery_rows(database, broadcast_id)
    assert len(rows) == 2
    (row,) = [b for b in await broadcasts.broadcasts_of(database, None) if b.id == broadcast_id]
    assert outbox.utc(row.next_run_at).astimezone(JAKARTA) == datetime(2026, 11, 24, 8, 0, tzinfo=JAKARTA)
    await worker.housekeeping(datetime(2026, 11, 24, 8, 1, tzinfo=JAKARTA))
    assert len(await outbox.delivery_rows(database, broadcast_id)) == 4
    assert await broadcasts.cancel_broadcast(database, broadcast_id, "telegram:999")
    await worker.housekeeping(datetime(2026, 11, 25, 8, 1, tzinfo=JAKARTA))
    assert len(await outbox.delivery_rows(database, broadcast_id)) == 4


def test_repeat_rules_and_times() -> None:
    now = datetime(2026, 11, 23, 10, 0, tzinfo=JAKARTA)  # a Monday
    second_tuesday = parse_when("setiap Selasa minggu kedua jam 08.00", now)
    assert second_tuesday.rule == "monthly:2:1@08:00"
    assert second_tuesday.first == datetime(2026, 12, 8, 8, 0, tzinfo=JAKARTA)
    assert next_run(second_tuesday.rule, second_tuesday.first) == datetime(2027, 1, 12, 8, 0, tzinfo=JAKARTA)
    monday = parse_when("setiap hari Senin jam 7 pagi", now)
    assert (monday.rule, monday.first) == ("weekly:0@07:00", datetime(2026, 11, 30, 7, 0, tzinfo=JAKARTA))
    assert parse_when("besok jam 08.00", now).first == datetime(2026, 11, 24, 8, 0, tzinfo=JAKARTA)
    assert parse_when("25 Desember 2026 jam 09.00", now).first == datetime(2026, 12, 25, 9, 0, tzinfo=JAKARTA)
    assert parse_when("lusa jam 4 sore", now).first == datetime(2026, 11, 25, 16, 0, tzinfo=JAKARTA)
    assert parse_when("sekarang", now).first == now
    for bad in ("kemarin", "23 November 2026 jam 08.00", "31 Februari 2027 jam 8", "setiap Selasa", "", "jam 25"):
        with pytest.raises(WhenError):
            parse_when(bad, now)


async def test_rate_limiter_paces_overall_and_per_chat() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(100, per_chat_interval=0.2, clock=clock, sleep=clock.sleep)
    start = clock.now
    stamps: list[tuple[str, float]] = []

    async def one(chat: str) -> None:
        slot = await limiter.wait(chat)
        stamps.append((chat, clock.now - start))
        limiter.release(slot, chat)

    async def burst() -> None:
        await asyncio.gather(*(one(f"c{i % 25}") for i in range(50)), one("x"), one("x"))

    await clock.run(burst())
    times = sorted(t for _, t in stamps)
    assert 0.45 <= times[-1] < 0.6  # 52 messages at 100/s take about half a second, not less nor much more
    assert all(sum(1 for t in times if s <= t < s + 0.1) <= 16 for s in times)  # paced: a 50 ms catch-up at most
    for chat in ("c0", "x"):
        mine = [t for c, t in stamps if c == chat]
        assert all(b - a >= 0.2 for a, b in itertools.pairwise(mine))
    limiter.slow_down()  # a 429 anyway: aim lower, then creep back after many good sends
    assert 97 <= limiter.current < 100 and limiter.window_cap == 100  # the platform's limit stays
    for _ in range(100):
        limiter.succeeded()
    assert limiter.current > 98
    limiter.pause(0.3)
    before = clock.now
    await clock.run(limiter.wait())
    assert clock.now - before >= 0.3 - 1e-9


async def test_rate_limiter_frees_a_chat_when_its_wait_is_cancelled() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(1, per_chat_interval=5.0, clock=clock, sleep=clock.sleep)

    async def scene() -> list[float]:
        first = await limiter.wait()  # takes the only slot of this second
        waiting = asyncio.create_task(limiter.wait("c1"))
        await clock.sleep(0.05)
        waiting.cancel()  # e.g. the worker stops
        with pytest.raises(asyncio.CancelledError):
            await waiting
        limiter.release(first)
        return await limiter.wait("c1")  # not held for ever by the cancelled wait

    again = await clock.run(scene())
    assert clock.now - 1000.0 < 3
    limiter.release(again, "c1")


async def test_rate_limiter_counts_a_message_until_a_second_after_its_answer() -> None:
    """The platform stamps a message somewhere between our send and its answer: however late the
    answers come, no more than `window_cap` messages may be in flight or answered within 1 s."""
    clock = VirtualClock()
    limiter = RateLimiter(1000, window_cap=5, clock=clock, sleep=clock.sleep)

    async def scene() -> float:
        held = [await limiter.wait() for _ in range(5)]  # five slow sends, still unanswered
        sixth = asyncio.create_task(limiter.wait())
        await clock.sleep(0.3)
        assert not sixth.done()  # the rate allows it, the window does not
        answered = clock.now
        limiter.release(held[0])
        await sixth
        for entry in held[1:]:
            limiter.release(entry)
        return clock.now - answered

    assert await clock.run(scene()) >= 1.0  # the first answer's second had to pass


async def test_daily_cleanup_applies_retention_and_forgets_old_ids(database: Database) -> None:
    """The worker's daily round deletes old query texts, old webhook ids and expired staff sessions."""
    from datetime import UTC, date, datetime

    from sqlalchemy import func, select

    from bot.broadcast.worker import Worker, WorkerConfig
    from bot.storage import dedupe
    from bot.storage.models import ProcessedUpdate
    from bot.storage.querylog import QueryLog, QueryRow, write_batch

    old = datetime.now(UTC) - timedelta(days=400)
    await write_batch(
        database,
        [
            QueryRow("r1", old, old.date(), "telegram", "p", "lama sekali", "fallback", 0.1, False, 5, "v"),
            QueryRow("r2", datetime.now(UTC), date.today(), "telegram", "p", "baru", "fallback", 0.1, False, 5, "v"),
        ],
    )
    await dedupe.first_time(database, "telegram", "1")
    async with database.session() as s:
        row = await s.get(ProcessedUpdate, ("telegram", "1"))
        assert row is not None
        row.seen_at = old

    await Worker(database, lambda: ContentHolder(CONTENT).current, {}, WorkerConfig()).cleanup()
    async with database.session() as s:
        texts = list(await s.scalars(select(QueryLog.text).where(QueryLog.text.is_not(None))))
        ids = await s.scalar(select(func.count()).select_from(ProcessedUpdate))
    assert texts == ["baru"]
    assert ids == 0
