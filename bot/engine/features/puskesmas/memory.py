"""What we keep between turns about where the user is: their kecamatan/kelurahan, the last shared
location (rounded to about 1 km), and the opening-hours filter while we wait for a location.
"""

from __future__ import annotations

from bot.engine.turn import Turn
from bot.knowledge.puskesmas import DAYS, HOLIDAY, Point
from bot.topics import puskesmas as topic


def remember(turn: Turn, area: topic.Area) -> None:
    """Keep the user's kelurahan/kecamatan: the query log and reminders use it."""
    profile = turn.state.profile
    if area.kind == "kelurahan" and area.kelurahan is not None:
        profile["kelurahan_code"] = area.kelurahan.code
        profile["kecamatan_code"] = area.kelurahan.kecamatan
    elif area.kind == "kecamatan":
        if profile.get("kecamatan_code") != area.kecamatan[0].code:
            profile.pop("kelurahan_code", None)
        profile["kecamatan_code"] = area.kecamatan[0].code


def remembered_area(turn: Turn) -> topic.Area | None:
    directory = turn.content.puskesmas
    code = turn.state.profile.get("kelurahan_code")
    kelurahan = directory.kelurahan_by_code(code) if isinstance(code, str) else None
    if kelurahan is not None:
        parent = directory.kecamatan_by_code(kelurahan.kecamatan)
        return topic.Area("kelurahan", kelurahan.name, (parent,) if parent else (), kelurahan)
    code = turn.state.profile.get("kecamatan_code")
    kecamatan = directory.kecamatan_by_code(code) if isinstance(code, str) else None
    if kecamatan is not None:
        return topic.Area("kecamatan", kecamatan.name, (kecamatan,))
    return None


def shared_point(turn: Turn) -> Point | None:
    """The last location the user shared (rounded to about 1 km), if any."""
    last = turn.state.profile.get("last_location")
    if isinstance(last, list) and len(last) == 2 and all(isinstance(v, int | float) for v in last):
        return Point(float(last[0]), float(last[1]))
    return None


def known_point(turn: Turn) -> Point | None:
    """Where the user is, as far as we know: the last shared location, else their kelurahan's puskesmas."""
    shared = shared_point(turn)
    if shared is not None:
        return shared
    area = remembered_area(turn)
    return topic.area_point(turn.content.puskesmas, area) if area is not None else None


def filter_key(flt: topic.Filter | None) -> str | None:
    return None if flt is None else f"{flt.kind}:{flt.day}"


def filter_from(raw: object) -> topic.Filter | None:
    if not isinstance(raw, str) or ":" not in raw:
        return None
    kind, day = raw.split(":", 1)
    if kind not in {"now", "day", "24h"} or (kind == "day" and day not in (*DAYS, HOLIDAY)):
        return None
    return topic.Filter(kind, day)
