"""Guided flows as tables: each step names what typed text does there and which buttons it accepts.

The idea of python-telegram-bot's ConversationHandler: a flow reads from one declared
table instead of an if/elif chain over step names. A handler returns None for "not
mine": typed text then goes on to normal routing, and a button gets the feature's
"that button is no longer valid" answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from bot.engine.turn import Turn
from bot.engine.types import Outcome

TextHandler = Callable[[Turn], Awaitable[Outcome | None]]
# A button "<prefix>:<action>:<argument>" goes to the handler for its action, with the argument.
ButtonHandler = Callable[[Turn, str], Awaitable[Outcome | None]]


@dataclass(frozen=True)
class Step:
    """One step: what typed text does while it is open, and the buttons it offered."""

    typed: TextHandler | None = None
    buttons: Mapping[str, ButtonHandler] = field(default_factory=dict)


@dataclass(frozen=True)
class Flow:
    name: str  # kept in ConversationState.flow while a step is open
    steps: Mapping[str, Step]
    buttons: Mapping[str, ButtonHandler] = field(default_factory=dict)  # valid whatever step is open, if any

    def open_step(self, turn: Turn) -> Step | None:
        return self.steps.get(turn.state.step or "") if turn.state.flow == self.name else None

    async def on_text(self, turn: Turn) -> Outcome | None:
        """Typed text while this flow is open: the open step's handler, or None when it takes no text."""
        step = self.open_step(turn)
        return await step.typed(turn) if step is not None and step.typed is not None else None

    async def on_button(self, turn: Turn) -> Outcome | None:
        """A pressed button: the open step's handler for its action, else the flow-wide one; None if neither."""
        _prefix, action, argument = [*(turn.inbound.payload or "").split(":", 2), "", ""][:3]
        step = self.open_step(turn)
        handler = (step.buttons.get(action) if step is not None else None) or self.buttons.get(action)
        return await handler(turn, argument) if handler is not None else None
