"""Handovers: a resident asked for a person at the office, and an officer answers from the dashboard.

A handover is `waiting` until an officer claims it (a conditional UPDATE: two officers can never
both hold one), `held` while that officer answers, and `closed` when it goes back to the bot.
Its events are the thread the officer reads and the record of who did what: the resident's
messages (as the engine stored them, NIKs and phone numbers already redacted), the officer's
replies with how their delivery went, and every claim and close with the officer's login and time.
The raw user key is kept only to send the replies; the dashboard never shows it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Integer, String, Text, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import ColumnElement, Subquery

from bot.storage import fast
from bot.storage.db import Database
from bot.storage.models import Base
from bot.storage.scope import EVERY, Scope

WAITING, HELD, CLOSED = "waiting", "held", "closed"
RESIDENT, OFFICER, OPENED, CLAIMED, CLOSED_EVENT, NOTE = "resident", "officer", "opened", "claimed", "closed", "note"
DANGER = "danger"  # the resident wrote a danger sign: the bot gave 119 at once, the officer sees it
DELIVERED, FAILED, TEMPLATE, PENDING = "delivered", "failed", "template", "pending"
# WhatsApp outside the 24-hour window to a resident who may not be sent a template: the officer's words
# wait in the thread and go out with the bot's next answer to that resident (as TEMPLATE ones do).
WINDOW = "window"
AWAITING = (TEMPLATE, WINDOW)
TIMEOUT = "timeout"  # the detail of a close the office's handover timeout made
AFTER_REPLY = "after_reply"  # the detail of officer's words that went out once the resident wrote again
ACTIVITY = (OPENED, RESIDENT, OFFICER, CLAIMED)  # what keeps a held conversation from timing out
PAYLOAD_PREFIXES = ("handover:", "fb:", "menu")  # button presses the thread records: not questions
CLOSING_NOT_SENT = "closing_not_sent"  # a note: the resident was not told the chat went back to the bot


class Handover(Base):
    __tablename__ = "handovers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_key: Mapped[str] = mapped_column(String(128), index=True)  # to send replies; never shown
    channel: Mapped[str] = mapped_column(String(16))
    lang: Mapped[str] = mapped_column(String(8), default="id")
    status: Mapped[str] = mapped_column(String(8), index=True)
    officer: Mapped[str | None] = mapped_column(String(64), nullable=True)  # a staff login, never a resident
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    waiting_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    office: Mapped[str | None] = mapped_column(String(8), index=True, nullable=True)  # the resident's office


class HandoverEvent(Base):
    __tablename__ = "handover_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    handover_id: Mapped[int] = mapped_column(Integer, index=True)
    user_key: Mapped[str] = mapped_column(String(128), index=True)  # whose conversation (erasure)
    kind: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text, default="")
    officer: Mapped[str | None] = mapped_column(String(64), nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    delivery: Mapped[str] = mapped_column(String(10), default="")
    detail: Mapped[str] = mapped_column(String(300), default="")  # why a delivery failed


@dataclass(frozen=True, slots=True)
class Case:
    id: int
    user_key: str
    channel: str
    lang: str
    status: str
    officer: str | None
    opened_at: datetime
    waiting_since: datetime | None
    closed_at: datetime | None
    office: str | None = None  # region code of the resident's office; None = before offices were kept


def _aware(moment: datetime | None) -> datetime | None:
    return moment if moment is None or moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _case(row: Handover) -> Case:
    return Case(
        row.id, row.user_key, row.channel, row.lang, row.status, row.officer,
        _aware(row.opened_at) or row.opened_at, _aware(row.waiting_since), _aware(row.closed_at), row.office,
    )  # fmt: skip


async def current(db: Database, user_key: str) -> Case | None:
    """The user's open (waiting or held) handover, if any."""
    async with db.session() as session:
        row = await session.scalar(
            select(Handover)
            .where(Handover.user_key == user_key, Handover.status != CLOSED)
            .order_by(Handover.id.desc())
            .limit(1)
        )
        return _case(row) if row is not None else None


async def get(db: Database, handover_id: int) -> Case | None:
    async with db.session() as session:
        row = await session.get(Handover, handover_id)
        return _case(row) if row is not None else None


async def open_case(
    db: Database, user_key: str, channel: str, lang: str, text: str, at: datetime, office: str | None = None
) -> Case:
    """Open a handover for the user (or keep the one already open) and note what they asked.

    `office`: the resident's office (region code), whose staff see it.
    """
    opened = await _open_on_driver(db, user_key, channel, lang, text, at, office)
    if opened is not None:
        case_id, new = opened
        if new:
            return Case(case_id, user_key, channel, lang, WAITING, None, at, at, None, office)
        kept = await get(db, case_id)
        if kept is not None:
            return kept
    found = await current(db, user_key)
    if found is None:
        async with db.session() as session:
            row = Handover(
                user_key=user_key,
                channel=channel,
                lang=lang,
                status=WAITING,
                opened_at=at,
                waiting_since=at,
                office=office,
            )
            session.add(row)
            await session.flush()
            session.add(HandoverEvent(handover_id=row.id, user_key=user_key, kind=OPENED, text=text, at=at))
            await session.flush()
            found = _case(row)
    return found


# A resident's request for a person is a turn's own write: on the driver (storage/fast.py) it is one transaction
# on the loop's thread (SQLite) or one statement (PostgreSQL), not five ORM round trips and a commit.
_FIND_OPEN = fast.Statement(
    lambda _db: (
        select(Handover.__table__.c.id)
        .where(
            Handover.__table__.c.user_key == bindparam("b_key"), Handover.__table__.c.status != bindparam("b_closed")
        )
        .order_by(Handover.__table__.c.id.desc())
        .limit(1)
    ),
    ["b_key", "b_closed"],
)
_CASE_COLUMNS = ["user_key", "channel", "lang", "status", "opened_at", "waiting_since", "office"]
_NEW_CASE = fast.Statement(lambda _db: insert(Handover), _CASE_COLUMNS)
_EVENT_COLUMNS = ["handover_id", "user_key", "kind", "text", "at", "delivery", "detail"]
_NEW_EVENT = fast.Statement(lambda _db: insert(HandoverEvent), _EVENT_COLUMNS)
_OPEN_POSTGRES = f"""
WITH open AS (
    SELECT id FROM {Handover.__tablename__} WHERE user_key = $1 AND status <> '{CLOSED}' ORDER BY id DESC LIMIT 1
), new AS (
    INSERT INTO {Handover.__tablename__} ({", ".join(_CASE_COLUMNS)})
    SELECT $1, $2, $3, '{WAITING}', $4, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM open)
    RETURNING id
), event AS (
    INSERT INTO {HandoverEvent.__tablename__} ({", ".join(_EVENT_COLUMNS)})
    SELECT id, $1, '{OPENED}', $6, $4, '', '' FROM new
)
SELECT id, true FROM new UNION ALL SELECT id, false FROM open
"""


async def _open_on_driver(
    db: Database, user_key: str, channel: str, lang: str, text: str, at: datetime, office: str | None
) -> tuple[int, bool] | None:
    """(the open handover's id, whether it is new), or None without a driver of our own (SQLAlchemy then)."""
    driver = await db.driver()
    if driver is None:
        return None
    moment = at.astimezone(UTC)
    if not isinstance(driver, sqlite3.Connection):
        rows = await fast.fetch(driver, _OPEN_POSTGRES, [user_key, channel, lang, moment, office, text])
        return int(rows[0][0]), bool(rows[0][1])
    find, new_case, new_event = _FIND_OPEN.compiled(db), _NEW_CASE.compiled(db), _NEW_EVENT.compiled(db)

    def work(conn: sqlite3.Connection) -> tuple[int, bool]:
        found = conn.execute(find.sql, find.args({"b_key": user_key, "b_closed": CLOSED})).fetchone()
        if found is not None:
            return int(found[0]), False
        case = {"user_key": user_key, "channel": channel, "lang": lang, "status": WAITING, "opened_at": moment,
                "waiting_since": moment, "office": office}  # fmt: skip
        case_id = conn.execute(new_case.sql, new_case.args(case)).lastrowid
        event = {"handover_id": case_id, "user_key": user_key, "kind": OPENED, "text": text, "at": moment,
                 "delivery": "", "detail": ""}  # fmt: skip
        conn.execute(new_event.sql, new_event.args(event))
        return int(case_id or 0), True

    return await fast.sqlite_transaction(driver, work)


async def resident_said(db: Database, case: Case, text: str, at: datetime) -> None:
    """A resident's message in an open handover: part of the thread; the wait starts if it had not."""
    async with db.session() as session:
        session.add(HandoverEvent(handover_id=case.id, user_key=case.user_key, kind=RESIDENT, text=text, at=at))
        await session.execute(
            update(Handover).where(Handover.id == case.id, Handover.waiting_since.is_(None)).values(waiting_since=at)
        )


async def claim(db: Database, handover_id: int, officer: str) -> bool:
    """Take a waiting handover; False when someone else already holds it (or it is closed)."""
    now = datetime.now(UTC)
    async with db.session() as session:
        taken = await session.execute(
            update(Handover)
            .where(Handover.id == handover_id, Handover.status == WAITING)
            .values(status=HELD, officer=officer)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            return False
        key = await session.scalar(select(Handover.user_key).where(Handover.id == handover_id))
        session.add(HandoverEvent(handover_id=handover_id, user_key=key or "", kind=CLAIMED, officer=officer, at=now))
    return True


async def close(db: Database, handover_id: int, officer: str) -> Case | None:
    """Hand the chat back to the bot: only the officer holding it, or anyone while it waits."""
    allowed = (Handover.status == WAITING) | ((Handover.status == HELD) & (Handover.officer == officer))
    return await _close(db, handover_id, allowed, datetime.now(UTC), officer=officer)


async def _close(
    db: Database, handover_id: int, allowed: ColumnElement[bool], now: datetime, **event: Any
) -> Case | None:
    """Close the handover if `allowed` still holds (one conditional UPDATE, so a race has one winner)."""
    async with db.session() as session:
        done = await session.execute(
            update(Handover)
            .where(Handover.id == handover_id, allowed)
            .values(status=CLOSED, closed_at=now, waiting_since=None)
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            return None
        row = await session.get(Handover, handover_id)
        assert row is not None
        session.add(HandoverEvent(handover_id=handover_id, user_key=row.user_key, kind=CLOSED_EVENT, at=now, **event))
        return _case(row)


async def officer_said(db: Database, case: Case, officer: str, text: str) -> int:
    """The officer's reply, recorded before it is sent; returns the event id for `delivered`."""
    now = datetime.now(UTC)
    async with db.session() as session:
        event = HandoverEvent(
            handover_id=case.id, user_key=case.user_key, kind=OFFICER, text=text, officer=officer, at=now,
            delivery=PENDING,
        )  # fmt: skip
        session.add(event)
        await session.execute(update(Handover).where(Handover.id == case.id).values(waiting_since=None))
        await session.flush()
        return event.id


async def delivered(db: Database, event_id: int, how: str, detail: str = "") -> None:
    async with db.session() as session:
        await session.execute(
            update(HandoverEvent).where(HandoverEvent.id == event_id).values(delivery=how, detail=detail[:300])
        )


async def note(db: Database, case: Case, officer: str | None, what: str, detail: str = "") -> None:
    """Something the officer should know, by its code (`CLOSING_NOT_SENT`...); the dashboard words it."""
    async with db.session() as session:
        session.add(
            HandoverEvent(handover_id=case.id, user_key=case.user_key, kind=NOTE, text=what, officer=officer,
                          at=datetime.now(UTC), detail=detail[:300])
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    kind: str
    text: str
    officer: str | None
    at: datetime
    delivery: str
    detail: str


async def events(db: Database, handover_id: int, after: int = 0, limit: int = 50) -> list[Event]:
    """The newest `limit` events of a handover after event id `after`, oldest first."""
    async with db.session() as session:
        rows = await session.scalars(
            select(HandoverEvent)
            .where(HandoverEvent.handover_id == handover_id, HandoverEvent.id > after)
            .order_by(HandoverEvent.id.desc())
            .limit(limit)
        )
        found = [Event(r.id, r.kind, r.text, r.officer, _aware(r.at) or r.at, r.delivery, r.detail) for r in rows]
    return found[::-1]


async def events_by_id(db: Database, handover_id: int, ids: list[int]) -> list[Event]:
    """These events of a handover as they are now (how a reply's delivery went since the page showed it)."""
    if not ids:
        return []
    async with db.session() as session:
        rows = await session.scalars(
            select(HandoverEvent)
            .where(HandoverEvent.handover_id == handover_id, HandoverEvent.id.in_(ids[:100]))
            .order_by(HandoverEvent.id)
        )
        return [Event(r.id, r.kind, r.text, r.officer, _aware(r.at) or r.at, r.delivery, r.detail) for r in rows]


async def queue(
    db: Database, view: str, officer: str, limit: int = 200, offset: int = 0, scope: Scope = EVERY
) -> list[Case]:
    """Handovers for one tab: `waiting` (longest wait first), `mine` (held by the officer), `closed` (newest);
    `scope`: one office's residents only."""
    query = select(Handover).where(scope.where(Handover.office))
    if view == "mine":
        query = query.where(Handover.status == HELD, Handover.officer == officer).order_by(Handover.waiting_since)
    elif view == CLOSED:
        query = query.where(Handover.status == CLOSED).order_by(Handover.closed_at.desc())
    else:
        query = query.where(Handover.status == WAITING).order_by(Handover.opened_at)
    async with db.session() as session:
        return [_case(r) for r in await session.scalars(query.order_by(Handover.id).offset(offset).limit(limit))]


async def counts(db: Database, scope: Scope = EVERY) -> dict[str, int]:
    async with db.session() as session:
        query = select(Handover.status, func.count()).where(scope.where(Handover.office))
        rows = await session.execute(query.group_by(Handover.status))
        return {status: n for status, n in rows.all()}


async def awaiting(db: Database, user_key: str) -> list[Event]:
    """The officer's words that could not go out yet (WhatsApp window closed), oldest first, any handover."""
    async with db.session() as session:
        rows = await session.scalars(
            select(HandoverEvent)
            .where(HandoverEvent.user_key == user_key, HandoverEvent.kind == OFFICER,
                   HandoverEvent.delivery.in_(AWAITING))
            .order_by(HandoverEvent.id)
        )  # fmt: skip
        return [Event(r.id, r.kind, r.text, r.officer, _aware(r.at) or r.at, r.delivery, r.detail) for r in rows]


async def delivered_many(db: Database, event_ids: list[int], how: str, detail: str = "") -> None:
    if event_ids:
        async with db.session() as session:
            await session.execute(
                update(HandoverEvent).where(HandoverEvent.id.in_(event_ids)).values(delivery=how, detail=detail[:300])
            )


async def resident_event(db: Database, case: Case, kind: str, text: str, at: datetime) -> None:
    """Something about the resident the officer must see that is not a message to them (a danger sign)."""
    async with db.session() as session:
        session.add(HandoverEvent(handover_id=case.id, user_key=case.user_key, kind=kind, text=text, at=at))


def _last_activity() -> Subquery:
    return (
        select(HandoverEvent.handover_id, func.max(HandoverEvent.at).label("at"))
        .where(HandoverEvent.kind.in_(ACTIVITY))
        .group_by(HandoverEvent.handover_id)
        .subquery()
    )


async def idle(db: Database, before: datetime, limit: int = 100) -> list[Case]:
    """Held handovers in which neither side wrote since `before` (the office's timeout ago)."""
    last = _last_activity()
    async with db.session() as session:
        rows = await session.scalars(
            select(Handover)
            .join(last, last.c.handover_id == Handover.id)
            .where(Handover.status == HELD, last.c.at < before.astimezone(UTC))
            .order_by(Handover.id)
            .limit(limit)
        )
        return [_case(r) for r in rows]


async def time_out(db: Database, handover_id: int, before: datetime, now: datetime) -> Case | None:
    """Close a held handover that is still idle since `before` (nobody wrote meanwhile); None if not."""
    recent = select(HandoverEvent.id).where(
        HandoverEvent.handover_id == handover_id, HandoverEvent.kind.in_(ACTIVITY),
        HandoverEvent.at >= before.astimezone(UTC),
    )  # fmt: skip
    return await _close(db, handover_id, (Handover.status == HELD) & ~recent.exists(), now, detail=TIMEOUT)


async def apply_retention(db: Database, cutoff: datetime) -> int:
    """The query log's retention for handovers: messages older than `cutoff` go, and closed handovers
    (with every event) closed before it. Returns the events deleted."""
    cutoff = cutoff.astimezone(UTC)
    old = select(Handover.id).where(Handover.status == CLOSED, Handover.closed_at < cutoff)
    async with db.session() as session:
        gone = await session.execute(
            delete(HandoverEvent).where((HandoverEvent.at < cutoff) | HandoverEvent.handover_id.in_(old))
        )
        await session.execute(delete(Handover).where(Handover.status == CLOSED, Handover.closed_at < cutoff))
        return int(getattr(gone, "rowcount", 0) or 0)


@dataclass(frozen=True, slots=True)
class Answered:
    """An officer's reply and the resident's messages it answered (since the officer's previous reply)."""

    event_id: int
    handover_id: int
    questions: tuple[str, ...]
    reply: str
    officer: str
    first: bool  # the first reply in its handover (the questions asked before the handover lead to it)


async def answered(db: Database, handover_id: int | None = None, limit: int = 2000) -> list[Answered]:
    """Officers' replies with the questions before them: of one handover, or of the newest `limit` events."""
    query = select(HandoverEvent).where(HandoverEvent.kind.in_((OPENED, RESIDENT, OFFICER)))
    if handover_id is not None:
        query = query.where(HandoverEvent.handover_id == handover_id)
    async with db.session() as session:
        rows = list(await session.scalars(query.order_by(HandoverEvent.id.desc()).limit(limit)))
    rows.sort(key=lambda r: (r.handover_id, r.id))
    found: list[Answered] = []
    asked: dict[int, list[str]] = {}
    replied: set[int] = set()
    for r in rows:
        if r.kind == OFFICER:
            questions = asked.pop(r.handover_id, [])
            first = r.handover_id not in replied
            replied.add(r.handover_id)
            found.append(Answered(r.id, r.handover_id, tuple(dict.fromkeys(questions)), r.text, r.officer or "", first))
        elif r.kind == RESIDENT and r.text and not r.text.startswith(PAYLOAD_PREFIXES):
            asked.setdefault(r.handover_id, []).append(r.text)  # not OPENED: that is the request for a person
    return found
