"""The bot as one object the channels talk to: content, database and dialogue together."""

from __future__ import annotations

import logging
from datetime import date

from bot.config import Settings
from bot.engine.dialogue import Dialogue
from bot.engine.types import Inbound, Outcome
from bot.knowledge.holder import ContentHolder
from bot.storage.db import Database

log = logging.getLogger(__name__)


class BotService:
    def __init__(self, settings: Settings, holder: ContentHolder, db: Database) -> None:
        self.settings = settings
        self.holder = holder
        self.db = db
        self.dialogue = Dialogue(lambda: self.holder.current, db)

    @classmethod
    async def start(cls, settings: Settings) -> BotService:
        holder = ContentHolder(settings.content_dir)
        db = Database(settings.database_url)
        await db.create_schema()
        return cls(settings, holder, db)

    async def handle(self, inbound: Inbound, today: date | None = None) -> Outcome:
        return await self.dialogue.handle(inbound, today=today)

    async def close(self) -> None:
        await self.db.dispose()
