"""One user's conversation state as the database keeps it: a JSON string, its language and a version.

Rows are keyed by the user's pseudonym (`bot.privacy.pseudonym`), never by the platform id.
Saving checks the version that was loaded (optimistic concurrency): when two processes answer
the same user at once, the second save raises `StateConflict` and the caller runs its turn again
on the fresher state, so neither change is lost. What the state means is the engine's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update

from bot.privacy import pseudonym
from bot.storage.db import Database
from bot.storage.models import Conversation

# Every message reads and writes one row: plain Core statements, no ORM unit of work on the hot path.


class StateConflict(Exception):
    """Someone else saved this user's state since it was loaded: load again and redo the turn."""


@dataclass(frozen=True, slots=True)
class StoredState:
    state: str | None  # the JSON the engine saved; None when the user has no state yet
    version: int  # 0 when there is no row; pass it back to `save_state`


async def load_state(db: Database, user_key: str, secret: bytes) -> StoredState:
    async with db.single() as conn:
        row = (
            await conn.execute(
                select(Conversation.state, Conversation.version).where(
                    Conversation.user_pseudonym == pseudonym(user_key, secret)
                )
            )
        ).first()
    return StoredState(None, 0) if row is None else StoredState(row.state, row.version)


async def save_state(
    db: Database, user_key: str, secret: bytes, channel: str, state: str, lang: str, expected_version: int
) -> int:
    """Write the state if it is still at `expected_version`; returns the new version, raises `StateConflict`."""
    key, now = pseudonym(user_key, secret), datetime.now(UTC)
    if expected_version == 0:
        stmt = db.insert(Conversation).values(
            user_pseudonym=key, channel=channel, state=state, lang=lang, version=1, updated_at=now
        )
        stmt = stmt.on_conflict_do_nothing(index_elements=[Conversation.user_pseudonym])
    else:
        stmt = (
            update(Conversation)
            .where(Conversation.user_pseudonym == key, Conversation.version == expected_version)
            .values(state=state, lang=lang, channel=channel, version=expected_version + 1, updated_at=now)
        )
    async with db.single() as conn:  # one statement: its own transaction
        written = (await conn.execute(stmt)).rowcount
    if written != 1:
        raise StateConflict(f"conversation state changed since version {expected_version}")
    return expected_version + 1


async def language_of(db: Database, user_key: str, secret: bytes) -> str | None:
    """The language the user talks to us in, for messages we send them; None when we do not know."""
    async with db.single() as conn:
        return await conn.scalar(
            select(Conversation.lang).where(Conversation.user_pseudonym == pseudonym(user_key, secret))
        )
