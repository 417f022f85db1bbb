"""Erasure: one declared list covers every column that can hold a user key; /hapusdata leaves no trace."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, select

from bot.knowledge.holder import ContentHolder
from bot.privacy import pseudonym
from bot.runtime import Runtime
from bot.storage import broadcasts, outbox, roles, subscriptions, whatsapp_status, whatsapp_window
from bot.storage.db import Database
from bot.storage.erase import NOT_USER_KEYS, USER_COLUMNS, uncovered_columns
from bot.storage.schema import metadata
from tests.support.chat import Chat
from tests.support.settings import CONTENT, make_settings

SECRET = b"test-key"  # make_settings sets PSEUDONYM_KEY=test-key
AREA = "14.71.01.1002"


def test_every_column_that_can_hold_a_user_key_is_erased() -> None:
    assert uncovered_columns(metadata) == []
    for table, column in [(c.table, c.column) for c in USER_COLUMNS] + list(NOT_USER_KEYS):
        assert column in metadata.tables[table].c, f"{table}.{column} is listed but does not exist"


def test_a_new_user_column_without_an_erasure_rule_is_caught() -> None:
    probe = MetaData()
    Table(
        "probe",
        probe,
        Column("id", Integer, primary_key=True),
        Column("reviewed_by", String(128)),  # by its name
        Column("recipient", String(128), info={"user_key": True}),  # by its marker
        Column("note", String(128)),
    )
    assert uncovered_columns(probe) == ["probe.recipient", "probe.reviewed_by"]


async def _fill(db: Database, user: str, other: str) -> None:
    """The user in every table that can hold a user key, and another user next to them."""
    now = datetime.now(UTC)
    for who in (user, other):
        await subscriptions.add_child_reminder(db, who, "console", date(2026, 5, 1), "Budi")
        await broadcasts.create_broadcast(db, who, "id", "cadre", "Posyandu besok", AREA, now, None)
        await outbox.enqueue(db, f"r:{who}", who, "console", "id", "Pengingat", now)
        await whatsapp_status.record_status(db, f"wamid.{who}", "sent", who, now)
        await whatsapp_window.record_inbound(db, who, now)
    await roles.grant(db, user, roles.STAFF, None, granted_by="console:kepala")
    await roles.grant(db, other, roles.CADRE, AREA, granted_by=user)  # the staff member's key must go too


async def test_hapusdata_leaves_no_trace_in_any_table(database: Database, tmp_path: Path) -> None:
    service = Runtime(make_settings(tmp_path), database, ContentHolder(CONTENT))
    user, other = "console:ani", "console:lain"
    traces = (user, pseudonym(user, SECRET))
    try:
        await _fill(database, user, other)
        await Chat(service, user="lain").run("halo", "apa itu uhc")
        ani = Chat(service, user="ani")
        await ani.run("halo", "apa itu uhc", "mau bicara dengan petugas", "/bahasa english")
        assert (await ani.say("/hapusdata"))["intent"] == "erase.ask"
        assert (await ani.say("@btn hapus:ya"))["intent"] == "erase.done"
    finally:
        await service.close()  # writes every queued query-log row before we look

    others = 0
    async with database.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in (await conn.execute(select(table))).all():
                for column, value in zip(table.columns, row, strict=True):
                    stored = "" if value is None else str(value)
                    assert not any(t in stored for t in traces), f"{table.name}.{column.name} still holds the user"
                    others += other in stored or pseudonym(other, SECRET) in stored
    assert others >= 10  # the other user's rows stayed: the scan looked at real data
