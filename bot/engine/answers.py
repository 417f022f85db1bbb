"""Which outcomes are residents' answers: one definition for the feedback question and the office's report.

An answer is what a resident asked for: a FAQ entry, an immunization schedule, the nearest puskesmas.
The bot's own replies (menu, greeting, help, fallback, clarify, emergency...) are not, and each feature
declares the intents it answers with that are not either (`Feature.not_answers`: a language switch,
/kader, /hapusdata). The dialogue stamps every outcome with its kind; the report counts topics by it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from bot.engine.feature import Feature
from bot.engine.features import FEATURES
from bot.engine.types import ANSWER, SERVICE, Outcome

# The bot's own replies: the dialogue's reserved intents, the flood note, the console's error line,
# and a failed erasure (the service's).
BOT_INTENTS = frozenset(
    {
        "fallback", "clarify", "emergency", "greeting", "menu", "help", "empty", "unsupported",
        "smalltalk", "handover", "flood", "error", "erase.failed",
    }
)  # fmt: skip


def not_answers(features: Iterable[Feature] = FEATURES) -> frozenset[str]:
    """Every intent that is not a resident's answer, for these features."""
    return BOT_INTENTS.union(*(f.not_answers for f in features))


NOT_ANSWERS = not_answers()


def kind_of(intent: str, excluded: frozenset[str] = NOT_ANSWERS) -> str:
    return SERVICE if intent in excluded else ANSWER


def classified(outcome: Outcome, excluded: frozenset[str] = NOT_ANSWERS) -> Outcome:
    """The outcome with its kind, unless its handler already said."""
    return outcome if outcome.kind else replace(outcome, kind=kind_of(outcome.intent, excluded))
