"""Staff accounts for the dashboard and their login sessions.

Passwords are hashed with Argon2 (argon2-cffi); a session cookie carries a random
token of which only the SHA-256 is stored, so a leaked table opens no session.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Boolean, DateTime, ForeignKey, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.db import Database
from bot.storage.models import Base

SESSION_HOURS = 8  # a working day; then staff log in again
_hasher = PasswordHasher()


class StaffAccount(Base):
    __tablename__ = "staff_accounts"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    office: Mapped[str | None] = mapped_column(String(8), nullable=True)  # region code; None = every office


class StaffSession(Base):
    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(
        String(64), ForeignKey("staff_accounts.username", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


@dataclass(frozen=True, slots=True)
class Session:
    username: str
    csrf_token: str
    expires_at: datetime
    office: str | None = None  # the one office this login sees; None = every office (provincial staff)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def add_staff(db: Database, username: str, password: str, office: str | None = None) -> None:
    """Create the account, or set a new password (and office) for an existing one.

    `office`: the region code of the one office this login sees; None sees every office.
    """
    if len(password) < 10:
        raise ValueError("password must have at least 10 characters")
    now = datetime.now(UTC)
    async with db.session() as session:
        row = await session.get(StaffAccount, username)
        if row is None:
            session.add(
                StaffAccount(
                    username=username, password_hash=_hasher.hash(password), active=True, created_at=now, office=office
                )
            )
        else:
            row.password_hash, row.active, row.office = _hasher.hash(password), True, office


async def verify_password(db: Database, username: str, password: str) -> bool:
    async with db.session() as session:
        row = await session.get(StaffAccount, username)
        if row is None or not row.active:
            _hasher.hash(password)  # same work either way: timing does not reveal which usernames exist
            return False
        try:
            _hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if _hasher.check_needs_rehash(row.password_hash):
            row.password_hash = _hasher.hash(password)
        return True


async def open_session(db: Database, username: str) -> tuple[str, Session]:
    """A new session; returns the cookie token (shown once) and the session."""
    token = secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + timedelta(hours=SESSION_HOURS)
    csrf = secrets.token_urlsafe(32)
    async with db.session() as session:
        session.add(StaffSession(token_hash=_digest(token), username=username, csrf_token=csrf, expires_at=expires))
    return token, Session(username, csrf, expires)


async def find_session(db: Database, token: str) -> Session | None:
    if not token:
        return None
    async with db.session() as session:
        row = await session.get(StaffSession, _digest(token))
        if row is None:
            return None
        expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
        if expires <= datetime.now(UTC):
            await session.delete(row)
            return None
        account = await session.get(StaffAccount, row.username)
        if account is None or not account.active:
            return None
        return Session(row.username, row.csrf_token, expires, account.office)


async def close_session(db: Database, token: str) -> None:
    async with db.session() as session:
        await session.execute(delete(StaffSession).where(StaffSession.token_hash == _digest(token)))


async def purge_expired(db: Database) -> None:
    async with db.session() as session:
        await session.execute(delete(StaffSession).where(StaffSession.expires_at <= datetime.now(UTC)))


async def usernames(db: Database) -> list[str]:
    async with db.session() as session:
        return list(await session.scalars(select(StaffAccount.username).order_by(StaffAccount.username)))
