"""A turn's conversation-state write, held back to be committed with the turn's answer.

On the answering path (bot/channels/answering.py) a turn's state save and its stored answer go into
the database in ONE transaction, the answer outbox's group commit (answer_outbox.record), instead of
the save committing on its own first: one commit per turn fewer (one round trip fewer on PostgreSQL),
and never a state saved without its answer. The answering path opens a `TurnWrites` around the turn
(`holding`); `conversations.save_state` then records the save here instead of writing it, and the
query log's row waits here for the commit (`after_commit`), so a turn that is thrown away is not
logged. The version check moves with the write: when the commit finds the row changed since it was
loaded (another process saved), the turn's answer is not stored either, and the answering path runs
the turn again on the fresh state, as the dialogue does for a conflict it sees itself.

Outside the answering path (the console, the dashboard's trial box, tests) nothing is held: a save is
written at once, as before.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StateSave:
    """One conversation row to write if it is still at `expected` (0: there is no row yet)."""

    key: str  # the user's pseudonym
    channel: str
    state: str
    lang: str
    expected: int
    version: int
    at: datetime


class TurnWrites:
    """What one turn wrote that waits for its answer's commit: one user's state save, and what runs after."""

    def __init__(self) -> None:
        self.save: StateSave | None = None
        self._after: list[Callable[[], None]] = []

    def hold(self, save: StateSave) -> bool:
        """Take the save; False for a second user's row (written at once: one row per turn is checked here)."""
        if self.save is not None and self.save.key != save.key:
            return False
        if self.save is not None:  # saved twice in one turn: the last state, checked against the first load
            save = StateSave(
                save.key, save.channel, save.state, save.lang, self.save.expected, self.save.version, save.at
            )
        self.save = save
        return True

    def drop(self, key: str) -> None:
        """The user's data was erased in this turn: their state is not to be written back."""
        if self.save is not None and self.save.key == key:
            self.save = None

    def after_commit(self, action: Callable[[], None]) -> None:
        self._after.append(action)

    def committed(self) -> None:
        """The turn's writes are in the database: run what waited for them (never raises)."""
        after, self._after = self._after, []
        for action in after:
            try:
                action()
            except Exception:
                log.exception("after a turn's commit")


_held: ContextVar[TurnWrites | None] = ContextVar("turn_writes", default=None)


def current() -> TurnWrites | None:
    """The writes of the turn running in this task, when the answering path holds them."""
    return _held.get()


@contextlib.contextmanager
def holding(writes: TurnWrites) -> Iterator[TurnWrites]:
    token = _held.set(writes)
    try:
        yield writes
    finally:
        _held.reset(token)
