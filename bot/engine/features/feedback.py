"""'Apakah jawaban ini membantu?' 👍/👎 after an answer, stored with the query it was about.

Asked lightly: only after an answer that ends there (a FAQ entry or a topic answer with no
choices to make), never after menus, flow steps, fallbacks or emergencies, and at most once
per half hour per user. The buttons carry the answer's query-log reference.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from bot.engine.feature import Feature
from bot.engine.turn import Turn, menu_button, reply
from bot.engine.types import Button, Outcome, Reply

PREFIX = "fb"
INTENT = "feedback"
EVERY = timedelta(minutes=30)
# Intents that are not an answer to a question: never followed by the prompt.
NOT_ANSWERS = frozenset(
    {"fallback", "clarify", "emergency", "greeting", "menu", "help", "empty", "unsupported", "unsubscribe", INTENT}
)


@dataclass(frozen=True, slots=True)
class Given:
    ref: str
    helpful: bool


# The feedback given in the current turn, for the service to store with the earlier query.
_given: ContextVar[Given | None] = ContextVar("feedback_given", default=None)


def given() -> Given | None:
    return _given.get()


def reset() -> None:
    _given.set(None)


def should_ask(turn: Turn, outcome: Outcome) -> bool:
    """A final answer (no open flow, no choices offered) and not asked in the last half hour."""
    if not outcome.answered or outcome.intent in NOT_ANSWERS or turn.state.flow or not outcome.replies:
        return False
    intent = turn.content.intents.get(outcome.intent)
    is_faq = intent is not None and intent.answer is not None
    choices = [b for r in outcome.replies for b in r.buttons if b.payload != "menu"]
    if choices and not is_faq:
        return False  # a menu or a step: the user is still choosing
    if any(r.buttons for r in outcome.replies[:-1]):
        return False  # typed "1" must mean the first button the user sees
    return turn.inbound.at.timestamp() - turn.state.feedback_at >= EVERY.total_seconds()


def ask(turn: Turn, outcome: Outcome, ref: str) -> Outcome:
    """The outcome with the question and 👍/👎 first on its last reply; remembers when we asked."""
    turn.state.feedback_at = turn.inbound.at.timestamp()
    last = outcome.replies[-1]
    buttons = (
        Button(f"{PREFIX}:1:{ref}", turn.t("👍 Ya")),
        Button(f"{PREFIX}:0:{ref}", turn.t("👎 Tidak")),
        *last.buttons,
    )
    question = turn.t("Apakah jawaban ini membantu?")
    asked = Reply(f"{last.text}\n\n{question}", buttons, last.location_request)
    return Outcome(outcome.intent, (*outcome.replies[:-1], asked), outcome.confidence, outcome.answered)


async def on_payload(turn: Turn) -> Outcome:
    parts = (turn.inbound.payload or "").split(":", 2)
    if len(parts) == 3 and parts[1] in {"0", "1"} and parts[2]:
        _given.set(Given(ref=parts[2], helpful=parts[1] == "1"))
        if parts[1] == "0":
            text = turn.t(
                "Terima kasih atas masukannya. Maaf jawabannya belum membantu: coba tulis pertanyaan "
                "dengan kata lain, atau pilih topik di menu."
            )
        else:
            text = turn.t("Terima kasih atas masukannya! 🙏")
    else:
        text = turn.t("Maaf, tombol itu sudah tidak berlaku.")
    return turn.outcome(INTENT, reply(text, [menu_button(turn)]))


FEATURE = Feature(name="feedback", payload_prefix=PREFIX, on_payload=on_payload)
