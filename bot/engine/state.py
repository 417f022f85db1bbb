"""Per-user conversation state: small, JSON-serialisable, kept in the database between turns."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bot.i18n import DEFAULT_LANG
from bot.storage import conversations
from bot.storage.conversations import StateConflict
from bot.storage.db import Database


@dataclass
class ConversationState:
    lang: str = DEFAULT_LANG
    flow: str | None = None  # the feature whose guided step is open, e.g. "uhc"
    step: str | None = None  # where inside that flow
    data: dict[str, Any] = field(default_factory=dict)  # the flow's own answers so far
    offered: list[list[str]] = field(default_factory=list)  # [payload, label] of the last buttons shown
    last_intent: str | None = None
    lang_chosen: bool = False  # the user picked a language themselves: hints no longer apply
    profile: dict[str, Any] = field(default_factory=dict)  # things the user told us to keep (kelurahan...)
    feedback_at: float = 0.0  # when we last asked "Apakah jawaban ini membantu?" (epoch seconds)
    context: dict[str, Any] = field(default_factory=dict)  # what the conversation is about (engine/context.py)
    handover: int = 0  # the open handover to office staff (features/handover.py); leaving a flow keeps it

    def enter(self, flow: str, step: str, **data: Any) -> None:
        self.flow, self.step, self.data = flow, step, dict(data)

    def leave(self) -> None:
        self.flow, self.step, self.data = None, None, {}

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, separators=(",", ":"), default=str)

    @classmethod
    def from_json(cls, raw: str | None) -> ConversationState:
        if not raw:
            return cls()
        try:
            data = json.loads(raw)
        except ValueError:
            return cls()  # a damaged row must not lock a user out: start afresh
        if not isinstance(data, dict):
            return cls()
        state = cls()
        for key, value in data.items():
            if key in state.__dict__ and (
                value is None or isinstance(value, type(state.__dict__[key])) or key in {"flow", "step", "last_intent"}
            ):
                setattr(state, key, value)
        return state


async def load_state(db: Database, user_key: str, secret: bytes) -> tuple[ConversationState, int]:
    """The user's state and its version (pass the version back to `save_state`)."""
    stored = await conversations.load_state(db, user_key, secret)
    return ConversationState.from_json(stored.state), stored.version


async def save_state(
    db: Database, user_key: str, secret: bytes, channel: str, state: ConversationState, version: int
) -> int:
    """Save the state loaded at `version`; raises `StateConflict` when another turn saved in between."""
    return await conversations.save_state(db, user_key, secret, channel, state.to_json(), state.lang, version)


__all__ = ["DEFAULT_LANG", "ConversationState", "StateConflict", "load_state", "save_state"]
