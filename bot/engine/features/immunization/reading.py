"""Reading an immunization question: the schedule and province in force, a typed age, a change of subject."""

from __future__ import annotations

import re

from bot.engine.turn import Turn
from bot.engine.understanding import CONFIDENT
from bot.knowledge.age import Age
from bot.knowledge.immunization import Schedule, Vaccine
from bot.topics.dates import find_age, month_of
from bot.topics.immunization import find_vaccines

# Intents whose question a birth date or an age answers: while a step is open, they do not interrupt it.
ANSWERS_A_STEP = {"imunisasi", "imunisasi_jadwal", "imunisasi_usia", "imunisasi_pribadi", "imunisasi_kejar"}


def schedule(turn: Turn) -> Schedule:
    return turn.content.immunization


def province(turn: Turn) -> str:
    """The office's Kemendagri province code ("14.71" -> "14"): regional vaccines depend on it."""
    return turn.content.office.region_code.split(".")[0]


def vaccines_named(turn: Turn, text: str | None = None) -> list[Vaccine]:
    """The vaccines a message names. A name that chat also writes for an everyday word counts only where the
    normaliser keeps it: "dpt" is DPT in "imunisasi dpt" and "dpt 1", and "dapat" in "blm dpt campak"."""
    text = turn.text if text is None else text
    found = find_vaccines(schedule(turn), text)
    if not found:
        return found
    kept = find_vaccines(schedule(turn), turn.understanding.normalize(text))
    if len(kept) == len(found):
        return found
    words = _shorthands(turn)
    return [v for v in found if v in kept or not words.intersection(v.names)]


_SHORTHANDS: dict[str, frozenset[str]] = {}  # by content version


def _shorthands(turn: Turn) -> frozenset[str]:
    """Vaccine names the content's language phrases read as another, everyday word in some company ("bisa dpt":
    "bisa dapat"), while the name alone stays the vaccine (so not "td", which chat always means as "tadi")."""
    content = turn.content
    kept = _SHORTHANDS.get(content.version)
    if kept is None:
        names = {n for v in content.immunization.vaccines for n in v.names}
        alone = {n for n in names if " " not in n and turn.understanding.normalize(n) == n}
        kept = frozenset(
            word
            for phrase, meaning in content.language.replacements
            if " " in phrase and not names.intersection(meaning.split())
            for word in phrase.split()
            if word in alone
        )
        if len(_SHORTHANDS) > 8:  # a version per office and reload: few live at a time
            _SHORTHANDS.clear()
        _SHORTHANDS[content.version] = kept
    return kept


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
