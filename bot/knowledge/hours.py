"""Opening hours of a puskesmas, and what an office has announced about hours without giving them all.

`hours:` per puskesmas is a full timetable per day; a day that is not listed is unknown.
`hours_notes:` in puskesmas.yaml are announcements that say less than a timetable, such as
"since 2 January 2026 every puskesmas serves until 21.00" (Kota Pekanbaru): the bot repeats
what the source says, from the day it applies, and never turns it into opening times it does
not have.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.knowledge.source import Fields, Localized, Problems

DAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")  # index = date.weekday()
HOLIDAY = "libur"  # hours on a national public holiday
ALL = "all"  # a note for every puskesmas of the file
_RANGE = re.compile(r"^(\d{1,2})[.:](\d{2})\s*[-–]\s*(\d{1,2})[.:](\d{2})$")

Ranges = tuple[tuple[int, int], ...]  # minutes after midnight; an end <= start runs past midnight


@dataclass(frozen=True, slots=True)
class Hours:
    """Opening hours per day name (DAYS and "libur"); a day that is not listed is unknown."""

    days: tuple[tuple[str, Ranges], ...] = ()

    def on(self, day: str) -> Ranges | None:
        """The ranges of that day; () when closed, None when nobody told us."""
        return dict(self.days).get(day)

    @property
    def known(self) -> bool:
        return bool(self.days)


@dataclass(frozen=True, slots=True)
class HoursNote:
    """What a source said about hours, for some or all puskesmas, from a given day on."""

    applies_to: tuple[str, ...]  # puskesmas codes; () = every puskesmas of the file
    since: dt.date | None  # the day it starts to hold; before it the note is not shown
    text: Localized  # exactly what is known, e.g. "melayani sampai pukul 21.00 WIB ..."
    source: str  # who said it, where and when, shown with the answer
    reviewed: dt.date | None

    def covers(self, code: str, day: dt.date) -> bool:
        return (not self.applies_to or code in self.applies_to) and (self.since is None or day >= self.since)


def parse_ranges(text: str) -> Ranges | None:
    """'07.30-12.00, 13.00-16.00' -> minute ranges; 'tutup' -> (); '24 jam' -> whole day; None if unreadable."""
    text = text.strip().lower()
    if text in {"tutup", "libur", "closed"}:
        return ()
    if text in {"24 jam", "24jam", "buka 24 jam"}:
        return ((0, 24 * 60),)
    ranges = []
    for part in re.split(r"[,;]|\bdan\b", text):
        match = _RANGE.match(part.strip())
        if not match:
            return None
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
            return None
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if start == end:
            return None
        ranges.append((start, end))
    return tuple(ranges)


def parse_hours(f: Fields) -> Hours:
    value = f.raw("hours")
    if value is None or value == {}:
        return Hours()
    if not isinstance(value, dict):
        f.error("hours", "'hours' must be a mapping of day to hours, e.g. senin: 07.30-14.00")
        return Hours()
    days = []
    for day, spec in value.items():
        line = value.key_lines.get(day, f.line) if hasattr(value, "key_lines") else f.line
        if day not in (*DAYS, HOLIDAY):
            f.problems.error(f.file, line, f"{f.where}: unknown day '{day}' (use {', '.join((*DAYS, HOLIDAY))})")
            continue
        if spec is None or (isinstance(spec, str) and not spec.strip()):
            continue  # left empty: unknown
        ranges = parse_ranges(str(spec)) if isinstance(spec, str) else None
        if ranges is None:
            f.problems.error(
                f.file, line, f"{f.where}: hours of '{day}' must look like 07.30-14.00, '24 jam' or tutup: {spec!r}"
            )
            continue
        days.append((str(day), ranges))
    return Hours(tuple(days))


def parse_notes(top: Fields, problems: Problems, codes: set[str]) -> tuple[HoursNote, ...]:
    """`hours_notes:` of puskesmas.yaml; each needs a text, its source (who said it, where, when) and a review date."""
    notes = []
    for line, raw in top.items("hours_notes", required=False):
        f = Fields(raw, top.file, problems, "hours note", line)
        if not f.ok:
            continue
        target = f.raw("applies_to")
        applies: tuple[str, ...] = () if target == ALL else f.texts("applies_to")
        for code in applies:
            if code not in codes:
                f.error("applies_to", f"puskesmas '{code}' is not in the list (or write applies_to: {ALL})")
        source = f.text("source")
        text = f.localized("text")
        reviewed = f.date("reviewed")
        note = HoursNote(applies, f.date("since", required=False), text or Localized.plain(""), source, reviewed)
        f.done()
        if text is not None:
            notes.append(note)
    return tuple(notes)
