"""Schema creation. (Alembic migrations replace this with the query-log work.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.storage.schema import metadata

if TYPE_CHECKING:
    from bot.storage.db import Database


async def upgrade(db: Database) -> None:
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
