"""Puskesmas questions: one handler per content intent, the "where are you?" step, a shared location,
and the nearest IGDs for the emergency answer.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.engine import elsewhere
from bot.engine.features.puskesmas import answers, memory, wording
from bot.engine.features.puskesmas.answers import FLOW, NEAREST
from bot.engine.place_followup import HERE
from bot.engine.turn import Turn, menu_button, reply
from bot.engine.types import Outcome
from bot.engine.understanding import CONFIDENT, UNSURE
from bot.knowledge.puskesmas import Hospital, Point
from bot.topics import offices
from bot.topics import puskesmas as topic

log = logging.getLogger(__name__)

ASKS_WHERE = frozenset({"puskesmas.ask_location", "puskesmas.hours"})  # handlers that ask where the resident is


async def ask_location(turn: Turn) -> Outcome:
    """'puskesmas terdekat': answer from a place in the text or a remembered kelurahan, else ask for a location."""
    flt = topic.find_filter(turn.text)
    return (
        elsewhere.declined(turn)  # "puskesmas di bangkinang": not the office's, nor a remembered kelurahan's
        or answers.from_text(turn, "puskesmas", prefer="area")
        or _near_here(turn, "puskesmas", flt)
        or answers.ask(turn, "puskesmas", flt)
    )


def _near_here(turn: Turn, intent: str, flt: topic.Filter | None) -> Outcome | None:
    """ "ada puskesmas yg buka skrg dekat sini?" right after sharing a location: the nearest to it, not a request
    for the location just sent. None when the message says no "here" or no location was shared."""
    point = memory.shared_point(turn)
    if point is None or HERE.search(turn.norm) is None:
        return None
    return answers.nearest_answer(turn, intent, point, flt)


async def by_area(turn: Turn) -> Outcome:
    """'puskesmas di kecamatan Tampan'."""
    return answers.from_text(turn, "puskesmas_area", prefer="area") or answers.unknown_area(turn, "puskesmas_area")


async def by_name(turn: Turn) -> Outcome:
    """'alamat puskesmas Rejosari'."""
    return answers.from_text(turn, "puskesmas_cari", prefer="name") or answers.unknown_area(turn, "puskesmas_cari")


async def hours(turn: Turn) -> Outcome:
    """'puskesmas buka hari sabtu?', 'yang buka 24 jam'."""
    flt = topic.find_filter(turn.text) or topic.Filter("now")
    return (
        elsewhere.declined(turn)
        or answers.from_text(turn, "puskesmas_jam", prefer="name", flt=flt)
        or _near_here(turn, "puskesmas_jam", flt)
        or answers.ask(turn, "puskesmas_jam", flt)
    )


async def hospitals(turn: Turn) -> Outcome:
    """'rumah sakit yang ada IGD': the nearest when we know where the user is, else the city's list."""
    directory = turn.content.puskesmas
    named = topic.find_hospital(directory, turn.text)
    away = elsewhere.declined(turn) if named is None else None
    if away is not None:  # "rs di batam yang ada igd": the office's hospitals are no answer
        return away
    point = memory.known_point(turn)
    if point is not None and offices.outside_all(turn.offices, point):
        point = None  # IGDs of this city are no help far away: list them, the emergency line says 119
    found: Sequence[tuple[Hospital, float | None]]
    if point is not None:
        found = [(h, km) for _office, h, km in offices.nearest_igd(turn.offices, point, NEAREST)]
        head = turn.t("Rumah sakit dengan IGD terdekat dari lokasi Anda:")
    else:
        found = [(h, None) for h in directory.hospitals if h.igd][:8]
        head = turn.t("Rumah sakit dengan IGD di {city}:", city=turn.content.office.city)
    if named is not None:  # "IGD RS Awal Bros di mana?": the hospital asked about first, then the others
        found = [
            (named, next((km for h, km in found if h is named), None)),
            *((h, km) for h, km in found if h is not named),
        ]
    if not found:
        number = turn.content.office.emergency_number
        text = turn.t(
            "Maaf, daftar rumah sakit belum tersedia. Dalam keadaan darurat, telepon {number}.", number=number
        )
        return turn.outcome("rumah_sakit", reply(text), answered=False)
    lines = [head, *(wording.hospital_line(turn, h, km) for h, km in found)]
    lines.append(
        turn.t("Dalam keadaan darurat, telepon {number} (gratis, 24 jam).", number=turn.content.office.emergency_number)
    )
    return turn.outcome("rumah_sakit", reply("\n\n".join(lines), [menu_button(turn)]))


async def on_flow(turn: Turn) -> Outcome | None:
    """The bot asked where the user is: a typed area or puskesmas name answers that question."""
    intent = turn.state.data.get("intent", "puskesmas")
    flt = memory.filter_from(turn.state.data.get("filter")) or topic.find_filter(turn.text)
    answer = answers.from_text(turn, intent, prefer="area", flt=flt, use_profile=False)
    if answer is not None:
        return answer
    matches = turn.understanding.match(turn.text, turn.lang)
    top = matches[0] if matches else None
    asked = turn.content.intents.get(top.intent_id) if top is not None and top.score >= UNSURE else None
    if asked is not None and asked.handler in ASKS_WHERE:  # "nearest health center" again: a question, no place
        return answers.ask(turn, asked.id, topic.find_filter(turn.text) or flt)
    if top is not None and top.score >= CONFIDENT and top.intent_id not in {intent, "puskesmas"}:
        turn.state.leave()
        return None  # another question ("jam bukanya?" when asked where): let the dialogue answer it
    return answers.unknown_area(turn, intent)


async def on_location(turn: Turn) -> Outcome:
    """A shared location: the three nearest puskesmas, honest about distance and what we do not know."""
    location = turn.inbound.location
    flt = memory.filter_from(turn.state.data.get("filter")) if turn.state.flow == FLOW else None
    turn.state.leave()
    if location is None or not (-90 <= location.lat <= 90 and -180 <= location.lon <= 180):  # also rejects NaN
        text = turn.t("Maaf, lokasi itu tidak bisa saya baca. Coba kirim ulang, atau ketik nama kelurahan Anda.")
        return turn.outcome("puskesmas", reply(text, [menu_button(turn)]), answered=False)
    point = Point(location.lat, location.lon)
    # Rounded to about 1 km: enough to point to the nearest IGD later, not a home address.
    turn.state.profile["last_location"] = [round(point.lat, 2), round(point.lon, 2)]
    return answers.nearest_answer(turn, "puskesmas", point, flt)


def emergency_lines(turn: Turn) -> list[str]:
    """The nearest IGDs for the emergency answer; never raises (the emergency reply must go out)."""
    try:
        directory = turn.content.puskesmas
        point = memory.known_point(turn)
        found: Sequence[tuple[Hospital, float | None]]
        if point is not None and not offices.outside_all(turn.offices, point):
            found = [(h, km) for _office, h, km in offices.nearest_igd(turn.offices, point, 2)]
            head = turn.t("IGD terdekat:")
        else:
            found = [(h, None) for h in directory.hospitals if h.igd and h.kind == "umum"][:3]
            head = turn.t("IGD rumah sakit di {city}:", city=turn.content.office.city)
        if not found:
            return []
        return [head + "\n" + "\n".join(wording.hospital_short(turn, h, km) for h, km in found)]
    except Exception:
        log.exception("emergency lines failed")
        return []
