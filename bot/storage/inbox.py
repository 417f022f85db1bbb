"""What staff decided about a group of unanswered questions (the content-gap inbox)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, String, select
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.db import Database
from bot.storage.drafts import MARK, StaffAction
from bot.storage.models import Base

ANSWERED_BY_FAQ, NOT_OUR_TOPIC, NEEDS_CONTENT = "answered_by_faq", "not_our_topic", "needs_content"
STATUSES = (ANSWERED_BY_FAQ, NOT_OUR_TOPIC, NEEDS_CONTENT)


class InboxMark(Base):
    __tablename__ = "inbox_marks"

    group_key: Mapped[str] = mapped_column(String(300), primary_key=True)  # reports.question_key of the group
    status: Mapped[str] = mapped_column(String(20))
    intent_id: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the FAQ that answers it
    updated_by: Mapped[str] = mapped_column(String(64))  # a staff username, never a resident
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


async def mark(db: Database, group_key: str, status: str, intent_id: str | None, staff: str) -> None:
    if status not in STATUSES:
        raise ValueError(f"unknown status {status}")
    async with db.session() as session:
        row = await session.get(InboxMark, group_key)
        now = datetime.now(UTC)
        if row is None:
            session.add(
                InboxMark(group_key=group_key, status=status, intent_id=intent_id, updated_by=staff, updated_at=now)
            )
        else:
            row.status, row.intent_id, row.updated_by, row.updated_at = status, intent_id, staff, now
        # The mark row holds the latest decision; every decision stays in the staff record.
        session.add(
            StaffAction(at=now, login=staff, action=MARK, subject=group_key, detail=f"{status} {intent_id or ''}")
        )


async def marks(db: Database, keys: list[str]) -> dict[str, InboxMark]:
    if not keys:
        return {}
    async with db.session() as session:
        rows = await session.scalars(select(InboxMark).where(InboxMark.group_key.in_(keys)))
        return {row.group_key: row for row in rows}
