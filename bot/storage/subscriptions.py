"""Subscribers and what they subscribed to (area reminders, a child's immunization reminders).

Only what the user gave is kept: the child's birth date and an optional nickname.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, func, select, update
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.db import Database
from bot.storage.models import Base
from bot.storage.scope import EVERY, Scope


class Subscriber(Base):
    """A user who may receive messages we start (reminders, broadcasts); `active` False = opted out or blocked."""

    __tablename__ = "subscribers"

    user_key: Mapped[str] = mapped_column(String(128), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), index=True)
    lang: Mapped[str] = mapped_column(String(8), default="id")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    kelurahan_code: Mapped[str | None] = mapped_column(String(32), index=True, nullable=True)
    kecamatan_code: Mapped[str | None] = mapped_column(String(32), index=True, nullable=True)
    posyandu: Mapped[str | None] = mapped_column(String(128), nullable=True)
    office: Mapped[str | None] = mapped_column(String(8), index=True, nullable=True)  # region code; None = default
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ChildReminder(Base):
    """A child whose coming immunization doses the parent wants to be reminded of."""

    __tablename__ = "child_reminders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_key: Mapped[str] = mapped_column(
        String(128), ForeignKey("subscribers.user_key", ondelete="CASCADE"), index=True
    )
    birth_date: Mapped[date] = mapped_column(Date)
    nickname: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


async def ensure_subscriber(
    db: Database, user_key: str, channel: str, lang: str = "id", office: str | None = None
) -> None:
    """Create the subscriber row, or re-activate it (subscribing again after 'berhenti' works).

    `office`: the region code of the resident's office, whose broadcasts and reminders reach them.
    """
    now = datetime.now(UTC)
    async with db.session() as session:
        row = await session.get(Subscriber, user_key)
        if row is None:
            session.add(
                Subscriber(
                    user_key=user_key,
                    channel=channel,
                    lang=lang,
                    active=True,
                    office=office,
                    created_at=now,
                    updated_at=now,
                )
            )
        else:
            row.active, row.blocked, row.lang, row.updated_at = True, False, lang, now
            row.office = office or row.office


async def add_child_reminder(
    db: Database,
    user_key: str,
    channel: str,
    birth_date: date,
    nickname: str | None,
    lang: str = "id",
    office: str | None = None,
) -> int:
    """Subscribe the parent to reminders for one child; returns the reminder id."""
    await ensure_subscriber(db, user_key, channel, lang, office)
    async with db.session() as session:
        row = ChildReminder(user_key=user_key, birth_date=birth_date, nickname=nickname, created_at=datetime.now(UTC))
        session.add(row)
        await session.flush()
        return row.id


async def child_reminders(db: Database, user_key: str) -> list[ChildReminder]:
    async with db.session() as session:
        rows = await session.scalars(select(ChildReminder).where(ChildReminder.user_key == user_key))
        return list(rows)


async def subscriber(db: Database, user_key: str) -> Subscriber | None:
    async with db.session() as session:
        return await session.get(Subscriber, user_key)


async def subscribe_area(
    db: Database, user_key: str, channel: str, lang: str, kelurahan_code: str, posyandu: str | None = None
) -> None:
    """Subscribe to the reminders of a kelurahan (and so of its kecamatan); re-activates an opted-out user."""
    await ensure_subscriber(db, user_key, channel, lang, office_of(kelurahan_code))
    async with db.session() as session:
        row = await session.get(Subscriber, user_key)
        if row is not None:
            row.kelurahan_code = kelurahan_code
            row.kecamatan_code = kecamatan_of(kelurahan_code)
            row.posyandu = posyandu


def office_of(area_code: str) -> str:
    """'14.71.01.1002' -> '14.71': the city or regency, whose office it is."""
    return ".".join(area_code.split(".")[:2])


def kecamatan_of(kelurahan_code: str) -> str:
    """'14.71.01.1002' -> '14.71.01' (Kemendagri codes nest)."""
    return ".".join(kelurahan_code.split(".")[:3])


async def unsubscribe(db: Database, user_key: str, channel: str = "") -> bool:
    """Stop everything we send on our own to this user; True if they were subscribed.

    A user who never subscribed gets an inactive row too: the queue never claims a message for an
    inactive row, so not even a summary or a reminder queued later reaches them.
    """
    now = datetime.now(UTC)
    async with db.session() as session:
        row = await session.get(Subscriber, user_key)
        if row is None:
            channel = channel or user_key.split(":", 1)[0]
            session.add(Subscriber(user_key=user_key, channel=channel, active=False, created_at=now, updated_at=now))
            return False
        was_active = row.active
        row.active, row.updated_at = False, now
        return was_active


async def active_child_reminders(db: Database) -> list[tuple[ChildReminder, Subscriber]]:
    """Every child of a parent who still wants reminders, with the parent's subscription."""
    async with db.session() as session:
        rows = await session.execute(
            select(ChildReminder, Subscriber)
            .join(Subscriber, Subscriber.user_key == ChildReminder.user_key)
            .where(Subscriber.active.is_(True))
            .order_by(ChildReminder.id)
        )
        return [(child, parent) for child, parent in rows]


async def subscriber_counts(db: Database) -> list[tuple[str | None, bool, int]]:
    """(kelurahan code, active, how many) for the admin overview; no user ids."""
    async with db.session() as session:
        rows = await session.execute(
            select(Subscriber.kelurahan_code, Subscriber.active, func.count())
            .group_by(Subscriber.kelurahan_code, Subscriber.active)
            .order_by(Subscriber.kelurahan_code)
        )
        return [(code, bool(active), int(n)) for code, active, n in rows]


async def mark_blocked(db: Database, user_key: str) -> None:
    """The user blocked the bot or left: no message we start goes to them any more (if they had subscribed)."""
    async with db.session() as session:
        await session.execute(
            update(Subscriber)
            .where(Subscriber.user_key == user_key)
            .values(active=False, blocked=True, updated_at=datetime.now(UTC))
        )


async def area_counts(db: Database, scope: Scope = EVERY) -> list[tuple[str | None, str | None, bool, int]]:
    """(kecamatan code, kelurahan code, active, how many) for the dashboard; no user ids."""
    s = Subscriber
    async with db.session() as session:
        rows = await session.execute(
            select(s.kecamatan_code, s.kelurahan_code, s.active, func.count())
            .where(scope.where(s.office))
            .group_by(s.kecamatan_code, s.kelurahan_code, s.active)
        )
        return [(kec, kel, bool(active), int(n)) for kec, kel, active, n in rows]
