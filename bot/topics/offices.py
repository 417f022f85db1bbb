"""Several offices in one deployment: which office a point or a typed place belongs to, and the
nearest puskesmas or IGD whichever office runs it. Pure functions over `Offices`.

No region borders are shipped, so a point belongs to the office of its nearest puskesmas (with
coordinates), unless it lies well outside that office's area. A typed place belongs to the office
whose kelurahan, kecamatan or own name it spells exactly; a name that two offices share decides
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.knowledge.content import Content
from bot.knowledge.geo import Point
from bot.knowledge.offices import Offices, Place, place_key
from bot.knowledge.puskesmas import Hospital, Puskesmas
from bot.topics import name_index
from bot.topics import puskesmas as topic

# Words that say the next words name a place ("kelurahan Tarai Bangun", "desa Kualu", "kec. Siak Hulu").
PLACE_WORDS = re.compile(r"\b(kelurahan|kel|desa|kecamatan|kec|kabupaten|kab|kota|warga|tinggal)\b")
_NOT_NAMES = name_index.FILLER - {"kota", "pekanbaru"}  # an office's own name is a place here
MAX_WORDS = 40


def locate(offices: Offices, point: Point) -> Content | None:
    """The office whose nearest puskesmas is nearest to `point`; None when far from every office."""
    found = offices.puskesmas_index.nearest(point.lat, point.lon, 1)
    if not found:
        return None
    (content, _entry), _km = found[0]
    return None if topic.outside_area(content.puskesmas, point) else content


def named(offices: Offices, text: str, anywhere: bool = False) -> list[Place]:
    """The places a text names exactly, longest name first.

    A name of two words or more counts anywhere in the text; one word ("Kualu", "Tanjung", also a
    common word) only after a place word ("desa Kualu") or when `anywhere` (the bot asked where).
    """
    every = re.findall(r"[a-z]+", text.lower()[:2000])[:MAX_WORDS]
    words = [w for w in every if w not in _NOT_NAMES]
    single = anywhere or PLACE_WORDS.search(text.lower()) is not None
    best: list[Place] = []
    best_len = 0
    for size in range(4, 0, -1):
        if size == 1 and not single:
            break
        for i in range(len(words) - size + 1):
            window = "".join(words[i : i + size])
            places = offices.places.get(place_key(window), ())
            if places and len(window) >= 4 and len(window) > best_len:
                best, best_len = list(places), len(window)
            elif places and len(window) == best_len:
                best.extend(p for p in places if p not in best)
    return best


def office_named(offices: Offices, text: str, current: str, anywhere: bool = False) -> Content | None:
    """The one office a text's place names point to; None when none, or several and not `current`."""
    found = {p.office for p in named(offices, text, anywhere)}
    if not found or current in found:
        return None
    return offices.get(found.pop()) if len(found) == 1 else None


def nearest_puskesmas(
    offices: Offices, point: Point, k: int = 3, accept: Callable[[Puskesmas], bool] | None = None
) -> list[tuple[Content, Puskesmas, float]]:
    """The k nearest puskesmas of every office, with the office that runs each."""
    if not offices.multi:  # one office: its own index, built with its content
        own = offices.default
        return [(own, p, km) for p, km in topic.nearest_puskesmas(own.puskesmas, point, k, accept)]
    check = None if accept is None else (lambda item: accept(item[1]))
    return [(c, p, km) for (c, p), km in offices.puskesmas_index.nearest(point.lat, point.lon, k, check)]


def nearest_igd(offices: Offices, point: Point, k: int = 3) -> list[tuple[Content, Hospital, float]]:
    """The k nearest hospitals with an IGD of every office; general hospitals first, as for one office."""
    if not offices.multi:
        own = offices.default
        return [(own, h, km) for h, km in topic.nearest_igd(own.puskesmas, point, k)]
    index = offices.igd_index
    found = index.nearest(point.lat, point.lon, k, lambda item: item[1].kind == "umum") or index.nearest(
        point.lat, point.lon, k
    )
    return [(c, h, km) for (c, h), km in found]


def outside_all(offices: Offices, point: Point) -> bool:
    """True when the point lies well beyond every office's facilities."""
    return all(topic.outside_area(c.puskesmas, point) for c in offices.contents)
