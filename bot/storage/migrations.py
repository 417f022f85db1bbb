"""Schema migrations with Alembic: `upgrade(db)` brings any database to the newest revision.

The migrations live in `bot/storage/alembic/versions`; the same revisions run on SQLite
and PostgreSQL. A new table: add its model, then `python -m bot.storage.migrations
"what changed"` writes the next revision from the models (review it before committing).
"""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from bot.storage.schema import metadata

if TYPE_CHECKING:
    from alembic.config import Config

    from bot.storage.db import Database

log = logging.getLogger(__name__)
logging.getLogger("alembic").setLevel(logging.WARNING)  # its INFO lines are noise on every start; we log changes

SCRIPTS = Path(__file__).resolve().parent / "alembic"
_LOCK_ID = 7_432_019  # PostgreSQL advisory lock: two processes starting together migrate one after the other


def alembic_config(connection: Connection | None = None, pseudonym_secret: bytes | None = None) -> Config:
    from alembic.config import Config  # imported late: alembic logs at INFO while it loads its plugins

    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.attributes["connection"] = connection
    config.attributes["pseudonym_secret"] = pseudonym_secret  # 0003 turns stored user ids into pseudonyms
    return config


def _upgrade(connection: Connection, pseudonym_secret: bytes | None = None) -> None:
    from alembic import command
    from alembic.migration import MigrationContext

    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
    tables = set(inspect(connection).get_table_names())
    config = alembic_config(connection, pseudonym_secret)
    if tables and "alembic_version" not in tables:
        # A database made before migrations existed (create_all): add what is missing, then mark it current.
        metadata.create_all(connection)
        command.stamp(config, "head")
        log.info("database schema: existing tables adopted at revision %s", _head(config))
        return
    current = MigrationContext.configure(connection).get_current_revision()
    if current != _head(config):
        log.info("database schema: migrating from %s to %s", current or "empty", _head(config))
        command.upgrade(config, "head")
    missing = sorted(set(metadata.tables) - set(inspect(connection).get_table_names()))
    if missing:
        # A model without a migration yet (someone added a table): keep the bot running, but say so loudly.
        # tests/test_querylog_storage.py fails until the revision exists.
        log.error(
            "tables without a migration: %s; creating them directly. Write the revision: "
            'python -m bot.storage.migrations "what changed"',
            ", ".join(missing),
        )
        metadata.create_all(connection, tables=[metadata.tables[name] for name in missing])


def _head(config: Config) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(config).get_current_head()


async def upgrade(db: Database, pseudonym_secret: bytes | None = None) -> None:
    """Create or migrate the schema to the newest revision (`python -m bot db upgrade`).

    With the pseudonym key, data stored under raw user ids by older revisions is converted, not dropped.
    """
    async with db.engine.begin() as conn:
        await conn.run_sync(_upgrade, pseudonym_secret)


async def _autogenerate(message: str, rev_id: str | None = None) -> None:
    """Write the next revision: the difference between the migrated schema and the models."""
    from alembic import command

    from bot.storage.db import Database

    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite+aiosqlite:///{tmp}/schema.db")
        try:
            async with db.engine.begin() as conn:
                await conn.run_sync(lambda c: command.upgrade(alembic_config(c), "head"))
                await conn.run_sync(
                    lambda c: command.revision(alembic_config(c), message=message, autogenerate=True, rev_id=rev_id)
                )
        finally:
            await db.dispose()


if __name__ == "__main__":
    asyncio.run(_autogenerate(" ".join(sys.argv[1:]) or "schema change"))
