"""WhatsAppSender against the fake Graph API: the 24-hour window, templates to subscribers, Meta's errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.channels.whatsapp.api import NOT_OPTED_IN, OUTSIDE_WINDOW, GraphConfig, WhatsAppSender, make_sender
from bot.delivery import SendResult
from bot.engine.types import Button, Reply
from bot.knowledge.content import Content, load_content
from bot.runtime import recipients_in
from bot.storage import migrations, whatsapp_status, whatsapp_window
from bot.storage.db import Database
from bot.storage.subscriptions import Subscriber, ensure_subscriber
from tests.support.graph_api import FakeGraph, choices_of
from tests.support.settings import CONTENT, make_settings

ANI = "6281234567890"
KEY = f"whatsapp:{ANI}"


@pytest.fixture(scope="module")
def content() -> Content:
    loaded, problems = load_content(CONTENT)
    assert loaded is not None, [str(p) for p in problems.errors]
    return loaded


@pytest.fixture
async def sender(graph: FakeGraph, database: Database, content: Content) -> AsyncIterator[WhatsAppSender]:
    config = GraphConfig(graph.base_url, graph.token, graph.phone_number_id)
    made = WhatsAppSender(config, database, lambda: content, recipients_in(database, b"k"))
    yield made
    await made.close()


async def test_inside_the_window_replies_go_out_as_they_are(sender: WhatsAppSender, graph: FakeGraph) -> None:
    await whatsapp_window.record_inbound(sender.db, KEY, datetime.now(UTC) - timedelta(hours=23))
    result = await sender.send(KEY, Reply("Pilih:", (Button("a", "Ya"), Button("b", "Tidak"))))
    assert result == SendResult(ok=True)
    assert choices_of(graph.sent_to(ANI)[0]) == [("a", "Ya"), ("b", "Tidak")]


async def test_outside_the_window_nothing_but_a_template_goes_out(sender: WhatsAppSender, graph: FakeGraph) -> None:
    await whatsapp_window.record_inbound(sender.db, KEY, datetime.now(UTC) - timedelta(hours=24, minutes=1))
    result = await sender.send(KEY, Reply("Jadwal posyandu besok."))
    assert not result.ok and result.error == OUTSIDE_WINDOW and not result.blocked
    assert await sender.send("whatsapp:6280000000001", Reply("never wrote to us")) == SendResult(
        ok=False, error=OUTSIDE_WINDOW
    )
    assert graph.requests == []  # never as free text
    assert (await sender.send_template(KEY, "pengumuman", ["Posyandu Melati buka Sabtu."], "id")).error == NOT_OPTED_IN
    assert graph.requests == []  # not opted in: not even a template
    await ensure_subscriber(sender.db, KEY, "whatsapp")
    assert (await sender.send_template(KEY, "pengumuman", ["Posyandu Melati\nbuka Sabtu."], "id")).ok
    [sent] = graph.sent_to(ANI)
    assert sent["type"] == "template"
    assert sent["template"]["name"] == "pengumuman_dinkes" and sent["template"]["language"] == {"code": "id"}
    assert sent["template"]["components"][0]["parameters"] == [{"type": "text", "text": "Posyandu Melati buka Sabtu."}]


async def test_template_must_be_configured_with_its_parameters(sender: WhatsAppSender, graph: FakeGraph) -> None:
    await ensure_subscriber(sender.db, KEY, "whatsapp")
    assert "not in content" in (await sender.send_template(KEY, "promo", [], "id")).error
    assert "takes 3 parameter" in (await sender.send_template(KEY, "pengingat_imunisasi", ["Adi"], "id")).error
    ok = await sender.send_template(KEY, "pengingat_imunisasi", ["Adi", "Campak", "1 Desember 2026"], "en")
    assert ok.ok and graph.sent_to(ANI)[0]["template"]["language"]["code"] == "id"  # no English version approved


async def test_a_user_who_stopped_gets_no_template(sender: WhatsAppSender, graph: FakeGraph) -> None:
    from bot.storage.subscriptions import Subscriber

    await ensure_subscriber(sender.db, KEY, "whatsapp")
    async with sender.db.session() as session:
        row = await session.get(Subscriber, KEY)
        assert row is not None
        row.active = False
    assert (await sender.send_template(KEY, "pesan_baru", [], "id")).error == NOT_OPTED_IN
    assert graph.requests == []


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (131047, {"ok": False, "blocked": False, "transient": False, "retry_after": None}),
        (130429, {"ok": False, "blocked": False, "retry_after": 10.0}),
        (131026, {"ok": False, "blocked": True, "transient": False}),
        (131000, {"ok": False, "blocked": False, "transient": True}),
    ],
)
async def test_meta_errors_become_what_the_worker_acts_on(
    sender: WhatsAppSender, graph: FakeGraph, code: int, expected: dict[str, object]
) -> None:
    await whatsapp_window.record_inbound(sender.db, KEY, datetime.now(UTC))
    graph.fail(ANI, code)
    result = await sender.send(KEY, Reply("Halo"))
    assert {k: getattr(result, k) for k in expected} == expected
    assert result.error.startswith(str(code))
    if code == 131047:  # Meta knows better than our clock: the window is closed now
        assert not await whatsapp_window.window_open(sender.db, KEY)


async def test_wrong_token_and_dead_server(graph: FakeGraph, database: Database, content: Content) -> None:
    await whatsapp_window.record_inbound(database, KEY, datetime.now(UTC))
    wrong = WhatsAppSender(
        GraphConfig(graph.base_url, "stolen", graph.phone_number_id),
        database,
        lambda: content,
        recipients_in(database, b"k"),
    )
    result = await wrong.send(KEY, Reply("Halo"))
    assert not result.ok and not result.transient and result.error.startswith("190")
    await wrong.close()
    dead = WhatsAppSender(
        GraphConfig("http://127.0.0.1:9/v21.0", graph.token, "1"),
        database,
        lambda: content,
        recipients_in(database, b"k"),
    )
    result = await dead.send(KEY, Reply("Halo"))
    assert not result.ok and result.transient
    await dead.close()
    assert graph.accepted == []


async def test_not_a_whatsapp_user(sender: WhatsAppSender) -> None:
    assert not (await sender.send("telegram:42", Reply("Halo"))).ok
    assert not (await sender.send_template("telegram:42", "pesan_baru", [], "id")).ok


async def test_window_keeps_the_latest_time(database: Database) -> None:
    now = datetime.now(UTC)
    await whatsapp_window.record_inbound(database, KEY, now - timedelta(hours=2))
    await whatsapp_window.record_inbound(database, KEY, now - timedelta(hours=30))  # a late redelivery
    last = await whatsapp_window.last_inbound(database, KEY)
    assert last is not None and abs((last - (now - timedelta(hours=2))).total_seconds()) < 1


def test_make_sender_is_off_without_credentials(tmp_path: Path, content: Content) -> None:
    settings = make_settings(tmp_path)
    db = Database(settings.database_url)
    assert make_sender(settings, db, lambda: content, recipients_in(db, b"k")) is None


async def test_window_writer_writes_the_latest_time_in_one_go(database: Database) -> None:
    writer = whatsapp_window.WindowWriter(database, delay=0.01)
    now = datetime.now(UTC)
    writer.note(KEY, now - timedelta(minutes=5))
    writer.note(KEY, now)
    writer.note(KEY, now - timedelta(minutes=9))  # out of order: the latest still wins
    writer.note("whatsapp:6280000000002", now)
    writer.forget("whatsapp:6280000000002")  # WhatsApp said closed: the note must not reopen it
    await writer.close()
    last = await whatsapp_window.last_inbound(database, KEY)
    assert last is not None and abs((last - now).total_seconds()) < 1
    assert await whatsapp_window.last_inbound(database, "whatsapp:6280000000002") is None


async def test_window_writer_keeps_its_notes_when_the_database_is_down(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/no-schema-yet.db")
    writer = whatsapp_window.WindowWriter(db, delay=0.01)
    writer.note(KEY, datetime.now(UTC))
    await writer.close()  # no table: the write fails and is logged, the note is kept
    await migrations.upgrade(db)
    await writer.close()
    assert await whatsapp_window.window_open(db, KEY)
    await db.dispose()


async def test_status_writer_records_a_moment_of_statuses_in_one_go(database: Database) -> None:
    blocked, other = "whatsapp:6280000000009", "whatsapp:6280000000008"
    await ensure_subscriber(database, blocked, "whatsapp")
    await ensure_subscriber(database, other, "whatsapp")
    now = datetime.now(UTC)
    writer = whatsapp_status.StatusWriter(database, delay=0.01)
    writer.add(whatsapp_status.Status("wamid.A", "sent", KEY, now))
    writer.add(whatsapp_status.Status("wamid.A", "delivered", KEY, now))
    writer.add(whatsapp_status.Status("wamid.A", "delivered", KEY, now + timedelta(seconds=5)))  # redelivered
    writer.add(whatsapp_status.Status("wamid.B", "failed", blocked, now, error_code=131026))
    writer.add(whatsapp_status.Status("wamid.C", "failed", other, now, error_code=131000))  # failed, not gone
    await writer.close()
    # a callback delivered again after its batch was written is kept once as well
    writer.add(whatsapp_status.Status("wamid.A", "sent", KEY, now + timedelta(seconds=9)))
    await writer.close()
    assert await whatsapp_status.statuses_of(database, "wamid.A") == ["sent", "delivered"]
    assert await whatsapp_status.statuses_of(database, "wamid.B") == ["failed"]
    async with database.session() as session:
        gone, still = await session.get(Subscriber, blocked), await session.get(Subscriber, other)
    assert gone is not None and gone.blocked and not gone.active  # undeliverable: reminders stop
    assert still is not None and still.active and not still.blocked
