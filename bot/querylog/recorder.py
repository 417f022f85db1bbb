"""What the service logs about each turn: the facts gathered during the turn, then one row.

The recorder only records: what the answer says (its intent, whether it asked for feedback, a
rating it carries) is decided by the dialogue. Staff trying the bot from the dashboard are not
residents, so their turns are not logged.
"""

from __future__ import annotations

import logging
import os
import time
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from datetime import UTC, date

from bot.engine.turn import Turn
from bot.engine.types import Inbound, Outcome
from bot.privacy import pseudonym
from bot.querylog.writer import Item, QueryLogWriter
from bot.storage import turn_writes
from bot.storage.db import Database
from bot.storage.querylog import Feedback, QueryRow

log = logging.getLogger(__name__)

TRIAL_CHANNEL = "dashboard"  # the dashboard's "try the bot" box: staff testing, never a resident's question


@dataclass
class _Facts:
    started: float = field(default_factory=time.perf_counter)
    text: str | None = None
    day: date | None = None
    content_version: str = ""
    kelurahan: str | None = None
    office: str | None = None


_current: ContextVar[_Facts | None] = ContextVar("querylog_turn", default=None)


class QueryRecorder:
    def __init__(self, db: Database, secret: bytes, writer: QueryLogWriter | None = None) -> None:
        self.secret = secret
        self.writer = writer or QueryLogWriter(db)

    def pseudonym(self, user_key: str) -> str:
        return pseudonym(user_key, self.secret)

    def begin(self) -> Token[_Facts | None]:
        """Start collecting one turn's facts (call `end` with the token afterwards)."""
        return _current.set(_Facts())

    def end(self, token: Token[_Facts | None]) -> None:
        _current.reset(token)

    async def after_turn(self, turn: Turn, outcome: Outcome) -> None:
        """The dialogue's hook, inside the turn: note what only the turn knows (redacted text, day, area)."""
        facts = _current.get()
        if facts is None:
            return
        facts.text = turn.text or None
        facts.day = turn.inbound.at.astimezone(turn.content.office.zone).date()
        facts.content_version = turn.content.version
        kelurahan = turn.state.profile.get("kelurahan_code")
        facts.kelurahan = str(kelurahan)[:32] if kelurahan else None
        facts.office = turn.content.office.region_code[:8] or None  # the office that answered

    def finish(self, inbound: Inbound, outcome: Outcome) -> None:
        """Queue the turn's row (and any feedback it carried); never raises into the answer."""
        if inbound.channel == TRIAL_CHANNEL:
            return
        try:
            facts = _current.get() or _Facts()
            user = self.pseudonym(inbound.user_key)
            # the ref: 32 hex digits as uuid4().hex was, at a fifth of its CPU
            items: list[Item] = [
                QueryRow(
                    ref=outcome.feedback_ref or os.urandom(16).hex(),
                    at=inbound.at,
                    day=facts.day or inbound.at.astimezone(UTC).date(),
                    channel=inbound.channel[:16],
                    user_pseudonym=user,
                    text=facts.text,  # already redacted by the dialogue (NIK, phone, e-mail)
                    intent=outcome.intent[:64],
                    confidence=float(outcome.confidence),
                    answered=outcome.answered,
                    response_ms=round((time.perf_counter() - facts.started) * 1000),
                    content_version=facts.content_version[:32],
                    kelurahan_code=facts.kelurahan,
                    feedback_asked=outcome.feedback_ref is not None,
                    office=facts.office,
                )
            ]
            if outcome.rating is not None:
                items.append(Feedback(outcome.rating.ref[:32], user_pseudonym=user, helpful=outcome.rating.helpful))
            held = turn_writes.current()
            if held is not None:  # on the answering path: logged once the turn is committed, not if it is redone
                held.after_commit(lambda: self._add(items))
            else:
                self._add(items)
        except Exception:  # the log must never cost a resident their answer
            log.exception("query log: could not record a turn")

    def _add(self, items: list[Item]) -> None:
        for item in items:
            self.writer.add(item)

    async def forget(self, user_key: str) -> None:
        await self.writer.forget(self.pseudonym(user_key))

    async def close(self) -> None:
        await self.writer.close()
