"""The query log's storage, writer, retention and migrations, on SQLite and the real PostgreSQL server."""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.privacy import pseudonym, redact
from bot.querylog.writer import QueryLogWriter
from bot.storage import migrations, querylog
from bot.storage.db import Database
from bot.storage.querylog import Feedback, QueryDailyCount, QueryLog, QueryRow


def row(
    day: date, intent: str = "uhc", user: str = "u1", answered: bool = True, text: str | None = "apa itu uhc"
) -> QueryRow:
    return QueryRow(
        ref=uuid.uuid4().hex,
        at=datetime(day.year, day.month, day.day, 3, tzinfo=UTC),
        day=day,
        channel="telegram",
        user_pseudonym=user,
        text=text,
        intent=intent,
        confidence=0.9,
        answered=answered,
        response_ms=12,
        content_version="v1",
    )


async def all_rows(db: Database) -> list[QueryLog]:
    async with db.session() as s:
        return list(await s.scalars(select(QueryLog).order_by(QueryLog.id)))


async def test_migrations_give_exactly_the_models_schema(database: Database, tmp_path: Path) -> None:
    """`alembic upgrade head` alone (no safety net) makes every table in bot.storage.schema, and nothing differs.

    A new model without its revision fails here: `python -m bot.storage.migrations "what changed"` writes it.
    """
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import inspect

    from bot.storage.migrations import alembic_config
    from bot.storage.schema import metadata
    from tests.support.postgres import empty_database_like

    def migrate_and_diff(connection: object) -> tuple[list[object], set[str]]:
        command.upgrade(alembic_config(connection), "head")  # type: ignore[arg-type]
        context = MigrationContext.configure(connection, opts={"compare_type": True})  # type: ignore[arg-type]
        return list(compare_metadata(context, metadata)), set(inspect(connection).get_table_names())  # type: ignore[arg-type]

    async with empty_database_like(database, tmp_path) as fresh:
        async with fresh.engine.begin() as conn:
            diff, tables = await conn.run_sync(migrate_and_diff)
        assert diff == []
        assert tables == {*metadata.tables, "alembic_version"}
        await migrations.upgrade(fresh)  # upgrading again is a no-op


async def test_writer_batches_feedback_and_erase(database: Database) -> None:
    writer = QueryLogWriter(database, batch_size=3, interval=0.05)
    rows = [row(date(2026, 11, 23), user=f"u{i % 2}") for i in range(7)]
    for r in rows:
        writer.add(r)
    writer.add(Feedback(ref=rows[0].ref, user_pseudonym="u0", helpful=True))
    writer.add(Feedback(ref=rows[1].ref, user_pseudonym="someone-else", helpful=False))  # not theirs: ignored
    await writer.flush()
    stored = await all_rows(database)
    assert [r.ref for r in stored] == [r.ref for r in rows]
    assert stored[0].helpful is True and stored[1].helpful is None
    assert await querylog.erase_pseudonym(database, "u0") == 4
    assert {r.user_pseudonym for r in await all_rows(database)} == {"u1"}
    await writer.close()


async def test_outage_buffers_retries_and_loses_nothing(
    database: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.querylog import writer as writer_module

    real = writer_module.write_batch
    down = True

    async def flaky(db: Database, items: list[object]) -> None:
        if down:
            raise OSError("connection refused")
        await real(db, items)  # type: ignore[arg-type]

    monkeypatch.setattr(writer_module, "write_batch", flaky)
    writer = QueryLogWriter(database, batch_size=10, interval=0.01, max_pause=0.05)
    with caplog.at_level(logging.ERROR):
        for _ in range(25):
            writer.add(row(date(2026, 11, 23)))
        await asyncio.sleep(0.2)
    assert writer.pending == 25
    assert "database unavailable" in caplog.text and "25 rows buffered" in caplog.text
    down = False
    for _ in range(100):
        if writer.pending == 0:
            break
        await asyncio.sleep(0.02)
    assert len(await all_rows(database)) == 25
    await writer.close()


async def test_buffer_is_bounded_with_a_clear_line(database: Database, caplog: pytest.LogCaptureFixture) -> None:
    writer = QueryLogWriter(database, batch_size=1000, max_buffer=5)
    with caplog.at_level(logging.ERROR):
        for _ in range(8):
            writer.add(row(date(2026, 11, 23)))
    assert writer.pending == 5 and writer.dropped == 3
    assert "buffer full" in caplog.text
    await writer.close()
    assert len(await all_rows(database)) == 5


async def test_retention_deletes_old_texts_and_keeps_daily_counts(database: Database) -> None:
    today = date(2026, 11, 23)
    old, recent = today - timedelta(days=200), today - timedelta(days=10)
    items: list[QueryRow | Feedback] = [row(old), row(old), row(old, intent="fallback", answered=False), row(recent)]
    items.append(Feedback(ref=items[0].ref, user_pseudonym="u1", helpful=False))  # type: ignore[union-attr]
    await querylog.write_batch(database, items)
    assert await querylog.apply_retention(database, days=180, today=today) == 3
    assert await querylog.apply_retention(database, days=180, today=today) == 0  # twice is harmless
    left = await all_rows(database)
    assert [r.day for r in left] == [recent]
    async with database.session() as s:
        counts = {(c.day, c.intent): c for c in await s.scalars(select(QueryDailyCount))}
    assert (counts[(old, "uhc")].total, counts[(old, "uhc")].answered, counts[(old, "uhc")].helpful_no) == (2, 2, 1)
    assert (counts[(old, "fallback")].total, counts[(old, "fallback")].answered) == (1, 0)


def test_retention_period_from_the_environment() -> None:
    assert querylog.retention_days({}) == 180
    assert querylog.retention_days({"QUERY_LOG_RETENTION_DAYS": "30"}) == 30
    assert querylog.retention_days({"QUERY_LOG_RETENTION_DAYS": "banyak"}) == 180
    assert querylog.retention_days({"QUERY_LOG_RETENTION_DAYS": "0"}) == 180


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("NIK saya 1471021234560001", "nik"),
        ("nik 1471 0212 3456 0001 ya", "nik"),
        ("1471.0212.3456.0001", "nik"),
        ("1471-0212-3456-0001 tolong cek", "nik"),
        ("nomor 1471  0212  3456  0001", "nik"),
        ("hp saya 081234567890", "phone"),
        ("wa 0812-3456-7890", "phone"),
        ("0812 3456 7890", "phone"),
        ("0812.3456.7890", "phone"),
        ("+62 812-3456-7890", "phone"),
        ("+6281234567890", "phone"),
        ("6281234567890", "phone"),
        ("(+62) 812 3456 7890", "phone"),
        ("+62 (0)812 3456 7890", "phone"),
        ("telp (0761) 123456", "phone"),
        ("budi@gmail.com", "email"),
        ("Budi.Santoso+bpjs@Yahoo.co.id", "email"),
        ("budi.santoso @ gmail . com", "email"),
        ("budi[at]gmail[dot]com", "email"),
        ("budi (at) yahoo (dot) co (dot) id", "email"),
        ("budi at gmail dot com", "email"),
    ],
)
def test_redaction_in_many_spellings(text: str, kind: str) -> None:
    result = redact(text)
    assert kind in result.kinds
    digits = "".join(c for c in result.text if c.isdigit())
    assert len(digits) < 5, result.text
    assert "gmail" not in result.text.lower() and "yahoo" not in result.text.lower()


@pytest.mark.parametrize(
    "text",
    ["imunisasi tanggal 01 02 2024", "anak umur 2 tahun 3 bulan", "jam 08.00 sampai 16.00", "ada 20000 kasus di 2024"],
)
def test_redaction_leaves_ordinary_numbers(text: str) -> None:
    assert redact(text).text == text


def test_pseudonym_is_stable_keyed_and_not_the_id() -> None:
    key = b"office-secret"
    first = pseudonym("telegram:12345", key)
    assert first == pseudonym("telegram:12345", key)  # stable across calls (and restarts: same key)
    assert first != pseudonym("telegram:12346", key)
    assert first != pseudonym("telegram:12345", b"other-key")  # without the key it cannot be recomputed
    assert "12345" not in first and len(first) == 32
    # A dictionary attack without the key finds nothing: unkeyed hashes of every nearby id never match.
    import hashlib

    guesses = {hashlib.sha256(f"telegram:{n}".encode()).hexdigest()[:32] for n in range(12000, 12500)}
    assert first not in guesses


async def test_retention_job_for_the_worker(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.querylog.retention import run_retention

    today = date(2026, 11, 23)
    await querylog.write_batch(database, [row(today - timedelta(days=40)), row(today - timedelta(days=5))])
    monkeypatch.setenv("QUERY_LOG_RETENTION_DAYS", "30")
    assert await run_retention(database, today) == 1
    assert [r.day for r in await all_rows(database)] == [today - timedelta(days=5)]
    from bot.querylog import retention

    monkeypatch.setattr(retention, "apply_retention", _boom)  # a broken database is logged, not raised
    assert await run_retention(database, today) == 0


async def _boom(*_args: object) -> int:
    raise OSError("database gone")


def test_db_upgrade_command_and_a_database_made_before_migrations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy import create_engine, inspect

    from bot.__main__ import main
    from bot.storage.models import Conversation
    from bot.storage.schema import metadata

    legacy = tmp_path / "legacy.db"
    engine = create_engine(f"sqlite:///{legacy}")
    Conversation.__table__.create(engine)  # what create_all made before Alembic
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{legacy}")
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "upgrade"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert set(inspect(engine).get_table_names()) == {*metadata.tables, "alembic_version"}
    engine.dispose()


def test_admin_erase_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    from bot.__main__ import main
    from bot.engine.state import load_state, save_state
    from bot.storage import subscriptions

    url = f"sqlite+aiosqlite:///{tmp_path}/bot.db"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PSEUDONYM_KEY", "admin-test")
    user = "telegram:777"

    async def fill() -> None:
        db = Database(url)
        await migrations.upgrade(db)
        await subscriptions.ensure_subscriber(db, user, "telegram")
        from bot.engine.state import ConversationState

        await save_state(db, user, b"admin-test", "telegram", ConversationState(lang="en"), version=0)
        await querylog.write_batch(db, [row(date(2026, 11, 23), user=pseudonym(user, b"admin-test"))])
        await db.dispose()

    async def left() -> tuple[int, object, str]:
        db = Database(url)
        rows = len(await all_rows(db))
        async with db.session() as s:
            sub = await s.get(subscriptions.Subscriber, user)
        lang = (await load_state(db, user, b"admin-test"))[0].lang
        await db.dispose()
        return rows, sub, lang

    asyncio.run(fill())
    monkeypatch.setattr("sys.stdin", io.StringIO("no\n"))
    assert main(["admin", "erase", user]) == 1  # not confirmed: nothing happens
    assert asyncio.run(left())[0] == 1
    monkeypatch.setattr("sys.stdin", io.StringIO("YES\n"))
    assert main(["admin", "erase", user]) == 0
    assert asyncio.run(left()) == (0, None, "id")
    assert "query_log" in capsys.readouterr().out
    assert main(["admin", "erase", "777", "--yes"]) == 2  # a key without its channel is refused


def test_pseudonym_survives_a_restart_without_a_configured_key(tmp_path: Path) -> None:
    from bot.config import Settings

    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/data/bot.db"}
    first = pseudonym("whatsapp:6281234567890", Settings.from_env(env).pseudonym_secret())
    again = pseudonym("whatsapp:6281234567890", Settings.from_env(env).pseudonym_secret())  # a new process
    assert first == again
    assert (tmp_path / "data" / "pseudonym.key").stat().st_mode & 0o077 == 0  # only the bot can read the key


async def test_a_model_without_migration_still_works_but_is_reported(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from sqlalchemy import Column, Integer, Table, inspect

    from bot.storage.schema import metadata

    probe = Table("probe_without_migration", metadata, Column("id", Integer, primary_key=True))
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/probe.db")
    try:
        with caplog.at_level(logging.ERROR):
            await migrations.upgrade(db)
        async with db.engine.connect() as conn:
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert "probe_without_migration" in tables
        assert "tables without a migration: probe_without_migration" in caplog.text
    finally:
        metadata.remove(probe)
        await db.dispose()
