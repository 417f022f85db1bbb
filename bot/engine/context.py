"""What the conversation is about, kept for a while: the context a short follow-up is read against.

After an answer, its topic and the facts its question named (vaccine, age, birth date, the last list of
puskesmas) are kept in the conversation state for EXPIRY; a message that clearly starts a new topic
replaces them. How a short follow-up is read against them ("yang 9 bulan?", "yang pertama buka sabtu?")
is `followup`'s concern; this module only keeps, expires and hands out what is in hand.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.engine import vaccine_thread
from bot.engine.followup_reading import MAX_WORDS
from bot.engine.turn import Turn
from bot.engine.types import Outcome

EXPIRY = timedelta(minutes=30)
ASKED_WORDS = 40  # the last question kept for a statement that follows it
SAID_CHARS = 600  # the start of the last answer kept: a follow-up may ask about a word of it ("kelas brp?")
# Reserved intents that say nothing about the topic: they leave the context as it was.
KEEPS_CONTEXT = frozenset(
    {"smalltalk", "greeting", "fallback", "clarify", "help", "empty", "unsupported", "feedback", "flood", "error"}
)
_NEAREST = "puskesmas"  # the entry listing the puskesmas nearest to a shared location, nearest first
HOSPITALS = "rumah_sakit"  # the entry listing the hospitals with an IGD, as the emergency answer does
# Who a topic is about, for danger signs told in a follow-up: "pusing hebat dan pandangan kabur" after a
# pregnancy answer is a pregnant woman's danger sign, as it is when the same message says "hamil".
_CONCERNS = {"kehamilan": "ibu hamil"}


def current(turn: Turn) -> dict[str, Any]:
    """The live context of this conversation; {} when there is none or it has expired."""
    ctx = turn.state.context
    if not ctx:
        return {}
    at = ctx.get("at")
    if (
        not isinstance(at, (int, float))
        or turn.now.timestamp() - at > EXPIRY.total_seconds()
        or at > turn.now.timestamp() + 60
    ):
        turn.state.context = {}
        return {}
    return ctx


def listed(turn: Turn, names: list[str]) -> None:
    """A feature showed these puskesmas (or hospitals) in this order: "yang pertama" means names[0]."""
    turn.state.context = {**current(turn), "listed": list(names), "at": turn.now.timestamp()}


def keep_next(turn: Turn, text: str, intent_id: str) -> None:
    """A long message's next question, answered when the resident presses "Lanjut" (or types its number)."""
    turn.state.context = {**current(turn), "next": [text, intent_id], "at": turn.now.timestamp()}


def take_next(turn: Turn) -> tuple[str, str] | None:
    pending = current(turn).pop("next", None)
    if not isinstance(pending, list) or len(pending) != 2:
        return None
    return str(pending[0]), str(pending[1])


def remember(turn: Turn, outcome: Outcome) -> None:
    """After an answer: its topic and the facts its question named (vaccine, age, birth date)."""
    if outcome.intent in KEEPS_CONTEXT:
        return
    ctx = dict(current(turn))
    pending = ctx.get("next")
    intent = turn.content.intents.get(outcome.intent)
    if intent is None:
        if outcome.intent in {"emergency", "menu"}:
            turn.state.context = {}  # after an emergency or "batal"/"menu", nothing is read as a follow-up...
            hospitals = turn.content.intents.get(HOSPITALS)
            if outcome.intent == "emergency" and hospitals is not None:
                # ...but the hospitals the emergency answer listed: "yang dekat tangkerang?" asks for them
                ctx = {"intent": hospitals.id, "topic": hospitals.topic, "after": "emergency"}
                turn.state.context = {**ctx, "at": turn.now.timestamp()}
        return  # a service reply (menu, language, reminders...): nothing to follow up on
    if ctx.get("topic") != intent.topic:
        ctx = {"listed": ctx["listed"]} if "listed" in ctx and intent.topic == "puskesmas" else {}
    ctx.pop("after", None)  # the emergency's hospitals were asked for: from here on, a follow-up like any other
    ctx.update(intent=intent.id, topic=intent.topic, at=turn.now.timestamp())
    ctx["asked"] = " ".join(turn.text.split()[:ASKED_WORDS])  # a statement that follows is read with it
    ctx["said"] = outcome.replies[0].text[:SAID_CHARS] if outcome.replies else ""
    vaccine_thread.remember_facts(turn, ctx)
    if not (outcome.intent.startswith("puskesmas") or outcome.intent == "rumah_sakit"):
        ctx.pop("listed", None)
    if pending is not None:
        ctx["next"] = pending
    turn.state.context = ctx


def danger_text(turn: Turn) -> str | None:
    """A short message read with whom the conversation is about, for the danger signs; None when nobody is."""
    who = _CONCERNS.get(str(current(turn).get("topic", "")))
    if who is None or not turn.text or len(turn.text.split()) > MAX_WORDS:
        return None
    return f"{who} {turn.text}"


def subject(ctx: dict[str, Any]) -> str:
    """What the last answer was about, in words a handler reads: the one puskesmas (or hospital) it showed."""
    names = ctx.get("listed")
    if isinstance(names, list) and (len(names) == 1 or (names and ctx.get("intent") == _NEAREST)):
        return f"puskesmas {names[0]}"  # of the nearest ones, "kalau sabtu buka?" asks about the nearest
    return ""
