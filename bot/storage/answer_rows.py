"""The answer outbox's table: one row per accepted update, its statuses, and the shapes it moves in.

The record's lifecycle (accept, claim, release, prune) is answer_outbox.py; a held row's progress,
written with its turn's state save, is answer_progress.py; the group commit, answer_writer.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base

PENDING, ANSWERED, SENT, FAILED = "pending", "answered", "sent", "failed"
UNFINISHED = (PENDING, ANSWERED)


class AnswerRow(Base):
    """One accepted update and, once the engine answered, its replies and how far they were sent."""

    __tablename__ = "answer_outbox"
    __table_args__ = (
        UniqueConstraint("channel", "update_id", name="uq_answer_outbox_update"),
        Index("ix_answer_outbox_due", "channel", "status", "due_at"),
        Index("ix_answer_outbox_chat", "chat", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    update_id: Mapped[str] = mapped_column(String(128))
    # The user key answers go to ("" when there is none); erased with the user's data (storage/erase.py).
    chat: Mapped[str] = mapped_column(String(128), info={"user_key": True})
    # The update as the channel needs it to answer; blanked once answered: the raw text (which may
    # hold a NIK or phone number the engine redacts) is kept only until the engine has seen it.
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    replies: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON, set once answered
    sent_parts: Mapped[int] = mapped_column(Integer, default=0)  # wire messages already accepted
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # failed sends so far
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    error: Mapped[str] = mapped_column(String(300), default="")


@dataclass(frozen=True, slots=True)
class Accepted:
    """One update to record: its platform id, the chat it came from, what to keep of it."""

    update_id: str
    chat: str
    payload: str


@dataclass(frozen=True, slots=True)
class Row:
    """A row this process holds: answer it (if pending) and send what is left."""

    id: int
    chat: str
    payload: str
    status: str
    replies: str | None
    sent_parts: int
    attempts: int
    received_at: datetime


@dataclass(frozen=True, slots=True)
class Progress:
    """What became of a held row; written by `Writer` in one transaction with others."""

    id: int
    status: str
    replies: str | None
    sent_parts: int
    attempts: int
    due_at: datetime
    error: str = ""
