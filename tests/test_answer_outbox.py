"""The durable answering path: the outbox table on both databases, and answers through Bot API faults."""

from __future__ import annotations

import asyncio
import functools
import statistics
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest.mock import ANY

import pytest
from sqlalchemy.exc import DBAPIError

from bot.channels.answering import Timing, dump_inbound, dump_replies, load_inbound, load_replies
from bot.engine.types import Button, Inbound, Location, Reply
from bot.privacy import pseudonym
from bot.storage import answer_accept, conversations
from bot.storage import answer_outbox as outbox
from bot.storage.answer_outbox import Accepted, Progress
from bot.storage.conversations import StateConflict
from bot.storage.db import Database
from tests.support.telegram_api import FakeTelegram, text_update
from tests.support.telegram_harness import Bench, telegram_settings, webhook_bot

LEASE = timedelta(seconds=60)


def _rows(chat: str, *ids: str) -> list[Accepted]:
    return [Accepted(i, chat, "{}") for i in ids]


# ---- the table ----------------------------------------------------------------------------------


async def test_accept_is_the_dedupe_and_returns_only_new_updates(database: Database) -> None:
    now = datetime.now(UTC)
    first = await outbox.accept(database, "telegram", _rows("telegram:1", "1", "2"), now, LEASE)
    again = await outbox.accept(database, "telegram", _rows("telegram:1", "2", "3"), now, LEASE)
    other = await outbox.accept(database, "whatsapp", _rows("whatsapp:1", "2"), now, LEASE)
    assert set(first) == {"1", "2"} and set(again) == {"3"} and set(other) == {"2"}  # ids are per channel
    assert len(await outbox.rows(database)) == 4


async def test_accept_reads_the_chats_conversation_row_the_turn_starts_from(database: Database) -> None:
    """The accept reads a new update's conversation row with it (PostgreSQL: in its own statement; SQLite: in the
    same driver call), no call in the turn: the turn starts from the row as it was then, and the save's version
    check still decides."""
    secret, chat = b"accept-reads", "telegram:77"
    key = pseudonym(chat, secret)
    other = Database(database.url.render_as_string(hide_password=False), schema=database.schema)
    save, load = conversations.save_state, conversations.load_state
    reads = database.dialect == "postgresql" or await database.driver() is not None
    accepting = outbox.GroupAccept(
        database,
        "telegram",
        LEASE,
        lambda c: pseudonym(c, secret),
        functools.partial(outbox.accept, database, "telegram", lease=LEASE),
    )
    try:
        first = await save(other, chat, secret, "telegram", '{"lang":"id"}', "id", 0)
        now = datetime.now(UTC)
        assert await accepting.accept(_rows(chat, "u1"), now)
        newer = await save(other, chat, secret, "telegram", '{"lang":"en"}', "en", first)  # after the accept
        assert (await load(database, chat, secret)).version == (first if reads else newer)
        if reads:
            with pytest.raises(StateConflict):  # the turn on the accept's copy: refused, and done again on the row
                await save(database, chat, secret, "telegram", '{"lang":"ms"}', "ms", first)
            assert (await load(database, chat, secret)).version == newer

        # A chat without a row: read as none; a row made elsewhere meanwhile refuses the first save.
        new_chat = "telegram:78"
        await accepting.accept(_rows(new_chat, "u2"), now)
        await save(other, new_chat, secret, "telegram", '{"lang":"id"}', "id", 0)
        if reads:
            assert await load(database, new_chat, secret) == conversations.StoredState(None, 0)
            with pytest.raises(StateConflict):
                await save(database, new_chat, secret, "telegram", '{"lang":"en"}', "en", 0)

        # A copy this process keeps (its own save) is not replaced by an accept's read, nor by a redelivery's.
        mine = await save(database, chat, secret, "telegram", '{"lang":"id","n":1}', "id", newer)
        assert await outbox.accept(database, "telegram", _rows(chat, "u3", "u1"), now, LEASE) == {"u3": ANY}
        assert not await accepting.accept(_rows(chat, "u1"), now)
        assert (await load(database, chat, secret)).version == mine
        assert key in conversations._recent(database).rows
    finally:
        await other.dispose()


async def test_a_failed_read_with_the_accept_leaves_the_update_accepted_once(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite reads the row in the accept's driver call: a read that fails costs the turn a read of its own, and
    is never tried again together with the INSERT (which would then call the new update a redelivery)."""
    if database.dialect != "sqlite":
        pytest.skip("the read in the accept's driver call is SQLite's")
    from sqlalchemy import text

    broken = conversations.fast.Statement(
        lambda _db: text("SELECT state, version FROM no_such_table WHERE 1 = :key"), ["key"]
    )
    monkeypatch.setattr(conversations, "LOAD", broken)
    key = pseudonym("telegram:5", b"s")
    got = await outbox.accept(database, "telegram", _rows("telegram:5", "r1"), datetime.now(UTC), LEASE, key=key)
    assert list(got) == ["r1"] and key not in conversations._recent(database).rows
    assert [r.update_id for r in await outbox.rows(database)] == ["r1"]


async def test_accepts_of_one_loop_round_are_one_statement_and_each_update_new_once(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_by_one = functools.partial(outbox.accept, database, "telegram", lease=LEASE)
    accepting = outbox.GroupAccept(database, "telegram", LEASE, None, one_by_one)
    now = datetime.now(UTC)
    await outbox.accept(database, "telegram", _rows("telegram:9", "seen"), now, LEASE)
    ids = ["a", "b", "seen", "c", "a", "d"]  # 'a' twice: a redelivery racing the first delivery
    got = await asyncio.gather(*(accepting.accept(_rows(f"telegram:{n}", i), now) for n, i in enumerate(ids)))
    assert [sorted(g) for g in got] == [["a"], ["b"], [], ["c"], [], ["d"]]
    assert accepting.groups == (1 if database.dialect == "postgresql" else 0)
    rows = await outbox.rows(database)
    assert [r.update_id for r in rows] == ["seen", "a", "b", "c", "d"]  # ids in arrival order
    assert got[0]["a"] == rows[1].id

    # A group the database refuses is recorded again update by update: only the refused one fails.
    if database.dialect == "postgresql":
        monkeypatch.setattr(answer_accept, "_ACCEPT_GROUP", "SELECT no_such_function()")
        bad = Accepted("bad", "telegram:1", "\x00")  # PostgreSQL keeps no NUL in text
        results = await asyncio.gather(
            accepting.accept(_rows("telegram:2", "e"), now), accepting.accept([bad], now), return_exceptions=True
        )
        assert list(results[0]) == ["e"] and isinstance(results[1], DBAPIError)


async def test_claim_takes_the_oldest_unfinished_row_of_each_chat_once(database: Database) -> None:
    now = datetime.now(UTC)
    a = await outbox.accept(database, "telegram", _rows("telegram:1", "a1", "a2", "a3"), now, timedelta(0))
    b = await outbox.accept(database, "telegram", _rows("telegram:2", "b1"), now, timedelta(0))
    taken = await outbox.claim_due(database, "telegram", now, LEASE, 10)
    assert [r.id for r in taken] == [a["a1"], b["b1"]]  # a2 and a3 wait behind a1: a chat stays in order
    assert await outbox.claim_due(database, "telegram", now, LEASE, 10) == []  # held for the lease
    await outbox.record(database, [Progress(a["a1"], outbox.SENT, None, 1, 0, now)])
    later = await outbox.claim_due(database, "telegram", now + LEASE + timedelta(seconds=1), LEASE, 10)
    assert [r.id for r in later] == [a["a2"], b["b1"]]  # b1's holder died: its lease ran out


async def test_the_claim_is_built_once_and_gives_rows_as_the_table_holds_them(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The retry loop of every idle process claims once a second: one build and compile per dialect, not per call
    (it was 3 ms of CPU a look on SQLite); the driver's rows come back with a real `received_at`."""
    builds = []
    build = outbox._CLAIM_DUE.build
    monkeypatch.setattr(outbox._CLAIM_DUE, "build", lambda db: builds.append(1) or build(db))
    monkeypatch.setattr(outbox._CLAIM_DUE, "_compiled", {})
    now = datetime.now(UTC).replace(microsecond=123456)
    ids = await outbox.accept(database, "telegram", _rows("telegram:1", "1"), now, timedelta(0))
    for _ in range(3):
        assert await outbox.claim_due(database, "telegram", now - LEASE, LEASE, 10) == []
    [row] = await outbox.claim_due(database, "telegram", now, LEASE, 10)
    assert (row.id, row.chat, row.payload, row.status, row.replies) == (ids["1"], "telegram:1", "{}", "pending", None)
    assert outbox.utc(row.received_at) == now
    assert len(builds) == 1


async def test_concurrent_claims_never_share_a_row(database: Database) -> None:
    now = datetime.now(UTC)
    for chat in range(20):
        await outbox.accept(database, "telegram", _rows(f"telegram:{chat}", f"u{chat}"), now, timedelta(0))
    claims = await asyncio.gather(*(outbox.claim_due(database, "telegram", now, LEASE, 6) for _ in range(5)))
    ids = [r.id for claim in claims for r in claim]
    assert len(ids) == len(set(ids)) == 20


async def test_released_rows_are_due_at_once_and_old_finished_rows_pruned(database: Database) -> None:
    now = datetime.now(UTC)
    ids = await outbox.accept(database, "telegram", _rows("telegram:1", "1", "2"), now, LEASE)
    assert await outbox.claim_due(database, "telegram", now, LEASE, 10) == []
    await outbox.release(database, [ids["1"]], now)
    assert [r.id for r in await outbox.claim_due(database, "telegram", now, LEASE, 10)] == [ids["1"]]
    await outbox.record(database, [Progress(ids["1"], outbox.SENT, None, 1, 0, now)])
    assert await outbox.prune(database, now + timedelta(days=8), timedelta(days=7)) == 1  # the unsent one stays
    assert [r.update_id for r in await outbox.rows(database)] == ["2"]


async def test_sent_marks_alone_are_written_and_the_last_mark_of_a_row_wins(database: Database) -> None:
    """Marks nobody waits for (on PostgreSQL one statement committed without waiting for the disk)."""
    now = datetime.now(UTC)
    ids = sorted((await outbox.accept(database, "telegram", _rows("telegram:9", "1", "2", "3"), now, LEASE)).values())
    writer = outbox.Writer(database)
    writer.note(Progress(ids[0], outbox.ANSWERED, '["a"]', 1, 1, now))
    writer.note(Progress(ids[0], outbox.SENT, None, 2, 1, now))
    writer.note(Progress(ids[1], outbox.SENT, None, 1, 1, now))
    await writer.idle()
    rows = {r.id: (r.status, r.sent_parts) for r in await outbox.rows(database)}
    assert rows == {ids[0]: (outbox.SENT, 2), ids[1]: (outbox.SENT, 1), ids[2]: (outbox.PENDING, 0)}


def test_replies_and_inbounds_survive_the_round_trip() -> None:
    replies = (Reply("Halo 👋", (Button("menu", "Menu"),)), Reply("Lokasi?", location_request=True))
    assert load_replies(dump_replies(replies)) == replies
    inbound = Inbound("whatsapp:62812", "whatsapp", location=Location(-6.2, 106.8), message_id="wamid.1")
    assert load_inbound(dump_inbound(inbound)) == inbound


def test_backoff_doubles_up_to_its_cap_and_obeys_retry_after() -> None:
    timing = Timing(first_retry=2, max_retry=60)
    assert [timing.backoff(n, None) for n in (1, 2, 3, 6, 7, 20)] == [2, 4, 8, 60, 60, 60]
    assert timing.backoff(3, 17.0) == 17.0


# ---- answers through Bot API faults (timings compressed ten to thirty times) --------------------


async def _burst(bot: Bench, chats: list[int], text: str = "halo") -> None:
    for chat in chats:
        assert await bot.post(text_update(chat, chat, text)) == 200


async def test_outages_and_a_hang_lose_no_answer_and_double_none(tmp_path: Path, database_url: str) -> None:
    async with FakeTelegram() as tg, webhook_bot(telegram_settings(tmp_path, tg, database_url), tg) as bot:
        chats = iter(range(5000, 6000))
        posted: list[int] = []

        async def burst(count: int) -> None:
            some = [next(chats) for _ in range(count)]
            posted.extend(some)
            await _burst(bot, some)

        tg.outage(500)  # "3 s" of 500s
        await burst(4)
        await asyncio.sleep(0.3)
        tg.recover()
        await burst(2)
        tg.outage(500)  # "30 s" of 500s: far beyond the three quick tries that used to give up
        await burst(4)
        ordered = [(9000 + i, i) for i in range(3)]  # one chat asks three things while it is down
        for update_id, i in ordered:
            assert await bot.post(text_update(update_id, 77, ["/start", "menu", "/bantuan"][i])) == 200
        await asyncio.sleep(3.0)
        tg.recover()
        tg.hang(2.0)  # "60 s" hanging, then 504: nothing was delivered
        await burst(4)
        await asyncio.sleep(2.0)
        tg.recover()
        async with asyncio.timeout(30):
            await bot.channel.drain()
        assert {c: tg.sent_per_chat[c] for c in posted} == dict.fromkeys(posted, 1)  # 0 lost, 0 doubled
        answers = [o.replies[0].text for i, o in bot.spy.turns if i.user_key == "telegram:77"]
        assert tg.sent_to(77) == answers and len(answers) == 3  # in the order they were asked
        rows = await outbox.rows(bot.service.db)
        assert {r.status for r in rows} == {outbox.SENT} and max(r.attempts for r in rows) >= 3
        assert {r.payload for r in rows} == {""} and {r.replies for r in rows} == {None}  # no raw text kept


async def test_a_hanging_chat_does_not_delay_the_others(tmp_path: Path) -> None:
    async with FakeTelegram() as tg, webhook_bot(telegram_settings(tmp_path, tg), tg) as bot:
        loop = asyncio.get_running_loop()
        arrived: dict[int, float] = {}
        tg.on_sent = lambda chat, _p: arrived.setdefault(chat, loop.time())

        async def latency(chat: int) -> float:
            started = loop.time()
            await _burst(bot, [chat])
            await tg.wait_until(lambda: chat in arrived)
            return arrived[chat] - started

        baseline = [await latency(c) for c in range(100, 115)]
        hanging = set(range(900, 912))  # more hanging chats than the engine has turns at once
        tg.hang(3.0, chats=hanging)
        await _burst(bot, sorted(hanging))
        await asyncio.sleep(0.2)  # their sends hang now
        during = [await latency(c) for c in range(200, 215)]
        assert not any(c in arrived for c in hanging)
        healthy, slowed = statistics.median(baseline), statistics.median(during)
        # The bug held every slot for the 3 s hang; 2x the healthy median is bench/faults.py's figure. The 0.5 s
        # allowance keeps a loaded CI machine's scheduling noise from failing a test that is about seconds.
        assert slowed <= 2 * healthy + 0.5, (healthy, slowed)
        tg.recover()
        async with asyncio.timeout(20):
            await bot.channel.drain()
        assert all(tg.sent_per_chat[c] == 1 for c in hanging)


async def test_an_answer_in_hand_at_shutdown_is_sent_by_the_next_start(tmp_path: Path) -> None:
    async with FakeTelegram() as tg:
        settings = telegram_settings(tmp_path, tg)
        async with webhook_bot(settings, tg) as bot:
            bot.channel.answers.timing = Timing(poll=0.05, grace=0.3)
            tg.hang(30.0, chats={42})
            await _burst(bot, [42])
            await asyncio.sleep(0.3)
        tg.recover()
        async with webhook_bot(settings, tg) as again:
            await tg.wait_sent(42, 1)
            await again.channel.drain()
        assert tg.sent_per_chat[42] == 1
