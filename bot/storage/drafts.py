"""What office staff do on the dashboard that the content and the record keep.

`staff_actions`: one row per staff action that is not in a handover's own thread (marking an
inbox group, saving a draft FAQ entry), with the login and the time; claims, replies and closes
are in `handover_events` with theirs.
`faq_drafts`: an officer's answer turned into a draft FAQ entry (question variants + answer), with
the YAML snippet the dashboard offered and what `content check` said of it. Drafts hold residents'
questions as the query log keeps them (redacted, no user key) and staff's words; nothing ties them
to a resident.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Boolean, DateTime, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.db import Database
from bot.storage.models import Base
from bot.storage.scope import EVERY, Scope

MARK, DRAFT = "mark", "draft"


class StaffAction(Base):
    __tablename__ = "staff_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    login: Mapped[str] = mapped_column(String(64), index=True)  # a dashboard login, never a resident
    action: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(300))  # the inbox group key, the draft's id...
    detail: Mapped[str] = mapped_column(String(300), default="")


class FaqDraft(Base):
    __tablename__ = "faq_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(64))  # a dashboard login
    intent_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    questions: Mapped[str] = mapped_column(Text)  # one per line
    answer: Mapped[str] = mapped_column(Text)
    group_key: Mapped[str] = mapped_column(String(300), default="")  # the inbox group it answers, if any
    snippet: Mapped[str] = mapped_column(Text)  # the YAML offered to add to content/faq/
    passed: Mapped[bool] = mapped_column(Boolean, default=False)  # `content check` found no error
    problems: Mapped[str] = mapped_column(Text, default="")  # what it found, one per line
    office: Mapped[str | None] = mapped_column(String(8), nullable=True)  # whose content it is for (region code)


@dataclass(frozen=True, slots=True)
class Action:
    at: datetime
    login: str
    action: str
    subject: str
    detail: str


@dataclass(frozen=True, slots=True)
class Draft:
    id: int
    created_at: datetime
    created_by: str
    intent_id: str
    title: str
    questions: tuple[str, ...]
    answer: str
    group_key: str
    snippet: str
    passed: bool
    problems: tuple[str, ...]
    office: str | None = None  # the office whose content it is for; None = from before offices were kept


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def record(db: Database, login: str, action: str, subject: str, detail: str = "") -> None:
    async with db.session() as session:
        session.add(
            StaffAction(at=datetime.now(UTC), login=login, action=action, subject=subject[:300], detail=detail[:300])
        )


async def actions(db: Database, subject: str | None = None, limit: int = 50) -> list[Action]:
    """The newest staff actions first, all or on one subject."""
    query = select(StaffAction).order_by(StaffAction.id.desc()).limit(limit)
    if subject is not None:
        query = query.where(StaffAction.subject == subject)
    async with db.session() as session:
        return [Action(_aware(r.at), r.login, r.action, r.subject, r.detail) for r in await session.scalars(query)]


def _draft(row: FaqDraft) -> Draft:
    return Draft(
        row.id, _aware(row.created_at), row.created_by, row.intent_id, row.title,
        tuple(q for q in row.questions.splitlines() if q), row.answer, row.group_key, row.snippet, row.passed,
        tuple(p for p in row.problems.splitlines() if p), row.office,
    )  # fmt: skip


async def save_draft(
    db: Database,
    login: str,
    intent_id: str,
    title: str,
    questions: list[str],
    answer: str,
    group_key: str,
    snippet: str,
    problems: list[str],
    passed: bool,
    office: str | None = None,
) -> Draft:
    """Keep a draft (for `office`'s content) and record who saved it; returns it with its number."""
    now = datetime.now(UTC)
    async with db.session() as session:
        row = FaqDraft(
            created_at=now, created_by=login, intent_id=intent_id[:64], title=title[:200],
            questions="\n".join(questions), answer=answer, group_key=group_key[:300], snippet=snippet,
            passed=passed, problems="\n".join(problems), office=office,
        )  # fmt: skip
        session.add(row)
        await session.flush()
        session.add(StaffAction(at=now, login=login, action=DRAFT, subject=f"faq_draft:{row.id}", detail=intent_id))
        return _draft(row)


async def draft(db: Database, draft_id: int) -> Draft | None:
    async with db.session() as session:
        row = await session.get(FaqDraft, draft_id)
        return _draft(row) if row is not None else None


async def drafts(db: Database, limit: int = 50, scope: Scope = EVERY) -> list[Draft]:
    async with db.session() as session:
        query = select(FaqDraft).where(scope.where(FaqDraft.office))
        rows = await session.scalars(query.order_by(FaqDraft.id.desc()).limit(limit))
        return [_draft(r) for r in rows]
