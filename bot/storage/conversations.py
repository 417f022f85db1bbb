"""One user's conversation state as the database keeps it: a JSON string, its language and a version.

Rows are keyed by the user's pseudonym (`bot.privacy.pseudonym`), never by the platform id.
Saving checks the version that was loaded (optimistic concurrency): when two processes answer
the same user at once, the second save raises `StateConflict` and the caller runs its turn again
on the fresher state, so neither change is lost. What the state means is the engine's business.

Reads without a round trip: each process keeps the rows it last loaded or saved (`_Recent`, at most
RECENT_ROWS, each for RECENT_SECONDS). A turn starts from the kept row; if another process saved
since, the version check of the save refuses it (StateConflict), the row is dropped and the turn is
done again on the stored one, as for any race. A new row starts at a random version, not 1: a row
erased (/hapusdata) and made again elsewhere cannot reach the version kept here, so a stale copy can
never be written back over it (erase.py also drops the copy of the process that erased).
"""

from __future__ import annotations

import random
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from weakref import WeakKeyDictionary

from sqlalchemy import BindParameter, DateTime, bindparam, select, update

from bot.privacy import pseudonym
from bot.storage import fast, turn_writes
from bot.storage.db import Database
from bot.storage.models import Conversation
from bot.storage.turn_writes import StateSave

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
LOAD = fast.Statement(  # also read with the accept (answer_outbox.py)
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
        version=bindparam("version"), updated_at=_NOW,
    )
    .on_conflict_do_nothing(index_elements=[Conversation.user_pseudonym]),
    ["key", "channel", "state", "lang", "version", "now"],
)  # fmt: skip

RECENT_ROWS = 5_000  # rows kept per process (state JSON of a few hundred bytes to a few kB each)
RECENT_SECONDS = 600.0  # a kept row is used this long after it was read or written
LANGUAGE_SECONDS = 30.0  # a kept language answers language_of this long (the answer just saved, rendered)
FIRST_VERSIONS = (1, 2**30)  # a new row's version is drawn from here (the column is a 32-bit integer)


@dataclass(frozen=True, slots=True)
class _Row:
    state: str | None
    version: int
    lang: str | None
    at: float  # time.monotonic() when read or written


class _Recent:
    """The rows this process read or wrote last, by pseudonym (least recently used first out)."""

    def __init__(self) -> None:
        self.rows: OrderedDict[str, _Row] = OrderedDict()

    def get(self, key: str) -> _Row | None:
        row = self.rows.get(key)
        if row is None or time.monotonic() - row.at > RECENT_SECONDS:
            return None
        self.rows.move_to_end(key)
        return row

    def put(self, key: str, state: str | None, version: int, lang: str | None) -> None:
        self.rows[key] = _Row(state, version, lang, time.monotonic())
        self.rows.move_to_end(key)
        if len(self.rows) > RECENT_ROWS:
            self.rows.popitem(last=False)

    def drop(self, key: str) -> None:
        self.rows.pop(key, None)


_RECENT: WeakKeyDictionary[Database, _Recent] = WeakKeyDictionary()


def _recent(db: Database) -> _Recent:
    found = _RECENT.get(db)
    if found is None:
        found = _RECENT[db] = _Recent()
    return found


async def load_state(db: Database, user_key: str, secret: bytes) -> StoredState:
    key = pseudonym(user_key, secret)
    recent = _recent(db)
    kept = recent.get(key)
    if kept is not None:
        return StoredState(kept.state, kept.version)
    found = await fast.rows(db, LOAD, {"key": key})
    if not found:
        return StoredState(None, 0)
    recent.put(key, found[0][0], found[0][1], None)
    return StoredState(found[0][0], found[0][1])


async def save_state(
    db: Database, user_key: str, secret: bytes, channel: str, state: str, lang: str, expected_version: int
) -> int:
    """Write the state if it is still at `expected_version`; returns the new version, raises `StateConflict`.

    On the answering path the write is held for the answer's commit (turn_writes.py): the check is then
    made there, and a conflict redoes the turn from the answering path."""
    key = pseudonym(user_key, secret)
    version = random.randint(*FIRST_VERSIONS) if expected_version == 0 else expected_version + 1
    save = StateSave(key, channel, state, lang, expected_version, version, datetime.now(UTC))
    held = turn_writes.current()
    if held is not None and held.hold(save):
        return held.save.version if held.save is not None else version
    statement, values = save_statement(save)
    if await fast.rowcount(db, statement, values) != 1:
        refused(db, save)  # the turn is done again on the stored row
        raise StateConflict(f"conversation state changed since version {expected_version}")
    saved(db, save)
    return version


def save_statement(save: StateSave) -> tuple[fast.Statement, dict[str, object]]:
    """The save as one version-checked statement: an INSERT for a new row, else an UPDATE at `expected`."""
    values: dict[str, object] = {
        "key": save.key, "channel": save.channel, "state": save.state, "lang": save.lang,
        "now": save.at, "version": save.version,
    }  # fmt: skip
    if save.expected == 0:
        return _INSERT, values
    return _UPDATE, {**values, "expected": save.expected}


def read_elsewhere(db: Database, key: str, state: str | None, version: int | None) -> None:
    """A row read by another statement (the answer outbox's accept, which reads the chat's row with it): kept
    as `load_state` keeps what it reads (None, None: no row yet), unless a copy is kept already (this process's
    own save of the user may be newer than the read)."""
    recent = _recent(db)
    if recent.get(key) is None:
        recent.put(key, state, version or 0, None)


def saved(db: Database, save: StateSave) -> None:
    """The save is committed: this process keeps the row (read without a round trip next time)."""
    _recent(db).put(save.key, save.state, save.version, save.lang)


def refused(db: Database, save: StateSave) -> None:
    """The save was refused or is unknown (the commit failed): the next load reads the stored row."""
    _recent(db).drop(save.key)


async def language_of(db: Database, user_key: str, secret: bytes) -> str | None:
    """The language the user talks to us in, for messages we send them; None when we do not know."""
    key = pseudonym(user_key, secret)
    kept = _recent(db).get(key)
    if kept is not None and kept.lang is not None and time.monotonic() - kept.at <= LANGUAGE_SECONDS:
        return kept.lang  # the answer just saved: its labels follow the language it was written in
    found = await fast.rows(db, _LANGUAGE, {"key": key})
    return found[0][0] if found else None


def forget(db: Database, user_pseudonym: str) -> None:
    """The user's data was erased: no kept copy of their row may be used again, nor a held save written."""
    _recent(db).drop(user_pseudonym)
    held = turn_writes.current()
    if held is not None:
        held.drop(user_pseudonym)
