"""How a topic plugs into the dialogue: handlers, button payloads, a guided flow, commands.

A feature is a file you can read top to bottom (like an aiogram Router): the
dialogue routes to it, it calls its pure topic functions and answers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from bot.engine.turn import Turn
from bot.engine.types import Outcome

Handler = Callable[[Turn], Awaitable[Outcome | None]]


@dataclass(frozen=True)
class Feature:
    name: str
    # Handlers named by content intents ("handler: immunization.schedule" -> key "immunization.schedule").
    handlers: Mapping[str, Handler] = field(default_factory=dict)
    # Button payloads "<prefix>:..." go to on_payload (turn.inbound.payload holds the whole payload).
    payload_prefix: str | None = None
    on_payload: Handler | None = None
    # While state.flow == flow, typed text goes to on_flow first; it returns None to let normal routing run.
    flow: str | None = None
    on_flow: Handler | None = None
    # Runs on every turn after danger signs and "berhenti", before buttons, menu words and flows; returns
    # None to let routing go on (the handover: a resident's messages go to the officer holding the chat).
    before: Handler | None = None
    # A shared location (when no flow claimed it).
    on_location: Handler | None = None
    # Slash commands, e.g. {"/imunisasi": handler}.
    commands: Mapping[str, Handler] = field(default_factory=dict)
    # Extra lines for the emergency reply (e.g. the nearest IGD); must never raise.
    emergency_lines: Callable[[Turn], list[str]] | None = None
    # Content entry ids the code links to (buttons, steps): content without them never goes live.
    requires_intents: tuple[str, ...] = ()
    # Intents it answers with that are not a resident's question answered (settings, staff commands):
    # never followed by the feedback question, never a topic in the report (bot/engine/answers.py).
    not_answers: frozenset[str] = frozenset()
