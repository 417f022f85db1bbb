"""One user's conversation state as the database keeps it: a JSON string, its language and a version.

Rows are keyed by the user's pseudonym (`bot.privacy.pseudonym`), never by the platform id.
Saving checks the version that was loaded (optimistic concurrency): when two processes answer
the same user at once, the second save raises `StateConflict` and the caller runs its turn again
on the fresher state, so neither change is lost. What the state means is the engine's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import BindParameter, DateTime, bindparam, select, update

from bot.privacy import pseudonym
from bot.storage import fast
from bot.storage.db import Database
from bot.storage.models import Conversation

# Every message reads and writes one row: plain Core statements, no ORM unit of work on the hot path.


class StateConflict(Exception):
    """Someone else saved this user's state since it was loaded: load again and redo the turn."""


@dataclass(frozen=True, slots=True)
class StoredState:
    state: str | None  # the JSON the engine saved; None when the user has no state yet
    version: int  # 0 when there is no row; pass it back to `save_state`


# Every message reads and writes this row: the statements run on the driver itself (storage/fast.py).
_KEY: BindParameter[str] = bindparam("key")
_NOW = bindparam("now", type_=DateTime(timezone=True))
_LOAD = fast.Statement(
    lambda _db: select(Conversation.state, Conversation.version).where(Conversation.user_pseudonym == _KEY), ["key"]
)
_LANGUAGE = fast.Statement(lambda _db: select(Conversation.lang).where(Conversation.user_pseudonym == _KEY), ["key"])
_UPDATE = fast.Statement(
    lambda _db: update(Conversation)
    .where(Conversation.user_pseudonym == _KEY, Conversation.version == bindparam("expected"))
    .values(
        state=bindparam("state"), lang=bindparam("lang"), channel=bindparam("channel"),
        version=bindparam("version"), updated_at=_NOW,
    ),
    ["key", "expected", "state", "lang", "channel", "version", "now"],
)  # fmt: skip
_INSERT = fast.Statement(  # the first save of a user
    lambda db: db.insert(Conversation)
    .values(
        user_pseudonym=_KEY, channel=bindparam("channel"), state=bindparam("state"), lang=bindparam("lang"),
        version=1, updated_at=_NOW,
    )
    .on_conflict_do_nothing(index_elements=[Conversation.user_pseudonym]),
    ["key", "channel", "state", "lang", "now"],
)  # fmt: skip


async def load_state(db: Database, user_key: str, secret: bytes) -> StoredState:
    found = await fast.rows(db, _LOAD, {"key": pseudonym(user_key, secret)})
    return StoredState(None, 0) if not found else StoredState(found[0][0], found[0][1])


async def save_state(
    db: Database, user_key: str, secret: bytes, channel: str, state: str, lang: str, expected_version: int
) -> int:
    """Write the state if it is still at `expected_version`; returns the new version, raises `StateConflict`."""
    values = {"key": pseudonym(user_key, secret), "channel": channel, "state": state, "lang": lang,
              "now": datetime.now(UTC)}  # fmt: skip
    if expected_version == 0:
        written = await fast.rowcount(db, _INSERT, values)
    else:
        written = await fast.rowcount(
            db, _UPDATE, {**values, "expected": expected_version, "version": expected_version + 1}
        )
    if written != 1:
        raise StateConflict(f"conversation state changed since version {expected_version}")
    return expected_version + 1


async def language_of(db: Database, user_key: str, secret: bytes) -> str | None:
    """The language the user talks to us in, for messages we send them; None when we do not know."""
    found = await fast.rows(db, _LANGUAGE, {"key": pseudonym(user_key, secret)})
    return found[0][0] if found else None
