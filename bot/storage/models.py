"""Tables of the core: conversation state and processed webhook updates.

Other concepts (query log, subscriptions, broadcasts...) declare their tables in
their own modules on the same `Base`; `bot.storage.schema` imports them all.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Conversation(Base):
    """One user's conversation state, so a restart or another process continues where they were."""

    __tablename__ = "conversations"

    user_pseudonym: Mapped[str] = mapped_column(String(32), primary_key=True)  # bot.privacy.pseudonym
    channel: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(Text, default="{}")  # JSON, as the engine wrote it
    lang: Mapped[str] = mapped_column(String(8), default="id")  # for messages we send first (labels, notes)
    version: Mapped[int] = mapped_column(Integer, default=1)  # bumped by every save: see conversations.save_state
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ProcessedUpdate(Base):
    """Webhooks arrive at least once: an update id recorded here is never handled again."""

    __tablename__ = "processed_updates"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    update_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
