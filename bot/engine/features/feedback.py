"""'Apakah jawaban ini membantu?' 👍/👎 after an answer, stored with the query it was about; after a 👎 the
resident is offered a person ("Hubungi petugas", features/handover.py).

The dialogue asks it (`follow_up`) only after a resident's answer (`Outcome.kind == ANSWER`, see
bot/engine/answers.py) that ends there: no choices to make, no open flow; and at most once per half
hour per user. The buttons carry the answer's reference (`Outcome.feedback_ref`, the key the query log
keeps the turn under); a press comes back as the outcome's `rating`.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta

from bot.engine.feature import Feature
from bot.engine.replies import HANDOVER_BUTTON
from bot.engine.turn import Turn, menu_button, reply
from bot.engine.types import ANSWER, Button, Outcome, Rating, Reply

PREFIX = "fb"
INTENT = "feedback"
EVERY = timedelta(minutes=30)


def should_ask(turn: Turn, outcome: Outcome) -> bool:
    """A resident's final answer (no open flow, no choices offered) and not asked in the last half hour."""
    if outcome.kind != ANSWER or not outcome.answered or turn.state.flow or not outcome.replies:
        return False
    intent = turn.content.intents.get(outcome.intent)
    is_faq = intent is not None and intent.answer is not None
    choices = [b for r in outcome.replies for b in r.buttons if b.payload != "menu"]
    if choices and not is_faq:
        return False  # a menu or a step: the user is still choosing
    if any(r.buttons for r in outcome.replies[:-1]):
        return False  # typed "1" must mean the first button the user sees
    return turn.inbound.at.timestamp() - turn.state.feedback_at >= EVERY.total_seconds()


def follow_up(turn: Turn, outcome: Outcome) -> Outcome:
    """The outcome with the question and 👍/👎 first on its last reply when it should ask; remembers when."""
    if not should_ask(turn, outcome):
        return outcome
    ref = uuid.uuid4().hex
    turn.state.feedback_at = turn.inbound.at.timestamp()
    last = outcome.replies[-1]
    buttons = (
        Button(f"{PREFIX}:1:{ref}", turn.t("👍 Ya")),
        Button(f"{PREFIX}:0:{ref}", turn.t("👎 Tidak")),
        *last.buttons,
    )
    question = turn.t("Apakah jawaban ini membantu?")
    asked = Reply(f"{last.text}\n\n{question}", buttons, last.location_request)
    return replace(outcome, replies=(*outcome.replies[:-1], asked), feedback_ref=ref)


async def on_payload(turn: Turn) -> Outcome:
    parts = (turn.inbound.payload or "").split(":", 2)
    rating = None
    buttons = [menu_button(turn)]
    if len(parts) == 3 and parts[1] in {"0", "1"} and parts[2]:
        rating = Rating(ref=parts[2][:32], helpful=parts[1] == "1")
        if parts[1] == "0":
            text = turn.t(
                "Terima kasih atas masukannya. Maaf jawabannya belum membantu: coba tulis pertanyaan "
                "dengan kata lain, pilih topik di menu, atau hubungi petugas."
            )
            buttons.insert(0, Button(HANDOVER_BUTTON, turn.t("Hubungi petugas")))  # features/handover.py
        else:
            text = turn.t("Terima kasih atas masukannya! 🙏")
    else:
        text = turn.t("Maaf, tombol itu sudah tidak berlaku.")
    return replace(turn.outcome(INTENT, reply(text, buttons)), rating=rating)


FEATURE = Feature(name="feedback", payload_prefix=PREFIX, on_payload=on_payload, not_answers=frozenset({INTENT}))
