"""Puskesmas look-ups: nearest by distance, by kecamatan/kelurahan, by name; opening hours.

Pure functions over the loaded Directory: no database, no clock (the moment is passed in).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.knowledge.geo import haversine_km
from bot.knowledge.language import WEEKDAYS
from bot.knowledge.puskesmas import DAYS, HOLIDAY, Directory, Hospital, Hours, Kecamatan, Kelurahan, Point, Puskesmas

FULL_DAY = 24 * 60
AREA_SCORE = 85  # rapidfuzz ratio from which a typed name counts as that place ("simpang baru" ~ "simpangbaru")
NAME_SCORE = 85
FAR_MARGIN_KM = 5.0
MAX_WORDS = 40  # a place name sits in the question itself; a pasted essay is not searched word by word  # beyond the farthest facility from the city's centre by this much: "outside the city"

# Words around a place name that are not part of it ("puskesmas di kecamatan Tampan").
FILLER = set(
    [
        "puskesmas",
        "pkm",
        "puskes",
        "faskes",
        "terdekat",
        "dekat",
        "di",
        "ke",
        "dari",
        "daerah",
        "wilayah",
        "kelurahan",
        "kel",
        "desa",
        "kecamatan",
        "kec",
        "kecamatannya",
        "kelurahannya",
        "alamat",
        "alamatnya",
        "lokasi",
        "lokasinya",
        "yang",
        "ada",
        "mana",
        "dimana",
        "saya",
        "tinggal",
        "rumah",
        "apa",
        "apakah",
        "ya",
        "min",
        "kak",
        "dong",
        "tolong",
        "cari",
        "info",
        "nomor",
        "telepon",
        "telp",
        "hp",
        "jam",
        "buka",
        "tutup",
        "hari",
        "ini",
        "sekarang",
        "berapa",
        "kota",
        "pekanbaru",
        "untuk",
        "warga",
        "sekitar",
        "area",
        "buat",
        "mau",
        "tanya",
        "gimana",
        "bagaimana",
        "kalau",
        "kalo",
        "nya",
        "no",
    ]
)
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


def _key(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z']+", text.lower()[:2000])[:MAX_WORDS] if w not in FILLER]


def _windows(words: list[str], longest: int = 4) -> list[str]:
    """Every run of up to `longest` consecutive words, joined without spaces."""
    return ["".join(words[i : i + n]) for n in range(1, longest + 1) for i in range(len(words) - n + 1)]


@dataclass(frozen=True, slots=True)
class _Table:
    """Names to match typed windows against (`_key` form), indexed once per content load.

    `_best` over a table gives the answer the plain loop gave (every window against every name, in
    Python): the fuzzy scores come from one `process.cdist` call (C, rapidfuzz's own length bounds)
    that keeps only the pairs within a point of the threshold, plus the pairs a dict finds at once
    (a name typed exactly, a 6+ letter start of a name); only those few are scored again as the loop
    scored them, in the loop's order, so its tie-breaks hold.
    """

    keys: list[str]
    values: list[object]
    prefixes: dict[str, list[int]]  # a start of 6+ letters (shorter than the name) -> the names it starts

    @classmethod
    def of(cls, names: list[tuple[str, object]]) -> _Table:
        prefixes: dict[str, list[int]] = {}
        for index, (name, _value) in enumerate(names):
            for end in range(6, len(name)):
                prefixes.setdefault(name[:end], []).append(index)
        return cls([n for n, _ in names], [v for _, v in names], prefixes)

    def pairs(self, windows: list[str], threshold: float) -> list[tuple[float, int, int]]:
        """(score, window, name) for every pair that may reach `threshold`, in the plain loop's order."""
        if not windows or not self.keys:
            return []
        close = process.cdist(windows, self.keys, scorer=fuzz.ratio, score_cutoff=threshold - 1)
        found = set(zip(*(axis.tolist() for axis in close.nonzero()), strict=True))
        for w, window in enumerate(windows):
            if len(window) >= 6:
                found.update((w, n) for n in self.prefixes.get(window, ()))
        return [(_score(windows[w], self.keys[n]), w, n) for w, n in sorted(found)]


def _score(window: str, name: str) -> float:
    if window == name:
        return 100.0
    if len(window) >= 6 and name.startswith(window):
        return 90.0  # "marpoyan" for Marpoyan Damai, "tenayan" for Tenayan Raya
    return fuzz.ratio(window, name) - (10 if len(name) <= 5 else 0)  # short names need exactness


def _best(windows: list[str], table: _Table, threshold: float) -> tuple[float, object | None]:
    """The best-matching name's score and value; a longer exact name wins a tie ("rumbai timur" over "rumbai").

    Below the threshold the score is that of the best near pair (0.0 when there is none): callers
    compare it only with scores that reached the threshold.
    """
    best: tuple[float, int, object | None] = (0.0, 0, None)
    for score, _w, n in table.pairs([w for w in windows if len(w) >= 3], threshold):
        name = table.keys[n]
        if (score, len(name)) > best[:2]:
            best = (score, len(name), table.values[n])
    return (best[0], best[2]) if best[0] >= threshold else (best[0], None)


def _windows_for(text: str) -> list[str]:
    """Runs of the words that are not filler, plus runs of all words (for names like "Pekanbaru Kota")."""
    every = re.findall(r"[a-z']+", text.lower()[:2000])[:MAX_WORDS]
    return list(dict.fromkeys(_windows(_words(text)) + [w for w in _windows(every) if len(w) >= 8]))


@dataclass(frozen=True, slots=True)
class _Names:
    """A directory's names as the matcher compares them (`_key`), worked out once per content load."""

    kecamatan: _Table
    kelurahan: _Table
    former: dict[str, list[Kecamatan]]  # a kecamatan's former name -> the kecamatan that carry it now
    former_keys: _Table
    puskesmas: list[Puskesmas]
    puskesmas_keys: _Table  # each puskesmas's names ("A/B", "RI ...") -> its position in `puskesmas`


_NAMES: dict[int, tuple[Directory, _Names]] = {}  # by id(directory); the directory itself kept against reuse


def _names(directory: Directory) -> _Names:
    found = _NAMES.get(id(directory))
    if found is not None and found[0] is directory:
        return found[1]
    former: dict[str, list[Kecamatan]] = {}
    for each in directory.kecamatan:
        for name in each.formerly:
            if _key(name) != _key(each.name):
                former.setdefault(_key(name), []).append(each)
    variants: list[tuple[str, object]] = []
    for position, entry in enumerate(directory.puskesmas):
        keys = {_key(part) for part in re.split(r"/", entry.name)} | {_key(entry.name)}
        keys |= {_key(re.sub(r"^RI\s+", "", entry.name))}
        variants.extend((n, position) for n in sorted(keys) if n)
    names = _Names(
        _Table.of([(_key(k.name), k) for k in directory.kecamatan]),
        _Table.of([(_key(kel.name), kel) for k in directory.kecamatan for kel in k.kelurahan]),
        former,
        _Table.of([(name, name) for name in former]),
        list(directory.puskesmas),
        _Table.of(variants),
    )
    if len(_NAMES) >= 64:  # content versions come and go: keep the recent ones only
        _NAMES.clear()
    _NAMES[id(directory)] = (directory, names)
    return names


def find_area(directory: Directory, text: str) -> Area | None:
    """The kecamatan or kelurahan named in a text, tolerant of typos and spacing; None if none is close."""
    low = text.lower()
    windows = _windows_for(text)
    if not windows:
        return None
    names = _names(directory)
    kec_names, kel_names, old, old_names = names.kecamatan, names.kelurahan, names.former, names.former_keys
    kec_score, kec = _best(windows, kec_names, AREA_SCORE)
    kel_score, kel = _best(windows, kel_names, AREA_SCORE)
    old_score, old_key = _best(windows, old_names, AREA_SCORE)
    says_kec = bool(re.search(r"\bkec(amatan)?\b", low))
    says_kel = bool(re.search(r"\b(kel(urahan)?|desa)\b", low))
    # Prefer what the user called it; then the better match; a kecamatan wins a tie.
    if says_kec and isinstance(kec, Kecamatan) and kec_score >= max(kel_score, old_score) - 5:
        return Area("kecamatan", kec.name, (kec,), score=kec_score)
    if says_kec and isinstance(old_key, str) and old_score >= kec_score:
        formers = old[old_key]
        name = next(n for k in formers for n in k.formerly if _key(n) == old_key)
        return Area("former", name, tuple(formers), score=old_score)
    if isinstance(kel, Kelurahan) and (says_kel or kel_score > kec_score) and kel_score >= old_score:
        parent = directory.kecamatan_by_code(kel.kecamatan)
        return Area("kelurahan", kel.name, (parent,) if parent else (), kel, kel_score)
    if isinstance(kec, Kecamatan):
        return Area("kecamatan", kec.name, (kec,), score=kec_score)
    if isinstance(old_key, str):
        formers = old[old_key]
        name = next(n for k in formers for n in k.formerly if _key(n) == old_key)
        return Area("former", name, tuple(formers), score=old_score)
    return None


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
    keys = {_key(n) for n in formerly}
    before = tuple(p for p in directory.puskesmas if _key(p.kecamatan_bps) in keys)
    return AreaAnswer(area, before or maybe, "formerly", formerly)


def find_by_name(directory: Directory, text: str) -> list[Puskesmas]:
    """Puskesmas whose name the text mentions (typos tolerated), best match first."""
    return match_name(directory, text)[1]


def match_name(directory: Directory, text: str) -> tuple[float, list[Puskesmas]]:
    """The best name score (0-100) and the puskesmas within 5 points of it."""
    windows = [w for w in _windows_for(text) if len(w) >= 3]
    names = _names(directory)
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


# Words every hospital's name shares: what is left names the hospital ("Awal Bros", "Santa Maria", "Syafira").
_HOSPITAL_WORDS = frozenset(
    {"rs", "rsu", "rsud", "rsia", "umum", "rumah", "sakit", "hospital", "pekanbaru", "pekan", "baru", "riau", "ibu",
     "dan", "anak", "prof", "dr", "kota"}
)  # fmt: skip
_HOSPITAL_NAMES: dict[int, tuple[Directory, _Table]] = {}


def find_hospital(directory: Directory, text: str) -> Hospital | None:
    """The hospital a text names by its own words ("igd rs awal bros", "santa maria"), typos tolerated; None if none."""
    found = _HOSPITAL_NAMES.get(id(directory))
    if found is None or found[0] is not directory:
        names: list[tuple[str, object]] = []
        for h in directory.hospitals:
            own = [w for w in re.findall(r"[a-z]+", h.name.lower()) if w not in _HOSPITAL_WORDS]
            if own:
                names.append(("".join(own), h))
        if len(_HOSPITAL_NAMES) >= 64:
            _HOSPITAL_NAMES.clear()
        found = _HOSPITAL_NAMES[id(directory)] = (directory, _Table.of(names))
    words = [w for w in re.findall(r"[a-z]+", text.lower()[:2000])[:MAX_WORDS] if w not in _HOSPITAL_WORDS]
    _score, hospital = _best(_windows(words), found[1], NAME_SCORE)
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
