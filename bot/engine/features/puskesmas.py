"""Nearest puskesmas: from a shared location, a typed kecamatan/kelurahan or a name; hospitals with an IGD.

Flow "puskesmas", step "where": the bot asked for a location; a typed area or name answers it too.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.engine.feature import Feature
from bot.engine.turn import Turn, menu_button, reply
from bot.engine.types import Button, Outcome
from bot.engine.understanding import CONFIDENT
from bot.i18n import format_decimal
from bot.knowledge.puskesmas import DAYS, HOLIDAY, Hospital, Point, Puskesmas
from bot.topics import puskesmas as topic

log = logging.getLogger(__name__)

FLOW = "puskesmas"
NEAREST = 3
AREA_LIST = 6  # an area rarely has more; beyond this the list stops being readable in a chat
MAPS = "https://www.google.com/maps/search/?api=1&query={lat},{lon}"


# --- entry points ---------------------------------------------------------------------------------------------


async def ask_location(turn: Turn) -> Outcome:
    """'puskesmas terdekat': answer from a place in the text or a remembered kelurahan, else ask for a location."""
    return _from_text(turn, "puskesmas", prefer="area") or _ask(turn, "puskesmas", topic.find_filter(turn.text))


async def by_area(turn: Turn) -> Outcome:
    """'puskesmas di kecamatan Tampan'."""
    return _from_text(turn, "puskesmas_area", prefer="area") or _unknown_area(turn, "puskesmas_area")


async def by_name(turn: Turn) -> Outcome:
    """'alamat puskesmas Rejosari'."""
    return _from_text(turn, "puskesmas_cari", prefer="name") or _unknown_area(turn, "puskesmas_cari")


async def hours(turn: Turn) -> Outcome:
    """'puskesmas buka hari sabtu?', 'yang buka 24 jam'."""
    flt = topic.find_filter(turn.text) or topic.Filter("now")
    return _from_text(turn, "puskesmas_jam", prefer="name", flt=flt) or _ask(turn, "puskesmas_jam", flt)


async def hospitals(turn: Turn) -> Outcome:
    """'rumah sakit yang ada IGD': the nearest when we know where the user is, else the city's list."""
    directory = turn.content.puskesmas
    point = _known_point(turn)
    if point is not None and topic.outside_area(directory, point):
        point = None  # IGDs of this city are no help far away: list them, the emergency line says 119
    found: Sequence[tuple[Hospital, float | None]]
    if point is not None:
        found = list(topic.nearest_igd(directory, point, NEAREST))
        head = turn.t("Rumah sakit dengan IGD terdekat dari lokasi Anda:")
    else:
        found = [(h, None) for h in directory.hospitals if h.igd][:8]
        head = turn.t("Rumah sakit dengan IGD di {city}:", city=turn.content.office.city)
    if not found:
        number = turn.content.office.emergency_number
        text = turn.t(
            "Maaf, daftar rumah sakit belum tersedia. Dalam keadaan darurat, telepon {number}.", number=number
        )
        return turn.outcome("rumah_sakit", reply(text), answered=False)
    lines = [head, *(_hospital_line(turn, h, km) for h, km in found)]
    lines.append(
        turn.t("Dalam keadaan darurat, telepon {number} (gratis, 24 jam).", number=turn.content.office.emergency_number)
    )
    return turn.outcome("rumah_sakit", reply("\n\n".join(lines), [menu_button(turn)]))


async def on_flow(turn: Turn) -> Outcome | None:
    """The bot asked where the user is: a typed area or puskesmas name answers that question."""
    intent = turn.state.data.get("intent", "puskesmas")
    flt = _filter_from(turn.state.data.get("filter")) or topic.find_filter(turn.text)
    answer = _from_text(turn, intent, prefer="area", flt=flt, use_profile=False)
    if answer is not None:
        return answer
    matches = turn.understanding.match(turn.text, turn.lang)
    if matches and matches[0].score >= CONFIDENT and not matches[0].intent_id.startswith("puskesmas"):
        turn.state.leave()
        return None  # another question: let the dialogue answer it
    return _unknown_area(turn, intent)


async def on_location(turn: Turn) -> Outcome:
    """A shared location: the three nearest puskesmas, honest about distance and what we do not know."""
    location = turn.inbound.location
    flt = _filter_from(turn.state.data.get("filter")) if turn.state.flow == FLOW else None
    turn.state.leave()
    if location is None or not (-90 <= location.lat <= 90 and -180 <= location.lon <= 180):  # also rejects NaN
        text = turn.t("Maaf, lokasi itu tidak bisa saya baca. Coba kirim ulang, atau ketik nama kelurahan Anda.")
        return turn.outcome("puskesmas", reply(text, [menu_button(turn)]), answered=False)
    point = Point(location.lat, location.lon)
    # Rounded to about 1 km: enough to point to the nearest IGD later, not a home address.
    turn.state.profile["last_location"] = [round(point.lat, 2), round(point.lon, 2)]
    return _nearest_answer(turn, "puskesmas", point, flt)


def emergency_lines(turn: Turn) -> list[str]:
    """The nearest IGDs for the emergency answer; never raises (the emergency reply must go out)."""
    try:
        directory = turn.content.puskesmas
        point = _known_point(turn)
        found: Sequence[tuple[Hospital, float | None]]
        if point is not None and not topic.outside_area(directory, point):
            found = list(topic.nearest_igd(directory, point, 2))
            head = turn.t("IGD terdekat:")
        else:
            found = [(h, None) for h in directory.hospitals if h.igd and h.kind == "umum"][:3]
            head = turn.t("IGD rumah sakit di {city}:", city=turn.content.office.city)
        if not found:
            return []
        return [head + "\n" + "\n".join(_hospital_short(turn, h, km) for h, km in found)]
    except Exception:
        log.exception("emergency lines failed")
        return []


# --- answers --------------------------------------------------------------------------------------------------


def _from_text(
    turn: Turn, intent: str, prefer: str, flt: topic.Filter | None = None, use_profile: bool = True
) -> Outcome | None:
    """An answer from a puskesmas name or an area in the text (or the remembered kelurahan); None if neither."""
    directory = turn.content.puskesmas
    flt = flt or topic.find_filter(turn.text)
    name_score, names = topic.match_name(directory, turn.text)
    area = topic.find_area(directory, turn.text)
    # The closer match wins ("puskesmas sidomulyo" is a name, not Sidomulyo Barat); a tie goes to `prefer`.
    if names and (area is None or name_score > area.score or (name_score == area.score and prefer == "name")):
        return _named_answer(turn, intent, names, flt)
    if area is not None:
        return _area_answer(turn, intent, area, flt)
    if use_profile:
        remembered = _remembered_area(turn)
        if remembered is not None:
            return _area_answer(turn, intent, remembered, flt, remembered=True)
    return None


def _ask(turn: Turn, intent: str, flt: topic.Filter | None) -> Outcome:
    turn.state.enter(FLOW, "where", intent=intent, filter=_filter_key(flt))
    text = turn.t(
        "Untuk mencari puskesmas terdekat, silakan kirim lokasi Anda dengan tombol di bawah.\n"
        "Atau ketik nama kelurahan atau kecamatan Anda, misalnya: Simpang Baru, atau Kecamatan Tampan."
    )
    return turn.outcome(intent, reply(text, [menu_button(turn)], location_request=True), answered=True)


def _unknown_area(turn: Turn, intent: str) -> Outcome:
    directory = turn.content.puskesmas
    names = ", ".join(k.name for k in directory.kecamatan)
    turn.state.enter(FLOW, "where", intent=intent, filter=None)
    text = turn.t(
        "Maaf, saya belum menemukan wilayah atau puskesmas itu di {city}.\n"
        "Coba ketik nama kelurahan atau kecamatan Anda. Kecamatan di {city}: {names}.\n"
        "Anda juga bisa mengirim lokasi dengan tombol di bawah.",
        city=turn.content.office.city,
        names=names,
    )
    return turn.outcome(intent, reply(text, [menu_button(turn)], location_request=True), answered=False)


def _nearest_answer(turn: Turn, intent: str, point: Point, flt: topic.Filter | None) -> Outcome:
    directory = turn.content.puskesmas
    lines = []
    if topic.outside_area(directory, point):
        lines.append(
            turn.t(
                "Lokasi Anda tampaknya di luar {city}. Data kami hanya memuat puskesmas di {city}; "
                "berikut yang paling dekat dari lokasi Anda. Untuk puskesmas di daerah Anda, hubungi Dinas Kesehatan setempat.",
                city=turn.content.office.city,
            )
        )
    found: list[tuple[Puskesmas, float]] = []
    if flt is not None:
        holidays = topic.holiday_checker(directory)
        found = topic.nearest_puskesmas(directory, point, NEAREST, lambda p: flt.matches(p, turn.now, holidays) is True)
        if not found:
            lines.append(_no_filter_data(turn, flt))
    if not found:
        found = topic.nearest_puskesmas(directory, point, NEAREST)
    if not found:
        text = turn.t("Maaf, lokasi puskesmas belum tersedia di data kami. Silakan ketik nama kelurahan Anda.")
        return turn.outcome(intent, reply(text), answered=False)
    lines.append(turn.t("Puskesmas terdekat dari lokasi Anda:"))
    lines.extend(_describe(turn, p, i, km) for i, (p, km) in enumerate(found, 1))
    return turn.outcome(intent, reply("\n\n".join([*lines, _footer(turn)]), _buttons(turn)))


def _area_answer(
    turn: Turn, intent: str, area: topic.Area, flt: topic.Filter | None, remembered: bool = False
) -> Outcome:
    directory = turn.content.puskesmas
    turn.state.leave()
    _remember(turn, area)
    answer = topic.puskesmas_for_area(directory, area)
    lines = []
    place = _area_label(turn, area)
    if remembered:
        lines.append(turn.t("Berdasarkan wilayah yang Anda sebutkan sebelumnya ({place}):", place=place))
    if area.kind == "former":
        lines.append(
            turn.t(
                "Kecamatan {old} kini dimekarkan menjadi Kecamatan {new}.",
                old=area.name,
                new=", ".join(k.name for k in area.kecamatan),
            )
        )
    entries = list(answer.puskesmas)
    if flt is not None:
        holidays = topic.holiday_checker(directory)
        matching = [p for p in entries if flt.matches(p, turn.now, holidays) is True]
        if matching:
            entries = matching
        else:
            lines.append(_no_filter_data(turn, flt))
    if not entries:
        lines.append(turn.t("Maaf, puskesmas untuk {place} belum tercatat di data kami.", place=place))
        lines.append(turn.t("Kirim lokasi Anda dengan tombol di bawah, saya carikan yang terdekat."))
        return turn.outcome(intent, reply("\n\n".join(lines), [menu_button(turn)], location_request=True))
    if answer.basis == "formerly":
        lines.append(
            turn.t(
                "Belum ada puskesmas yang tercatat di {place} dalam data kami (data 2019). "
                "Wilayah ini dulu bagian dari Kecamatan {old}; puskesmas di sana:",
                place=place,
                old=", ".join(answer.formerly),
            )
        )
    elif answer.basis == "kelurahan":
        lines.append(turn.t("Puskesmas yang melayani {place}:", place=place))
    else:
        lines.append(turn.t("Puskesmas di {place}:", place=place))
    lines.extend(_describe(turn, p, i) for i, p in enumerate(entries[:AREA_LIST], 1))
    return turn.outcome(intent, reply("\n\n".join([*lines, _footer(turn)]), _buttons(turn), location_request=True))


def _named_answer(turn: Turn, intent: str, names: list[Puskesmas], flt: topic.Filter | None) -> Outcome:
    turn.state.leave()
    lines = []
    for i, p in enumerate(names[:AREA_LIST], 1):
        text = _describe(turn, p, i if len(names) > 1 else None)
        if p.hours.known:
            text += "\n" + _week(turn, p)
        lines.append(text)
    if flt is not None and flt.kind == "day":
        lines.extend(_day_line(turn, p, flt.day) for p in names[:AREA_LIST])
    return turn.outcome(intent, reply("\n\n".join([*lines, _footer(turn)]), _buttons(turn)))


# --- pieces ---------------------------------------------------------------------------------------------------


def _describe(turn: Turn, p: Puskesmas, number: int | None = None, km: float | None = None) -> str:
    directory = turn.content.puskesmas
    title = turn.t("Puskesmas {name}", name=p.name)
    if number is not None:
        title = f"{number}. {title}"
    if km is not None:
        title += " — " + turn.t("{km} km", km=format_decimal(km, turn.lang, 1))
    lines = [title]
    where = p.address or turn.t("alamat belum tersedia")
    kecamatan = directory.kecamatan_by_code(p.kecamatan)
    if kecamatan is not None:
        where += ", " + turn.t("Kec. {name}", name=kecamatan.name)
    lines.append("📍 " + where)
    status = topic.open_now(p.hours, turn.now, topic.holiday_checker(directory))
    today = HOLIDAY if directory.holiday(turn.today) else DAYS[turn.today.weekday()]
    ranges = p.hours.on(today)
    if status is None or ranges is None:
        lines.append("🕒 " + turn.t("Jam buka: belum tersedia"))
    else:
        hours_text = topic.format_hours(ranges) or turn.t("tutup")
        state = turn.t("buka sekarang") if status else turn.t("tutup sekarang")
        lines.append("🕒 " + turn.t("Hari ini {hours} ({state})", hours=hours_text, state=state))
    lines.append("📞 " + (p.phone or turn.t("Telepon: belum tersedia")))
    if p.point is not None:
        lines.append("🗺️ " + MAPS.format(lat=p.point.lat, lon=p.point.lon))
    else:
        lines.append("🗺️ " + turn.t("Lokasi di peta belum tersedia"))
    return "\n".join(lines)


def _week(turn: Turn, p: Puskesmas) -> str:
    """'Jam buka: hari Senin 07.30–14.00; ... hari Minggu tutup' for the days the office filled in."""
    parts = []
    for day in (*DAYS, HOLIDAY):
        ranges = p.hours.on(day)
        if ranges is not None:
            parts.append(f"{_day_label(turn, day)} {topic.format_hours(ranges) or turn.t('tutup')}")
    return turn.t("Jam buka: {days}", days="; ".join(parts))


def _day_line(turn: Turn, p: Puskesmas, day: str) -> str:
    ranges = p.hours.on(day)
    label = _day_label(turn, day)
    if ranges is None:
        return turn.t("Jam buka Puskesmas {name} pada {day} belum tersedia.", name=p.name, day=label)
    if not ranges:
        return turn.t("Puskesmas {name} tutup pada {day}.", name=p.name, day=label)
    return turn.t(
        "Puskesmas {name} buka pada {day}: {hours}.", name=p.name, day=label, hours=topic.format_hours(ranges)
    )


def _no_filter_data(turn: Turn, flt: topic.Filter) -> str:
    if flt.kind == "24h":
        return turn.t(
            "Saya belum menemukan puskesmas yang tercatat buka 24 jam di sini; jam buka banyak puskesmas belum tersedia di data kami."
        )
    if flt.kind == "day":
        return turn.t(
            "Saya belum bisa memastikan puskesmas yang buka pada {day}: jam bukanya belum tersedia di data kami. "
            "Sebaiknya hubungi puskesmas dulu sebelum datang.",
            day=_day_label(turn, flt.day),
        )
    return turn.t(
        "Saya belum bisa memastikan puskesmas mana yang buka sekarang: jam bukanya belum tersedia di data kami. "
        "Sebaiknya hubungi puskesmas dulu sebelum datang."
    )


def _day_label(turn: Turn, day: str) -> str:
    labels = {
        "senin": turn.t("hari Senin"),
        "selasa": turn.t("hari Selasa"),
        "rabu": turn.t("hari Rabu"),
        "kamis": turn.t("hari Kamis"),
        "jumat": turn.t("hari Jumat"),
        "sabtu": turn.t("hari Sabtu"),
        "minggu": turn.t("hari Minggu"),
        HOLIDAY: turn.t("hari libur nasional"),
    }
    return labels.get(day, day)


def _hospital_line(turn: Turn, h: Hospital, km: float | None) -> str:
    lines = [_hospital_short(turn, h, km)]
    lines.append("📍 " + (h.address or turn.t("alamat belum tersedia")))
    lines.append("📞 " + (h.phone or turn.t("Telepon: belum tersedia")))
    if h.point is not None:
        lines.append("🗺️ " + MAPS.format(lat=h.point.lat, lon=h.point.lon))
    return "\n".join(lines)


def _hospital_short(turn: Turn, h: Hospital, km: float | None) -> str:
    text = "🏥 " + h.name
    if km is not None:
        text += " — " + turn.t("{km} km", km=format_decimal(km, turn.lang, 1))
    if h.phone:
        text += f" ({h.phone})"
    return text


def _footer(turn: Turn) -> str:
    return turn.t("Data puskesmas dari Kemenkes (2019), sedang diperbarui Dinas Kesehatan. Jarak dihitung garis lurus.")


def _buttons(turn: Turn) -> list[Button]:
    return [Button("intent:rumah_sakit", turn.t("Rumah sakit (IGD)")), menu_button(turn)]


def _area_label(turn: Turn, area: topic.Area) -> str:
    if area.kind == "kelurahan":
        return turn.t("Kelurahan {name}", name=area.name)
    if area.kind == "former":
        return turn.t("wilayah Kecamatan {name} (lama)", name=area.name)
    return turn.t("Kecamatan {name}", name=area.name)


def _remember(turn: Turn, area: topic.Area) -> None:
    """Keep the user's kelurahan/kecamatan: the query log and reminders use it."""
    profile = turn.state.profile
    if area.kind == "kelurahan" and area.kelurahan is not None:
        profile["kelurahan_code"] = area.kelurahan.code
        profile["kecamatan_code"] = area.kelurahan.kecamatan
    elif area.kind == "kecamatan":
        if profile.get("kecamatan_code") != area.kecamatan[0].code:
            profile.pop("kelurahan_code", None)
        profile["kecamatan_code"] = area.kecamatan[0].code


def _remembered_area(turn: Turn) -> topic.Area | None:
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


def _known_point(turn: Turn) -> Point | None:
    """Where the user is, as far as we know: the last shared location, else their kelurahan's puskesmas."""
    last = turn.state.profile.get("last_location")
    if isinstance(last, list) and len(last) == 2 and all(isinstance(v, int | float) for v in last):
        return Point(float(last[0]), float(last[1]))
    area = _remembered_area(turn)
    return topic.area_point(turn.content.puskesmas, area) if area is not None else None


def _filter_key(flt: topic.Filter | None) -> str | None:
    return None if flt is None else f"{flt.kind}:{flt.day}"


def _filter_from(raw: object) -> topic.Filter | None:
    if not isinstance(raw, str) or ":" not in raw:
        return None
    kind, day = raw.split(":", 1)
    if kind not in {"now", "day", "24h"} or (kind == "day" and day not in (*DAYS, HOLIDAY)):
        return None
    return topic.Filter(kind, day)


FEATURE = Feature(
    name="puskesmas",
    handlers={
        "puskesmas.ask_location": ask_location,
        "puskesmas.area": by_area,
        "puskesmas.find": by_name,
        "puskesmas.hours": hours,
        "puskesmas.hospitals": hospitals,
    },
    flow=FLOW,
    on_flow=on_flow,
    on_location=on_location,
    commands={"/puskesmas": ask_location, "/rumahsakit": hospitals},
    emergency_lines=emergency_lines,
    requires_intents=("rumah_sakit",),
)
