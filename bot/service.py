"""The bot as one object the channels talk to: content, database and dialogue together."""

from __future__ import annotations

import logging
from datetime import date

from bot.config import Settings
from bot.engine import flood
from bot.engine.dialogue import Dialogue
from bot.engine.features import erase
from bot.engine.requirements import CHECKS as CODE_NEEDS
from bot.engine.types import Inbound, Outcome, Reply
from bot.i18n import translations
from bot.knowledge.holder import ContentHolder
from bot.privacy import pseudonym
from bot.querylog.recorder import QueryRecorder
from bot.storage import conversations
from bot.storage import erase as erasing
from bot.storage.db import Database

log = logging.getLogger(__name__)


class BotService:
    def __init__(self, settings: Settings, holder: ContentHolder, db: Database) -> None:
        self.settings = settings
        self.holder = holder
        self.db = db
        self.querylog = QueryRecorder(db, settings.pseudonym_secret())
        self.dialogue = Dialogue(lambda: self.holder.current, db, after_turn=self.querylog.after_turn)
        self.flood = flood.FloodGuard()  # per process; the console (a local terminal) is not guarded

    @classmethod
    async def start(cls, settings: Settings) -> BotService:
        holder = ContentHolder(settings.content_dir, CODE_NEEDS)
        db = Database(settings.database_url)
        await db.create_schema()
        return cls(settings, holder, db)

    async def handle(self, inbound: Inbound, today: date | None = None) -> Outcome:
        verdict = self.flood.check(inbound.user_key) if inbound.channel != "console" else flood.Verdict.ALLOW
        if verdict is not flood.Verdict.ALLOW:  # neither answered nor logged: one polite note, then silence
            if verdict is flood.Verdict.WARN:
                log.warning("flood: %s is slowed down", pseudonym(inbound.user_key, self.querylog.secret))
            return await flood.slow_down(self.db, inbound.user_key, verdict)
        token = self.querylog.begin()
        try:
            outcome = await self.dialogue.handle(inbound, today=today)
            if outcome.intent == erase.ERASED:
                return await self._erase(inbound.user_key, outcome)
            self.querylog.finish(inbound, outcome)  # queued: written off the request path
            return outcome
        finally:
            self.querylog.end(token)

    async def _erase(self, user_key: str, done: Outcome) -> Outcome:
        """/hapusdata confirmed: this turn is not logged, and everything kept about the user goes."""
        try:
            await self.querylog.forget(user_key)
            await erasing.erase_user(self.db, user_key, self.querylog.secret)
        except Exception:
            log.exception("erasing a user's data failed")
            lang = (await conversations.load_state(self.db, user_key)).lang if await self.db.ping() else "id"
            text = translations(lang).gettext(
                "Maaf, data Anda belum bisa dihapus sekarang. Silakan coba lagi nanti dengan /hapusdata."
            )
            return Outcome("erase.failed", (Reply(text),), answered=False)
        return done

    async def close(self) -> None:
        await self.querylog.close()  # every queued log row is written before the database goes
        await self.db.dispose()
