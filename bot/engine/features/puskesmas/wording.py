"""Puskesmas wording: one puskesmas or hospital as a few lines for a phone screen, opening days, the footer."""

from __future__ import annotations

from collections.abc import Iterable

from bot.engine.turn import Turn, menu_button
from bot.engine.types import Button
from bot.i18n import format_decimal
from bot.knowledge.content import Content
from bot.knowledge.puskesmas import DAYS, HOLIDAY, Hospital, Puskesmas
from bot.topics import puskesmas as topic

MAPS = "https://www.google.com/maps/search/?api=1&query={lat},{lon}"


def describe(
    turn: Turn, p: Puskesmas, number: int | None = None, km: float | None = None, office: Content | None = None
) -> str:
    """A few lines for one puskesmas of `office` (default: the resident's), which is named when another."""
    office = office or turn.content
    directory = office.puskesmas
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
    if office.office.region_code != turn.content.office.region_code:  # a neighbour's, near a border
        lines.append("🏛️ " + turn.t("Puskesmas milik {office}", office=office.office.name))
    status = topic.open_now(p.hours, turn.now, topic.holiday_checker(directory))
    today = HOLIDAY if directory.holiday(turn.today) else DAYS[turn.today.weekday()]
    ranges = p.hours.on(today)
    notes = directory.hours_notes_for(p, turn.today)
    if (status is None or ranges is None) and notes:
        lines.extend("🕒 " + note.text.get(turn.lang) for note in notes)  # what a source said, as it said it
    elif status is None or ranges is None:
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


def week(turn: Turn, p: Puskesmas) -> str:
    """'Jam buka: hari Senin 07.30–14.00; ... hari Minggu tutup' for the days the office filled in."""
    parts = []
    for day in (*DAYS, HOLIDAY):
        ranges = p.hours.on(day)
        if ranges is not None:
            parts.append(f"{day_label(turn, day)} {topic.format_hours(ranges) or turn.t('tutup')}")
    return turn.t("Jam buka: {days}", days="; ".join(parts))


def day_line(turn: Turn, p: Puskesmas, day: str) -> str:
    ranges = p.hours.on(day)
    label = day_label(turn, day)
    if ranges is None:
        return turn.t("Jam buka Puskesmas {name} pada {day} belum tersedia.", name=p.name, day=label)
    if not ranges:
        return turn.t("Puskesmas {name} tutup pada {day}.", name=p.name, day=label)
    return turn.t(
        "Puskesmas {name} buka pada {day}: {hours}.", name=p.name, day=label, hours=topic.format_hours(ranges)
    )


def no_filter_data(turn: Turn, flt: topic.Filter) -> str:
    if flt.kind == "24h":
        return turn.t(
            "Saya belum menemukan puskesmas yang tercatat buka 24 jam di sini; jam buka banyak puskesmas belum tersedia di data kami."
        )
    if flt.kind == "day":
        return turn.t(
            "Saya belum bisa memastikan puskesmas yang buka pada {day}: jam bukanya belum tersedia di data kami. "
            "Sebaiknya hubungi puskesmas dulu sebelum datang.",
            day=day_label(turn, flt.day),
        )
    return turn.t(
        "Saya belum bisa memastikan puskesmas mana yang buka sekarang: jam bukanya belum tersedia di data kami. "
        "Sebaiknya hubungi puskesmas dulu sebelum datang."
    )


def day_label(turn: Turn, day: str) -> str:
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


def hospital_line(turn: Turn, h: Hospital, km: float | None) -> str:
    lines = [hospital_short(turn, h, km)]
    lines.append("📍 " + (h.address or turn.t("alamat belum tersedia")))
    lines.append("📞 " + (h.phone or turn.t("Telepon: belum tersedia")))
    if h.point is not None:
        lines.append("🗺️ " + MAPS.format(lat=h.point.lat, lon=h.point.lon))
    return "\n".join(lines)


def hospital_short(turn: Turn, h: Hospital, km: float | None) -> str:
    text = "🏥 " + h.name
    if km is not None:
        text += " — " + turn.t("{km} km", km=format_decimal(km, turn.lang, 1))
    if h.phone:
        text += f" ({h.phone})"
    return text


def footer(turn: Turn, shown: Iterable[tuple[Puskesmas, Content]] = ()) -> str:
    """Where the data comes from; the source of any hours note shown, once each."""
    text = turn.t("Data puskesmas dari Kemenkes (2019), sedang diperbarui Dinas Kesehatan. Jarak dihitung garis lurus.")
    notes = dict.fromkeys(
        n for p, office in shown if not p.hours.known for n in office.puskesmas.hours_notes_for(p, turn.today)
    )
    for note in notes:
        text += "\n" + turn.t("Sumber jam layanan: {source}.", source=note.source.rstrip("."))
    return text


def outside(turn: Turn) -> str:
    """The point lies beyond every office this bot serves."""
    deployment = turn.offices
    if not deployment.multi:
        return turn.t(
            "Lokasi Anda tampaknya di luar {city}. Data kami hanya memuat puskesmas di {city}; "
            "berikut yang paling dekat dari lokasi Anda. Untuk puskesmas di daerah Anda, hubungi Dinas Kesehatan setempat.",
            city=turn.content.office.city,
        )
    return turn.t(
        "Lokasi Anda tampaknya di luar wilayah yang dilayani di sini ({cities}); berikut puskesmas yang paling dekat. "
        "Untuk puskesmas di daerah Anda, hubungi Dinas Kesehatan setempat.",
        cities=", ".join(c.office.city for c in deployment.contents),
    )


def buttons(turn: Turn) -> list[Button]:
    return [Button("intent:rumah_sakit", turn.t("Rumah sakit (IGD)")), menu_button(turn)]


def area_label(turn: Turn, area: topic.Area) -> str:
    if area.kind == "kelurahan" and area.code.rsplit(".", 1)[-1].startswith("2"):  # Kemendagri: 2xxx is a desa
        return turn.t("Desa {name}", name=area.name)
    if area.kind == "kelurahan":
        return turn.t("Kelurahan {name}", name=area.name)
    if area.kind == "former":
        return turn.t("wilayah Kecamatan {name} (lama)", name=area.name)
    return turn.t("Kecamatan {name}", name=area.name)
