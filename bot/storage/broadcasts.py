"""Broadcasts: what a cadre or the office wrote, to whom, when and how often, and each run of it.

A due run becomes rows in the delivery queue (`bot.storage.outbox`), one per recipient.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    DateTime,
    Integer,
    String,
    Text,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from bot.storage.db import Database
from bot.storage.models import Base
from bot.storage.outbox import BLOCKED, CANCELLED, FAILED, PENDING, SENT, UNCERTAIN, UNFINISHED, UNSENT, Delivery
from bot.storage.scope import Scope
from bot.storage.subscriptions import Subscriber

SCHEDULED, QUEUED, CANCELLED_BROADCAST = "scheduled", "queued", "cancelled"
REGION = re.compile(r"^\d{2}\.\d{2}$")  # an audience that is a whole office: its city or regency code


# The approved WhatsApp template (content/whatsapp_templates.yaml key) a broadcast goes out with outside the window;
# its one parameter is the whole message.
ANNOUNCEMENT_TEMPLATE = "pengumuman"


class Broadcast(Base):
    """A message a cadre or staff member wrote, for everyone or one area, now, later or repeating."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    author: Mapped[str] = mapped_column(String(128), index=True)
    author_lang: Mapped[str] = mapped_column(String(8), default="id")
    author_role: Mapped[str] = mapped_column(String(16), default="cadre")
    text: Mapped[str] = mapped_column(Text)
    audience: Mapped[str | None] = mapped_column(String(32), nullable=True)  # area code; None = everyone
    next_run_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, index=True)
    repeat: Mapped[str | None] = mapped_column(String(200), nullable=True)  # the rule as the cadre typed it
    runs: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default=SCHEDULED, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BroadcastRun(Base):
    """One occurrence of a broadcast put in the queue; `finished_at` is set when the summary went to the author."""

    __tablename__ = "broadcast_runs"

    broadcast_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run: Mapped[int] = mapped_column(Integer, primary_key=True)
    queued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, index=True)


@dataclass(frozen=True, slots=True)
class Counts:
    pending: int = 0
    sent: int = 0
    failed: int = 0
    blocked: int = 0
    uncertain: int = 0  # rows of the at-most-once queue before migration 0008, never resent
    cancelled: int = 0
    maybe_twice: int = 0  # sent again after a worker died mid-request: these recipients may have it twice

    @property
    def done(self) -> bool:
        return self.pending == 0

    @property
    def total(self) -> int:
        return self.pending + self.sent + self.failed + self.blocked + self.uncertain + self.cancelled


def audience_filter(audience: str | None, default_office: str | None = None) -> ColumnElement[bool]:
    """Active subscribers of an area (kelurahan or kecamatan code), of an office (its region code), or all.

    Subscribers kept before offices were recorded have no office: they are `default_office`'s.
    """
    active = Subscriber.active.is_(True)
    if audience is None:
        return active
    if REGION.match(audience):
        office = Scope(audience, unassigned=audience == default_office).where(Subscriber.office)
        return and_(active, or_(office, Subscriber.kecamatan_code.like(audience + ".%")))
    return and_(active, or_(Subscriber.kelurahan_code == audience, Subscriber.kecamatan_code == audience))


async def count_audience(db: Database, audience: str | None, default_office: str | None = None) -> int:
    where = audience_filter(audience, default_office)
    async with db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(Subscriber).where(where)) or 0)


async def create_broadcast(
    db: Database,
    author: str,
    author_lang: str,
    author_role: str,
    text: str,
    audience: str | None,
    run_at: datetime,
    repeat: str | None,
) -> int:
    async with db.session() as session:
        row = Broadcast(
            author=author,
            author_lang=author_lang,
            author_role=author_role,
            text=text,
            audience=audience,
            next_run_at=run_at.astimezone(UTC),
            repeat=repeat,
            runs=0,
            status=SCHEDULED,
            created_at=datetime.now(UTC),
        )
        session.add(row)
        await session.flush()
        return row.id


async def broadcasts_of(
    db: Database, author: str | None, limit: int = 10, office: str | None = None
) -> list[Broadcast]:
    """The newest broadcasts of one author (or everyone's for None), newest first; `office`: only those
    whose audience lies in that office (its region code)."""
    async with db.session() as session:
        query = select(Broadcast).order_by(Broadcast.id.desc()).limit(limit)
        if author is not None:
            query = query.where(Broadcast.author == author)
        if office is not None:
            query = query.where(or_(Broadcast.audience == office, Broadcast.audience.like(office + ".%")))
        return list(await session.scalars(query))


async def cancel_broadcast(db: Database, broadcast_id: int, author: str | None, office: str | None = None) -> bool:
    """Stop a broadcast: no further runs, and its messages not yet claimed are cancelled. author None = staff;
    `office`: staff of that one office, who may stop only broadcasts to its residents."""
    async with db.session() as session:
        row = await session.get(Broadcast, broadcast_id)
        if row is None or (author is not None and row.author != author) or row.status == CANCELLED_BROADCAST:
            return False
        if office is not None and not (row.audience == office or (row.audience or "").startswith(office + ".")):
            return False
        row.status, row.next_run_at = CANCELLED_BROADCAST, None
        await session.execute(
            update(Delivery)
            .where(Delivery.broadcast_id == broadcast_id, Delivery.status.in_(UNSENT))
            .values(status=CANCELLED, error="cancelled by author")
        )
        return True


async def counts(db: Database, broadcast_id: int, run: int | None = None) -> Counts:
    async with db.session() as session:
        return await _counts(session, broadcast_id, run)


async def _counts(session: AsyncSession, broadcast_id: int, run: int | None) -> Counts:
    resent = func.sum(case((Delivery.uncertain_sends > 0, 1), else_=0))
    query = select(Delivery.status, func.count(), resent).where(Delivery.broadcast_id == broadcast_id)
    if run is not None:
        query = query.where(Delivery.run == run)
    rows = (await session.execute(query.group_by(Delivery.status))).all()
    found: dict[str, int] = {status: n for status, n, _ in rows}
    return Counts(
        pending=sum(found.get(status, 0) for status in UNFINISHED),
        sent=found.get(SENT, 0),
        failed=found.get(FAILED, 0),
        blocked=found.get(BLOCKED, 0),
        uncertain=found.get(UNCERTAIN, 0),
        cancelled=found.get(CANCELLED, 0),
        maybe_twice=sum(int(n or 0) for status, _, n in rows if status == SENT),
    )


async def due_broadcasts(db: Database, now: datetime) -> list[Broadcast]:
    async with db.session() as session:
        rows = await session.scalars(
            select(Broadcast).where(Broadcast.status == SCHEDULED, Broadcast.next_run_at <= now.astimezone(UTC))
        )
        return list(rows)


async def queue_run(
    db: Database,
    broadcast_id: int,
    runs_seen: int,
    now: datetime,
    texts: dict[str, str],
    next_run_at: datetime | None,
    default_office: str | None = None,
) -> int | None:
    """Put one due run of a broadcast in the queue: one row per active subscriber of its audience.

    `texts` maps a language to the full message in it ("id" required). Returns the number of
    recipients, or None when another worker already took this run. The broadcast's row is locked
    for the whole step and the rows' unique keys make a repeated step a no-op.
    """
    async with db.session() as session:
        query = select(Broadcast).where(Broadcast.id == broadcast_id).with_for_update(skip_locked=True)
        row = (await session.scalars(query)).first()
        if row is None or row.status != SCHEDULED or row.runs != runs_seen or row.next_run_at is None:
            return None  # cancelled, or another worker queued this run already
        run = row.runs + 1
        prefix = f"b{broadcast_id}.{run}:"
        others = [(Subscriber.lang == lang, body) for lang, body in texts.items() if lang != "id"]
        text = case(*others, else_=texts["id"]) if others else literal(texts["id"])
        source = select(
            literal(prefix) + Subscriber.user_key,
            literal(broadcast_id),
            literal(run),
            Subscriber.user_key,
            Subscriber.channel,
            Subscriber.lang,
            text,
            literal(ANNOUNCEMENT_TEMPLATE),
            literal(None, String),
            literal(PENDING),
            literal(0),
            literal(now.astimezone(UTC), DateTime(timezone=True)),
            literal(""),
            literal(now.astimezone(UTC), DateTime(timezone=True)),
        ).where(audience_filter(row.audience, default_office))
        columns = [
            "key", "broadcast_id", "run", "user_key", "channel", "lang", "text", "template", "params",
            "status", "attempts", "next_attempt_at", "error", "created_at",
        ]  # fmt: skip
        insert = db.insert(Delivery).from_select(columns, source).on_conflict_do_nothing(index_elements=["key"])
        result = await session.execute(insert)
        recipients = int(getattr(result, "rowcount", 0) or 0)
        session.add(BroadcastRun(broadcast_id=broadcast_id, run=run, queued_at=now, recipients=recipients))
        row.runs = run
        if next_run_at is None:
            row.status, row.next_run_at = QUEUED, None
        else:
            row.next_run_at = next_run_at.astimezone(UTC)
        return recipients


async def completed_runs(db: Database) -> list[tuple[BroadcastRun, Broadcast, Counts]]:
    """Runs with nothing left to send whose summary has not gone to the author yet, with their counts."""
    async with db.session() as session:
        rows = (
            await session.execute(
                select(BroadcastRun, Broadcast)
                .join(Broadcast, Broadcast.id == BroadcastRun.broadcast_id)
                .where(BroadcastRun.finished_at.is_(None))
            )
        ).all()
        found = []
        for run, broadcast in rows:
            # Cheap first (the claim index finds a waiting row at once); counting a large run is not.
            waiting = select(Delivery.id).where(
                Delivery.status.in_(UNFINISHED),
                Delivery.broadcast_id == run.broadcast_id,
                Delivery.run == run.run,
            )
            if (await session.execute(waiting.limit(1))).first() is not None:
                continue
            counts = await _counts(session, run.broadcast_id, run.run)
            if counts.done:
                found.append((run, broadcast, counts))
        return found


async def mark_run_finished(db: Database, broadcast_id: int, run: int, now: datetime) -> bool:
    """True for the one worker that marks it (the one that then queues the summary)."""
    async with db.session() as session:
        result = await session.execute(
            update(BroadcastRun)
            .where(
                BroadcastRun.broadcast_id == broadcast_id, BroadcastRun.run == run, BroadcastRun.finished_at.is_(None)
            )
            .values(finished_at=now.astimezone(UTC))
        )
        return bool(getattr(result, "rowcount", 0))
