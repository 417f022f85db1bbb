"""Reading an immunization question: the schedule and province in force, a typed age, a change of subject."""

from __future__ import annotations

import re

from bot.engine.turn import Turn
from bot.engine.understanding import CONFIDENT
from bot.knowledge.age import Age
from bot.knowledge.immunization import Schedule
from bot.topics.dates import find_age, month_of

# Intents whose question a birth date or an age answers: while a step is open, they do not interrupt it.
ANSWERS_A_STEP = {"imunisasi", "imunisasi_jadwal", "imunisasi_usia", "imunisasi_pribadi", "imunisasi_kejar"}


def schedule(turn: Turn) -> Schedule:
    return turn.content.immunization


def province(turn: Turn) -> str:
    """The office's Kemendagri province code ("14.71" -> "14"): regional vaccines depend on it."""
    return turn.content.office.region_code.split(".")[0]


def typed_age(turn: Turn) -> Age | None:
    numbers = turn.content.language.number_map
    return find_age(turn.text, numbers) or find_age(turn.norm, numbers)


def another_question(turn: Turn) -> bool:
    """A longer text that clearly asks something else ("anak demam 2 hari setelah imunisasi") leaves the step."""
    if len(turn.text.split()) <= 3:
        return False
    matches = turn.understanding.match(turn.text, turn.lang)
    return bool(matches) and matches[0].score >= CONFIDENT and matches[0].intent_id not in ANSWERS_A_STEP


def names_a_month(text: str) -> bool:
    return any(month_of(w) is not None for w in re.findall(r"[a-zA-Z]{3,}", text))
