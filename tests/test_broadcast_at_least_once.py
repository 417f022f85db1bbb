"""The delivery queue is at least once: a dead worker's claimed rows go back untouched, its started
rows are sent again and counted as possible duplicates; nothing is taken from a live worker."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.broadcast import messages
from bot.broadcast.worker import Worker
from bot.runtime import Runtime
from bot.storage import broadcasts, outbox, roles, subscriptions
from bot.storage.db import Database
from tests.support.broadcast import FAST, FakeSender, add_subscribers, run_until_done, service_on
from tests.support.chat import Chat, text_of
from tests.support.dashboard import logged_in, page, visible_text

LEASE = timedelta(seconds=1)


async def _queued(database: Database, n: int) -> tuple[int, datetime]:
    await add_subscribers(database, n)
    broadcast_id = await broadcasts.create_broadcast(
        database, "telegram:999", "id", "staff", "Posyandu besok", None, datetime.now(UTC), None
    )
    now = datetime.now(UTC)
    await broadcasts.queue_run(database, broadcast_id, 0, now, {"id": "Posyandu besok"}, None)
    return broadcast_id, now


async def test_claimed_rows_go_back_as_they_were_started_rows_are_resent(database: Database) -> None:
    broadcast_id, now = await _queued(database, 3)
    claimed = await outbox.claim(database, "telegram", "dead", 3, now, LEASE)
    assert len(claimed) == 3
    assert await outbox.claim(database, "telegram", "other", 3, now, LEASE) == []  # never the same row twice
    assert await outbox.start(database, "dead", claimed[0].id, now, LEASE)  # its request went out, then SIGKILL
    assert not await outbox.start(database, "other", claimed[1].id, now, LEASE)  # only its claimer starts a row
    # Before the leases run out nothing moves.
    assert await outbox.expire_leases(database, now, alive="other") == outbox.Expired(0, 0)
    later = now + timedelta(seconds=2)
    assert await outbox.expire_leases(database, later, alive="other") == outbox.Expired(returned=2, resent=1)
    rows = {r.id: r for r in await outbox.delivery_rows(database, broadcast_id)}
    assert {r.status for r in rows.values()} == {outbox.PENDING}
    assert [rows[c.id].uncertain_sends for c in claimed] == [1, 0, 0]
    assert [rows[c.id].attempts for c in claimed] == [1, 0, 0]  # a claim alone is no attempt
    again = await outbox.claim(database, "telegram", "other", 5, later, LEASE)
    assert sorted(c.id for c in again) == sorted(c.id for c in claimed)  # all three are sent again


async def test_a_live_workers_request_in_flight_is_not_taken_from_it(database: Database) -> None:
    _, now = await _queued(database, 2)
    first, second = await outbox.claim(database, "telegram", "me", 2, now, LEASE)
    assert await outbox.start(database, "me", first.id, now, LEASE)
    later = now + timedelta(seconds=2)
    # My own claim that ran out goes back (I skip it: `start` says no); my request in flight stays mine.
    assert await outbox.expire_leases(database, later, alive="me") == outbox.Expired(returned=1, resent=0)
    assert not await outbox.start(database, "me", second.id, later, LEASE)
    await outbox.finish(database, "me", [outbox.Result(first.id, outbox.SENT, message_id="7")], later)
    statuses = {r.id: (r.status, r.uncertain_sends) for r in await outbox.delivery_rows(database)}
    assert statuses == {first.id: (outbox.SENT, 0), second.id: (outbox.PENDING, 0)}


async def test_a_live_workers_sending_row_that_no_lane_holds_is_sent_again(database: Database) -> None:
    """An outcome the database lost (its commit did not wait for the disk, and the server crashed): the row is
    'sending' under a worker that is alive but holds it no more; after its lease it is resent and counted."""
    _, now = await _queued(database, 2)
    held, orphan = await outbox.claim(database, "telegram", "me", 2, now, LEASE)
    for row in (held, orphan):
        assert await outbox.start(database, "me", row.id, now, LEASE)
    later = now + timedelta(seconds=2)
    assert await outbox.expire_leases(database, now, alive="me", holding={held.id}) == outbox.Expired(0, 0)
    assert await outbox.expire_leases(database, later, alive="me", holding={held.id}) == outbox.Expired(0, 1)
    statuses = {r.id: (r.status, r.uncertain_sends) for r in await outbox.delivery_rows(database)}
    assert statuses == {held.id: (outbox.SENDING, 0), orphan.id: (outbox.PENDING, 1)}
    # The lane still holding its row records it as ever; without `holding`, a live worker's rows stay its own.
    await outbox.finish(database, "me", [outbox.Result(held.id, outbox.SENT, message_id="9")], later, durable=False)
    assert await outbox.expire_leases(database, later, alive="me") == outbox.Expired(0, 0)


async def test_outcomes_recorded_without_waiting_for_the_disk_are_written_as_ever(database: Database) -> None:
    _, now = await _queued(database, 4)
    rows = await outbox.claim(database, "telegram", "me", 4, now, LEASE)
    for row in rows[:3]:
        assert await outbox.start(database, "me", row.id, now, LEASE)
    retry_at = now + timedelta(minutes=1)
    results = [
        outbox.Result(rows[0].id, outbox.SENT, message_id="41"),
        outbox.Result(rows[1].id, outbox.PENDING, error="429", retry_at=retry_at),
        outbox.Result(rows[2].id, outbox.FAILED, error="x" * 400),
        outbox.Result(rows[3].id, outbox.SENT, message_id="44"),  # never started: not this lane's to record
    ]
    await outbox.finish(database, "other", results[:1], now, durable=False)  # only the row's worker records it
    await outbox.finish(database, "me", results, now, durable=False)
    found = {r.id: r for r in await outbox.delivery_rows(database)}
    sent, again, failed, unstarted = (found[r.id] for r in rows)
    assert (sent.status, sent.message_id, sent.claimed_until) == (outbox.SENT, "41", None)
    assert sent.sent_at is not None and outbox.utc(sent.sent_at) == now.astimezone(UTC)
    assert (again.status, again.error, outbox.utc(again.next_attempt_at), again.sent_at) == (
        outbox.PENDING, "429", retry_at.astimezone(UTC), None
    )  # fmt: skip
    assert (failed.status, len(failed.error)) == (outbox.FAILED, 300)
    assert (unstarted.status, unstarted.message_id) == (outbox.CLAIMED, None)


async def test_housekeeping_sends_again_what_the_worker_itself_left_sending(database: Database, tmp_path: Path) -> None:
    broadcast_id, now = await _queued(database, 2)
    service = service_on(database, tmp_path)
    worker = Worker(service.db, service.content, {"telegram": FakeSender()}, FAST)
    held, orphan = await outbox.claim(database, "telegram", worker.id, 2, now, LEASE)
    for row in (held, orphan):
        assert await outbox.start(database, worker.id, row.id, now, LEASE)
    worker._holding.add(held.id)  # a lane is sending it; the other's outcome was lost
    await worker.housekeeping(now + timedelta(seconds=2))
    statuses = {r.id: (r.status, r.uncertain_sends) for r in await outbox.delivery_rows(database, broadcast_id)}
    assert statuses == {held.id: (outbox.SENDING, 0), orphan.id: (outbox.PENDING, 1)}


async def test_cancelled_and_opted_out_rows_are_not_started_once_claimed(database: Database) -> None:
    broadcast_id, now = await _queued(database, 2)
    first, second = await outbox.claim(database, "telegram", "me", 2, now, LEASE)
    assert await outbox.cancel_pending_for(database, second.user_key) == 1
    assert await broadcasts.cancel_broadcast(database, broadcast_id, None)
    assert not await outbox.start(database, "me", first.id, now, LEASE)
    assert not await outbox.start(database, "me", second.id, now, LEASE)
    assert {r.status for r in await outbox.delivery_rows(database)} == {outbox.CANCELLED}


async def test_possible_duplicates_are_counted_and_reported_to_the_author(database: Database, tmp_path: Path) -> None:
    broadcast_id, now = await _queued(database, 4)
    claimed = await outbox.claim(database, "telegram", "dead", 4, now, LEASE)
    for row in claimed[:2]:  # two lanes were sending when the worker died
        assert await outbox.start(database, "dead", row.id, now, LEASE)
    await outbox.expire_leases(database, now + timedelta(seconds=2))
    sender = FakeSender()
    service = service_on(database, tmp_path)
    await run_until_done([Worker(service.db, service.content, {"telegram": sender}, FAST)], database, broadcast_id)
    counts = await broadcasts.counts(database, broadcast_id)
    assert (counts.sent, counts.maybe_twice, counts.pending) == (4, 2, 0)
    await messages.queue_summaries(database, datetime.now(UTC))
    (summary,) = [r for r in await outbox.delivery_rows(database) if r.key.startswith("s")]
    assert "4 terkirim" in summary.text and "2 penerima mungkin menerima pesan ini dua kali" in summary.text


async def test_stopping_worker_hands_back_what_it_has_not_started(database: Database, tmp_path: Path) -> None:
    import asyncio

    _, _ = await _queued(database, 6)
    service = service_on(database, tmp_path)
    worker = Worker(service.db, service.content, {"telegram": FakeSender()}, FAST)
    worker._stop.set()  # as if `run` was told to stop while the lane held its slice
    assert await worker.send_slice("telegram", 6) == 6
    await asyncio.sleep(0)
    assert {r.status for r in await outbox.delivery_rows(database)} == {outbox.PENDING}


async def test_the_cadre_and_the_dashboard_see_how_many_may_have_it_twice(service: Runtime) -> None:
    """/siaranku and the dashboard's broadcasts page report a row resent after a worker died mid-request."""
    db, now = service.db, datetime.now(UTC)
    for i in range(2):
        await subscriptions.subscribe_area(db, f"telegram:{i}", "telegram", "id", "14.71.01.1004")
    await roles.grant(db, "console:kader", roles.CADRE, "14.71.01.1004")
    text = "Posyandu Mawar buka Kamis"
    broadcast_id = await broadcasts.create_broadcast(
        db, "console:kader", "id", "cadre", text, "14.71.01.1004", now, None
    )
    await broadcasts.queue_run(db, broadcast_id, 0, now, {"id": text}, None)
    dead = await outbox.claim(db, "telegram", "dead", 2, now, LEASE)
    assert await outbox.start(db, "dead", dead[0].id, now, LEASE)  # then SIGKILL
    later = now + timedelta(seconds=2)
    assert await outbox.expire_leases(db, later, alive="alive") == outbox.Expired(returned=1, resent=1)
    for row in await outbox.claim(db, "telegram", "alive", 2, later, LEASE):
        assert await outbox.start(db, "alive", row.id, later, LEASE)
        await outbox.finish(db, "alive", [outbox.Result(row.id, outbox.SENT, message_id="1")], later)
    listing = await Chat(service, user="kader").say("/siaranku")
    assert "2 terkirim" in text_of(listing) and "1 penerima mungkin menerima pesan ini dua kali" in text_of(listing)
    async with logged_in(service) as client:
        shown = visible_text(await page(client, "/dashboard/broadcasts"))
    assert "Mungkin ganda" in shown
    # its row: ... sent, failed, blocked, waiting, maybe twice
    assert re.search(rf"{text} Kader 14\.71\.01\.1004 .*? 2 0 0 0 1(?: |$)", shown), shown
