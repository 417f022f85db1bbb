"""An age or a span of time as staff write it in content ("2 bulan", "6 bulan 29 hari", "4 minggu").

Months and days are kept apart on purpose: "1 bulan" after 31 January is the end of
February, not 30 days later, so an age cannot be reduced to a number of days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Unit words in content files (and what a resident types): how many months or days one of them is.
UNIT_MONTHS = {"bulan": 1, "tahun": 12}
UNIT_DAYS = {"hari": 1, "minggu": 7}

_PART = re.compile(r"(\d+)\s*([a-z]+)")


@dataclass(frozen=True, slots=True, order=True)
class Age:
    """Whole months plus days; compare two ages only through a calendar (see bot.topics.dates)."""

    months: int = 0
    days: int = 0

    def __add__(self, other: Age) -> Age:
        return Age(self.months + other.months, self.days + other.days)

    @property
    def is_zero(self) -> bool:
        return self.months == 0 and self.days == 0


def parse_age(text: str) -> Age | None:
    """Strict reading of a content value like "6 bulan 29 hari"; None when it is not one."""
    words = " ".join(str(text).lower().split())
    if not words:
        return None
    months = days = 0
    pos = 0
    for match in _PART.finditer(words):
        if words[pos : match.start()].strip():
            return None
        number, unit = int(match.group(1)), match.group(2)
        if unit in UNIT_MONTHS:
            months += number * UNIT_MONTHS[unit]
        elif unit in UNIT_DAYS:
            days += number * UNIT_DAYS[unit]
        else:
            return None
        pos = match.end()
    if pos == 0 or words[pos:].strip():
        return None
    return Age(months, days)
