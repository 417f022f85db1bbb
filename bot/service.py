"""One turn end to end: flood guard, dialogue, query log and erasure. Assembled by bot.runtime."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from bot.engine import flood
from bot.engine.dialogue import Dialogue
from bot.engine.features import erase
from bot.engine.semantic import SemanticStage
from bot.engine.types import Inbound, Outcome, Reply
from bot.i18n import translations
from bot.knowledge.content import Content
from bot.knowledge.offices import Offices
from bot.privacy import pseudonym
from bot.querylog.recorder import QueryRecorder
from bot.storage import conversations
from bot.storage import erase as erasing
from bot.storage.db import Database

log = logging.getLogger(__name__)


class BotService:
    """`handle(inbound)` for every channel; it uses the live content, the database and the query recorder."""

    def __init__(
        self,
        content: Callable[[], Content],
        db: Database,
        querylog: QueryRecorder,
        offices: Callable[[], Offices] | None = None,
        semantic: SemanticStage | None = None,
    ) -> None:
        self.db = db
        self.querylog = querylog
        self.secret = querylog.secret  # the pseudonym key: conversation state is stored under the pseudonym
        self.dialogue = Dialogue(
            content,
            db,
            after_turn=querylog.after_turn,
            pseudonym_secret=self.secret,
            offices=offices,
            semantic=semantic,
        )
        self.flood = flood.FloodGuard()  # per process; the console (a local terminal) is not guarded

    async def handle(self, inbound: Inbound, today: date | None = None) -> Outcome:
        verdict = self.flood.check(inbound.user_key) if inbound.channel != "console" else flood.Verdict.ALLOW
        if verdict is not flood.Verdict.ALLOW:  # neither answered nor logged: one polite note, then silence
            if verdict is flood.Verdict.WARN:
                log.warning("flood: %s is slowed down", pseudonym(inbound.user_key, self.querylog.secret))
            return await flood.slow_down(self.db, inbound.user_key, self.secret, verdict)
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
            lang = (
                await conversations.language_of(self.db, user_key, self.secret) if await self.db.ping() else None
            ) or "id"
            text = translations(lang).gettext(
                "Maaf, data Anda belum bisa dihapus sekarang. Silakan coba lagi nanti dengan /hapusdata."
            )
            return Outcome("erase.failed", (Reply(text),), answered=False)
        return done
