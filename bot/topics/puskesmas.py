"""Puskesmas look-ups: nearest by distance, by kecamatan/kelurahan, by name; opening hours.

Pure functions over the loaded Directory: no database, no clock (the moment is passed in). Typed
names are scored against the directory in name_index.py; this module decides what a match means.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.knowledge.geo import haversine_km
from bot.knowledge.language import WEEKDAYS
from bot.knowledge.puskesmas import DAYS, HOLIDAY, Directory, Hospital, Hours, Kecamatan, Kelurahan, Point, Puskesmas
from bot.topics import name_index

FULL_DAY = 24 * 60
AREA_SCORE = 85  # rapidfuzz ratio from which a typed name counts as that place ("simpang baru" ~ "simpangbaru")
NAME_SCORE = 85
FAR_MARGIN_KM = 5.0  # beyond the farthest facility from the city's centre by this much: "outside the city"

DAY_WORDS = {word: DAYS[index] for word, index in WEEKDAYS.items()}  # typed day name -> hours key


@dataclass(frozen=True, slots=True)
class Area:
    """A place a user typed: a kelurahan, a kecamatan, or a former (2018) kecamatan now split."""

    kind: str  # "kelurahan" | "kecamatan" | "former"
    name: str
    kecamatan: tuple[Kecamatan, ...]  # the kecamatan it is (one) or became (several, for "former")
    kelurahan: Kelurahan | None = None
    score: float = 100.0

    @property
    def code(self) -> str:
        """Its Kemendagri code; "" for a former kecamatan, which has none now."""
        if self.kelurahan is not None:
            return self.kelurahan.code
        return self.kecamatan[0].code if self.kind == "kecamatan" and self.kecamatan else ""


@dataclass(frozen=True, slots=True)
class AreaAnswer:
    area: Area
    puskesmas: tuple[Puskesmas, ...]
    basis: str  # "kelurahan" | "kecamatan" | "formerly" (none in the area itself: those of the old kecamatan)
    formerly: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Filter:
    """What the user asked to be open: now, a weekday, on holidays, or 24 hours."""

    kind: str  # "now" | "day" | "24h"
    day: str = ""  # for "day": a DAYS name or "libur"

    def matches(self, entry: Puskesmas, moment: dt.datetime, holidays: Callable[[dt.date], bool]) -> bool | None:
        """Does this puskesmas qualify? None when its hours are not known."""
        if "24_jam" in entry.services:
            return True
        if self.kind == "now":
            return open_now(entry.hours, moment, holidays)
        if self.kind == "24h":
            return is_24h(entry.hours)
        return open_on(entry.hours, self.day)


# --- distance -------------------------------------------------------------------------------------------------


def distance_km(a: Point, b: Point) -> float:
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def nearest_puskesmas(
    directory: Directory, point: Point, k: int = 3, accept: Callable[[Puskesmas], bool] | None = None
) -> list[tuple[Puskesmas, float]]:
    """The k nearest puskesmas with known coordinates, with their distance in km."""
    return directory.index.nearest(point.lat, point.lon, k, accept)


def nearest_igd(directory: Directory, point: Point, k: int = 3) -> list[tuple[Hospital, float]]:
    """The k nearest hospitals with an IGD; general hospitals before special ones at equal reach."""
    found = directory.igd_index.nearest(point.lat, point.lon, k, lambda h: h.kind == "umum")
    return found or directory.igd_index.nearest(point.lat, point.lon, k)


def outside_area(directory: Directory, point: Point) -> bool:
    """True when the point lies well beyond every facility of the office's area."""
    if directory.extent is None:  # no facility with coordinates: nothing to be outside of
        return False
    centre, radius = directory.extent  # worked out once, when the content was loaded
    return distance_km(centre, point) > radius + FAR_MARGIN_KM


def area_point(directory: Directory, area: Area) -> Point | None:
    """A stand-in location for an area: the first puskesmas with coordinates that serves it."""
    for entry in puskesmas_for_area(directory, area).puskesmas:
        if entry.point is not None:
            return entry.point
    return None


# --- areas and names ------------------------------------------------------------------------------------------


def find_area(directory: Directory, text: str) -> Area | None:
    """The kecamatan or kelurahan named in a text, tolerant of typos and spacing; None if none is close."""
    low = text.lower()
    windows = name_index.windows_for(text)
    if not windows:
        return None
    names = name_index.directory_names(directory)
    kec_names, kel_names, old, old_names = names.kecamatan, names.kelurahan, names.former, names.former_keys
    kec_score, kec = name_index.best(windows, kec_names, AREA_SCORE)
    kel_score, kel = name_index.best(windows, kel_names, AREA_SCORE)
    old_score, old_key = name_index.best(windows, old_names, AREA_SCORE)
    says_kec = bool(re.search(r"\bkec(amatan)?\b", low))
    says_kel = bool(re.search(r"\b(kel(urahan)?|desa)\b", low))
    # Prefer what the user called it; then the better match; a kecamatan wins a tie.
    if says_kec and isinstance(kec, Kecamatan) and kec_score >= max(kel_score, old_score) - 5:
        return Area("kecamatan", kec.name, (kec,), score=kec_score)
    if says_kec and isinstance(old_key, str) and old_score >= kec_score:
        return _former(old[old_key], old_key, old_score)
    if isinstance(kel, Kelurahan) and (says_kel or kel_score > kec_score) and kel_score >= old_score:
        parent = directory.kecamatan_by_code(kel.kecamatan)
        return Area("kelurahan", kel.name, (parent,) if parent else (), kel, kel_score)
    if isinstance(kec, Kecamatan):
        return Area("kecamatan", kec.name, (kec,), score=kec_score)
    if isinstance(old_key, str):
        return _former(old[old_key], old_key, old_score)
    return None


def _former(formers: list[Kecamatan], old_key: str, score: float) -> Area:
    """A former kecamatan by the name it was typed as, and the kecamatan it became."""
    name = next(n for k in formers for n in k.formerly if name_index.key(n) == old_key)
    return Area("former", name, tuple(formers), score=score)


def puskesmas_for_area(directory: Directory, area: Area) -> AreaAnswer:
    """The puskesmas serving an area, most precise first; those of the old kecamatan when it has none."""
    if area.kelurahan is not None:
        code = area.kelurahan.code
        precise = tuple(p for p in directory.puskesmas if code in p.serves and p.serves_basis == "kelurahan")
        if precise:
            return AreaAnswer(area, precise, "kelurahan")
    codes = {k.code for k in area.kecamatan}
    certain = tuple(p for p in directory.puskesmas if p.kecamatan in codes)
    maybe = tuple(p for p in directory.puskesmas if not p.kecamatan and codes & set(p.kecamatan_candidates))
    if certain:
        return AreaAnswer(area, certain + maybe, "kecamatan")
    formerly = tuple(dict.fromkeys(name for k in area.kecamatan for name in k.formerly))
    keys = {name_index.key(n) for n in formerly}
    before = tuple(p for p in directory.puskesmas if name_index.key(p.kecamatan_bps) in keys)
    return AreaAnswer(area, before or maybe, "formerly", formerly)


def find_by_name(directory: Directory, text: str) -> list[Puskesmas]:
    """Puskesmas whose name the text mentions (typos tolerated), best match first."""
    return match_name(directory, text)[1]


def match_name(directory: Directory, text: str) -> tuple[float, list[Puskesmas]]:
    """The best name score (0-100) and the puskesmas within 5 points of it."""
    windows = [w for w in name_index.windows_for(text) if len(w) >= 3]
    names = name_index.directory_names(directory)
    best: dict[int, float] = {}  # a puskesmas's position -> its best score over its names and the windows
    for score, _w, n in names.puskesmas_keys.pairs(windows, NAME_SCORE):
        position = names.puskesmas_keys.values[n]
        assert isinstance(position, int)
        if score >= NAME_SCORE and score > best.get(position, 0.0):
            best[position] = score
    scored = [(score, position, names.puskesmas[position]) for position, score in best.items()]
    if not scored:
        return 0.0, []
    top = max(s for s, _, _ in scored)
    return top, [entry for score, _, entry in sorted(scored, key=lambda s: (-s[0], s[1])) if score >= top - 5]


def find_hospital(directory: Directory, text: str) -> Hospital | None:
    """The hospital a text names by its own words ("igd rs awal bros", "santa maria"), typos tolerated; None if none."""
    every = re.findall(r"[a-z]+", text.lower()[:2000])[: name_index.MAX_WORDS]
    words = [w for w in every if w not in name_index.HOSPITAL_WORDS]
    hospitals = name_index.directory_names(directory).hospitals
    _score, hospital = name_index.best(name_index.windows(words), hospitals, NAME_SCORE)
    return hospital if isinstance(hospital, Hospital) else None


def find_filter(text: str) -> Filter | None:
    """'buka sekarang' / '24 jam' / 'hari minggu' / 'hari libur' in a question, if any (also in English)."""
    low = text.lower()
    if re.search(r"24\s*(jam|hours?|hrs?)|nonstop|non stop|round the clock|all night", low):
        return Filter("24h")
    if re.search(r"\b(hari )?libur|tanggal merah|lebaran\b|\bholidays?\b", low):
        return Filter("day", HOLIDAY)
    for word, day in DAY_WORDS.items():
        if re.search(rf"\b{re.escape(word)}\b", low):
            return Filter("day", day)
    if re.search(r"buka (sekarang|skrg|saat ini|malam)|masih buka|yang buka|lagi buka|\bbuka\b.*\bsekarang\b", low):
        return Filter("now")
    if re.search(r"\bopen (now|right now|at the moment|tonight)\b|\b(still|currently) open\b", low):
        return Filter("now")
    return None


# --- opening hours --------------------------------------------------------------------------------------------


def _ranges_for(hours: Hours, day: dt.date, holidays: Callable[[dt.date], bool]) -> tuple[tuple[int, int], ...] | None:
    if holidays(day):
        return hours.on(HOLIDAY)  # a holiday with no "libur" entry: unknown, not the weekday's hours
    return hours.on(DAYS[day.weekday()])


def open_now(hours: Hours, moment: dt.datetime, holidays: Callable[[dt.date], bool]) -> bool | None:
    """Open at `moment` (already in the office's time zone)? None when the hours are not known."""
    minute = moment.hour * 60 + moment.minute
    today = _ranges_for(hours, moment.date(), holidays)
    yesterday = _ranges_for(hours, moment.date() - dt.timedelta(days=1), holidays)
    if today is not None:
        for start, end in today:
            if start <= minute < (end if end > start else FULL_DAY):
                return True
    if yesterday:  # a range that ran past midnight ("20.00-02.00") is still open early today
        for start, end in yesterday:
            if end <= start and minute < end:
                return True
    if today is None:
        return None
    return False


def open_on(hours: Hours, day: str) -> bool | None:
    """Open at some time on that weekday (or "libur")? None when not known."""
    ranges = hours.on(day)
    return None if ranges is None else bool(ranges)


def is_24h(hours: Hours) -> bool | None:
    """Open around the clock on every day, holidays included? None when not known."""
    if not hours.known:
        return None
    return all(hours.on(day) == ((0, FULL_DAY),) for day in (*DAYS, HOLIDAY))


def format_hours(ranges: tuple[tuple[int, int], ...]) -> str:
    """(450, 840) -> '07.30–14.00'; () -> '' (closed)."""
    if ranges == ((0, FULL_DAY),):
        return "24 jam"
    return ", ".join(f"{s // 60:02d}.{s % 60:02d}–{e // 60:02d}.{e % 60:02d}" for s, e in ranges)


def holiday_checker(directory: Directory) -> Callable[[dt.date], bool]:
    days = {day for day, _ in directory.holidays}
    return days.__contains__
