"""The immunization schedule worked out for one child: pure functions over the Schedule (no clock, no I/O).

A personal schedule sorts every dose given by age into exactly one group, from
the birth date and today only (we do not know which doses the child already had):
- coming:  its recommended date is after today;
- due:     its date has come and its due window (e.g. 1 month) has not ended;
- overdue: the due window ended and it may still be given: if it was missed, it can be caught up;
- past:    its age limit has passed (e.g. rotavirus): it is not given any more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import lru_cache
from typing import cast

from rapidfuzz import fuzz, process

from bot.knowledge.age import Age
from bot.knowledge.immunization import Dose, Schedule, Vaccine
from bot.topics.dates import add_age, subtract_age

# Ages asked about ("umur 9 bulan") are laid on a calendar that starts on the 1st of a month,
# where adding months never clamps: an age then means the same everywhere.
_AGE_CALENDAR_START = date(2001, 1, 1)
EARLIEST_BIRTH = date(1900, 1, 1)


class Group(Enum):
    PAST = "past"
    OVERDUE = "overdue"
    DUE = "due"
    COMING = "coming"


@dataclass(frozen=True, slots=True)
class DatedDose:
    dose: Dose
    vaccine: Vaccine
    on: date  # recommended date
    due_until: date  # first day it no longer counts as "due now"
    latest: date | None  # last day it may be given (from the content's age limits), None = no limit
    check_first: bool  # given now it needs a check at the puskesmas first (content's check_after)
    group: Group


@dataclass(frozen=True, slots=True)
class PersonalSchedule:
    birth: date
    today: date
    doses: tuple[DatedDose, ...]  # every dose given by age in this region, by date then file order
    not_here: tuple[Vaccine, ...]  # regional vaccines that are not part of this region's schedule

    def group(self, group: Group) -> tuple[DatedDose, ...]:
        return tuple(d for d in self.doses if d.group is group)

    @property
    def past(self) -> tuple[DatedDose, ...]:
        return self.group(Group.PAST)

    @property
    def overdue(self) -> tuple[DatedDose, ...]:
        return self.group(Group.OVERDUE)

    @property
    def due(self) -> tuple[DatedDose, ...]:
        return self.group(Group.DUE)

    @property
    def coming(self) -> tuple[DatedDose, ...]:
        return self.group(Group.COMING)


class BirthProblem(Enum):
    FUTURE = "future"
    TOO_OLD = "too_old"  # older than the schedule's personal_until
    ABSURD = "absurd"  # before 1900


def check_birth(schedule: Schedule, birth: date, today: date) -> BirthProblem | None:
    """Why a birth date cannot get a personal schedule, or None when it can."""
    if birth > today:
        return BirthProblem.FUTURE
    if birth < EARLIEST_BIRTH:
        return BirthProblem.ABSURD
    if add_age(birth, schedule.personal_until) <= today:
        return BirthProblem.TOO_OLD
    return None


def personal_schedule(
    schedule: Schedule, birth: date, today: date, province_code: str | None = None
) -> PersonalSchedule:
    """Every dose given by age, dated from the birth date and sorted into past/overdue/due/coming."""
    here = [v for v in schedule.vaccines if v.given_in(province_code)]
    dated: list[tuple[date, int, DatedDose]] = []
    order = 0
    for vaccine in here:
        doses = [d for d in vaccine.doses if d.age is not None]
        latest = _latest_dates(doses, birth)
        for dose, last in zip(doses, latest, strict=True):
            assert dose.age is not None
            on = add_age(birth, dose.age)
            due_until = add_age(on, dose.due_window or schedule.due_window)
            check = dose.check_after is not None and today >= add_age(birth, dose.check_after)
            item = DatedDose(dose, vaccine, on, due_until, last, check, _group(on, due_until, last, today))
            dated.append((on, order, item))
            order += 1
    dated.sort(key=lambda x: (x[0], x[1]))
    not_here = tuple(v for v in schedule.vaccines if not v.given_in(province_code) and _has_infant_dose(v))
    return PersonalSchedule(birth, today, tuple(d for _, _, d in dated), not_here)


def at_age(schedule: Schedule, age: Age, province_code: str | None = None) -> PersonalSchedule:
    """The same grouping for a child of a given age (dates in the result mean nothing to a user)."""
    return personal_schedule(schedule, _AGE_CALENDAR_START, add_age(_AGE_CALENDAR_START, age), province_code)


def _latest_dates(doses: list[Dose], birth: date) -> list[date | None]:
    """Each dose's last allowed date: its own max_age, or early enough to fit the next doses' minimum intervals.

    Only numbers stated in the content are used (e.g. rotavirus: the last dose by 6 months 29 days,
    at least 4 weeks apart, so the first dose can start no later than 8 weeks before that).
    """
    out: list[date | None] = [None] * len(doses)
    following: date | None = None  # the latest date of the next dose
    for i in range(len(doses) - 1, -1, -1):
        dose = doses[i]
        candidates = []
        if dose.max_age is not None:
            candidates.append(add_age(birth, dose.max_age))
        if following is not None and i + 1 < len(doses) and doses[i + 1].min_interval is not None:
            interval = doses[i + 1].min_interval
            assert interval is not None
            candidates.append(subtract_age(following, interval))
        out[i] = min(candidates) if candidates else None
        following = out[i]
    return out


def _group(on: date, due_until: date, latest: date | None, today: date) -> Group:
    if on > today:
        return Group.COMING
    if latest is not None and today > latest:
        return Group.PAST
    if today < due_until:
        return Group.DUE
    return Group.OVERDUE


def _has_infant_dose(vaccine: Vaccine) -> bool:
    return any(d.age is not None for d in vaccine.doses)


def stages(doses: Iterable[DatedDose]) -> list[tuple[date, list[DatedDose]]]:
    """Doses grouped by their date, in order (one line per visit in an answer)."""
    out: list[tuple[date, list[DatedDose]]] = []
    for item in doses:
        if out and out[-1][0] == item.on:
            out[-1][1].append(item)
        else:
            out.append((item.on, [item]))
    return out


def next_visit(plan: PersonalSchedule) -> tuple[date, list[DatedDose]] | None:
    """The first coming date and its doses (what a reminder announces), or None when nothing is coming."""
    coming = stages(plan.coming)
    return coming[0] if coming else None


def schedule_by_age(schedule: Schedule) -> list[tuple[Age, list[tuple[Vaccine, Dose]]]]:
    """The whole age schedule as (age, doses) rows in age order, for the national table."""
    rows: dict[Age, list[tuple[Vaccine, Dose]]] = {}
    for vaccine in schedule.vaccines:
        for dose in vaccine.doses:
            if dose.age is not None:
                rows.setdefault(dose.age, []).append((vaccine, dose))
    # Order ages on the calendar, so "4 minggu" and "1 bulan" would still sort correctly.
    return sorted(rows.items(), key=lambda kv: add_age(_AGE_CALENDAR_START, kv[0]))


def school_by_grade(schedule: Schedule) -> list[tuple[int, list[tuple[Vaccine, Dose]]]]:
    """The school (BIAS) doses as (grade, doses) rows."""
    rows: dict[int, list[tuple[Vaccine, Dose]]] = {}
    for vaccine in schedule.vaccines:
        for dose in vaccine.doses:
            if dose.grade is not None:
                rows.setdefault(dose.grade, []).append((vaccine, dose))
    return [(grade, sorted(rows[grade], key=lambda vd: vd[1].month or 0)) for grade in sorted(rows)]


_WORDS = re.compile(r"[^\w]+")


_POSSESSIVE = "nya"


def _words(text: str) -> list[str]:
    return [w for w in _WORDS.sub(" ", text.lower()).split() if w]


@lru_cache(maxsize=1024)
def _name_words(name: str) -> tuple[str, ...]:
    """A vaccine name's words: the same few hundred names are looked for in every message."""
    return tuple(_words(name))


def find_vaccines(schedule: Schedule, text: str) -> list[Vaccine]:
    """Vaccines a text names, by any of their content `names` (small typos in long names pass), in file order."""
    # "campaknya", "bcgnya": the vaccine with its possessive is that vaccine
    words = [w[: -len(_POSSESSIVE)] if w.endswith(_POSSESSIVE) and len(w) > 5 else w for w in _words(text)]
    if not words:
        return []
    joined = f" {' '.join(words)} "
    table, typed = _names_of(schedule)
    passed: frozenset[str] | None = None  # the names a word of the text passes as a typo, read on first need
    found = []
    for vaccine, names in table:
        for spaced, fuzzy in names:
            if spaced in joined:
                found.append(vaccine)
                break
            if fuzzy:
                if passed is None:
                    passed = _typos_passed(typed, words)
                if fuzzy in passed:
                    found.append(vaccine)
                    break
    return found


def _typos_passed(names: tuple[str, ...], words: list[str]) -> frozenset[str]:
    """The names some word passes as a typo of: every name against every word in one of rapidfuzz's loops, the
    same ratio and bar as `any(fuzz.ratio(name, w) >= 85 for w in words)` (a score under the cutoff is 0)."""
    if not names:
        return frozenset()
    scores = process.cdist(names, words, scorer=fuzz.ratio, score_cutoff=85)
    passes = cast(list[bool], scores.any(axis=1).tolist())  # a row per name (the stubs say 'bool | Any')
    return frozenset(name for name, passing in zip(names, passes, strict=True) if passing)


_Names = tuple[tuple[tuple[Vaccine, tuple[tuple[str, str], ...]], ...], tuple[str, ...]]
_NAMES: dict[int, tuple[Schedule, _Names]] = {}


def _names_of(schedule: Schedule) -> _Names:
    """Each vaccine's names as looked for in a message, built once per schedule (every turn asks, some twice):
    the name's words between spaces, and the name itself where a typo of it passes (one word of 6 letters or more);
    and those names apart, each once."""
    kept = _NAMES.get(id(schedule))
    if kept is not None and kept[0] is schedule:
        return kept[1]
    table = tuple(
        (
            vaccine,
            tuple(
                (f" {' '.join(words)} ", name if len(words) == 1 and len(name) >= 6 else "")
                for name in vaccine.names
                if (words := _name_words(name))
            ),
        )
        for vaccine in schedule.vaccines
    )
    typed = tuple(dict.fromkeys(fuzzy for _vaccine, names in table for _spaced, fuzzy in names if fuzzy))
    if len(_NAMES) >= 16:  # a schedule per office and content version: few live at a time
        _NAMES.clear()
    _NAMES[id(schedule)] = (schedule, (table, typed))
    return table, typed
