"""Dates and ages as Indonesians type them, and calendar arithmetic on ages.

Pure functions: whoever needs "today" passes it in. Reusable by any topic
("3 Agustus 2026", "03-08-2026", "3/8/26", "lahir tgl 3 agustus"; "9 bln", "1,5 tahun").
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.knowledge.age import Age
from bot.knowledge.language import MONTHS

# Full names only: a typo of a long name ("agsutus", "septembr") is still clearly that month.
_FULL_MONTHS = [m for m in MONTHS if len(m) >= 5]

# Unit words residents type for an age, with how many months or days one is.
AGE_UNITS: dict[str, Age] = {
    **dict.fromkeys(["hari", "hr", "hri"], Age(0, 1)),
    **dict.fromkeys(["minggu", "mgg", "mg", "pekan", "minggua"], Age(0, 7)),
    **dict.fromkeys(["bulan", "bln", "bl", "bulanan", "bulannya", "month", "months"], Age(1, 0)),
    **dict.fromkeys(["tahun", "thn", "th", "taun", "thun", "tahunan", "tahunnya", "year", "years"], Age(12, 0)),
}
# "sebulan", "setahun"...: one of a unit in a single word.
_ONE_OF = {"sehari": Age(0, 1), "seminggu": Age(0, 7), "sebulan": Age(1, 0), "setahun": Age(12, 0)}
_NEWBORN = re.compile(r"\b(baru\s+(lahir|brojol)|newborn|neonatus)\b")
_HALF = re.compile(r"\bsetengah\s+(tahun|thn|th|bulan|bln)\b")

_NUMERIC = re.compile(r"(?<![\d.,/-])(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{2}|\d{4})(?![\d.,/-]*\d)")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_NAMED = re.compile(
    r"(?<!\d)(\d{1,2})(?:\s*[-/.]\s*|\s+)([a-z]{3,10})\.?(?:(?:\s*[-/.,]\s*|\s+)(\d{4}|\d{2}))?(?![\d])"
)
_AGE = re.compile(r"(?<![\d/-])(\d{1,3}(?:[.,]\d{1,2})?)\s*([a-z]+)")
_JOINS = re.compile(r"\s*(?:,|\+|dan|and|lebih|lbh|lewat)?\s*")  # between two parts of one age


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date found in a text; `day` is None when it looked like a date but does not exist (31-02-2026)."""

    day: date | None
    text: str


def add_age(start: date, age: Age) -> date:
    """The date `age` after `start`; months first, clamped to the month's end (31 Jan + 1 month = end of Feb)."""
    month_index = start.month - 1 + age.months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    if not 1 <= year <= 9999:
        raise OverflowError("date out of range")
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) + timedelta(days=age.days)


def subtract_age(day: date, age: Age) -> date:
    """The date `age` before `day`: days first, then months (the mirror of add_age)."""
    return add_age(day - timedelta(days=age.days), Age(-age.months, 0))


def age_on(birth: date, today: date) -> Age:
    """Completed months plus days from birth to today (born 31 Jan: one month old on the last day of February)."""
    if today < birth:
        return Age(0, 0)
    months = (today.year - birth.year) * 12 + today.month - birth.month
    while months > 0 and add_age(birth, Age(months, 0)) > today:
        months -= 1
    return Age(months, (today - add_age(birth, Age(months, 0))).days)


def find_date(text: str, today: date) -> DateMention | None:
    """The first date in a text; a day and month without a year mean the latest such day up to today."""
    lowered = text.lower()
    for pattern in (_ISO, _NUMERIC, _NAMED):
        for match in pattern.finditer(lowered):
            mention = _mention(pattern, match, today, text[match.start() : match.end()].strip())
            if mention is not None:
                return mention
    return None


def _mention(pattern: re.Pattern[str], match: re.Match[str], today: date, found: str) -> DateMention | None:
    if pattern is _ISO:
        year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    elif pattern is _NUMERIC:
        day, month, year = int(match.group(1)), int(match.group(3)), _full_year(match.group(4), today)
    else:
        month_found = month_of(match.group(2))
        if month_found is None:
            return None
        day, month = int(match.group(1)), month_found
        year = _full_year(match.group(3), today) if match.group(3) else 0
    if not year:  # no year given: the most recent such day, never in the future
        for candidate_year in (today.year, today.year - 1):
            candidate = _safe_date(candidate_year, month, day)
            if candidate is not None and candidate <= today:
                return DateMention(candidate, found)
        return DateMention(_safe_date(today.year - 1, month, day), found)
    return DateMention(_safe_date(year, month, day), found)


def month_of(word: str) -> int | None:
    """The month a word names ("agt", "Agustus", "agsutus"), or None."""
    word = word.lower().strip(".")
    if word in MONTHS:
        return MONTHS[word]
    if len(word) >= 5:
        best = process.extractOne(word, _FULL_MONTHS, scorer=fuzz.ratio, score_cutoff=80)
        if best is not None:
            return MONTHS[best[0]]
    return None


def _full_year(text: str, today: date) -> int:
    year = int(text)
    if len(text) == 2:  # "26" is this century unless that would be years in the future
        year += 2000 if 2000 + year <= today.year + 1 else 1900
    return year


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_age(text: str, numbers: Mapping[str, int] | None = None) -> Age | None:
    """An age in a text: "umur 2 bulan", "9 bln", "1,5 tahun", "1 tahun 3 bulan", "dua bulan", "baru lahir"."""
    lowered = " ".join(text.lower().split())
    if numbers:
        lowered = _digits_for_words(lowered, numbers)
    if _NEWBORN.search(lowered):
        return Age(0, 0)
    # The parts of one age stand together, the larger unit first ("1 tahun 3 bulan"); apart, they are two
    # ages ("campak 9 bulan terlewat, sekarang 14 bulan"), and the child's is the older: a dose, a delay or an
    # illness happened at an age the child has passed.
    ages: list[Age] = []
    end, previous = 0, 0
    for match in _AGE.finditer(lowered):
        unit = AGE_UNITS.get(match.group(2))
        if unit is None:
            continue
        part = _scaled(unit, float(match.group(1).replace(",", ".")))
        size = unit.months * 31 + unit.days
        if ages and size < previous and _JOINS.fullmatch(lowered, end, match.start()):
            ages[-1] += part
        else:
            ages.append(part)
        end, previous = match.end(), size
    total = max(ages, key=lambda a: a.months * 31 + a.days) if ages else None
    half = _HALF.search(lowered)
    if half is not None:
        unit = AGE_UNITS[half.group(1)]
        total = (total or Age()) + _scaled(unit, 0.5)
    for word, unit in _ONE_OF.items():
        if re.search(rf"\b{word}\b", lowered):
            total = (total or Age()) + unit
    if total is None or total.months > 12 * 100:
        return None
    return total


def _scaled(unit: Age, amount: float) -> Age:
    """`amount` of a unit: 1,5 tahun = 18 bulan; 2,5 bulan = 2 bulan 15 hari; 1,5 minggu = 10 hari."""
    if unit.months:
        months = amount * unit.months
        whole = int(months)
        return Age(whole, round((months - whole) * 30))
    return Age(0, round(amount * unit.days))


def _digits_for_words(text: str, numbers: Mapping[str, int]) -> str:
    # Longest first, so "dua belas" wins over "dua".
    for word in sorted(numbers, key=len, reverse=True):
        if word in text:  # most number words are absent: no pattern to build or run
            text = _whole_word(word).sub(str(numbers[word]), text)
    return text


@lru_cache(maxsize=512)
def _whole_word(word: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(word)}\b")
