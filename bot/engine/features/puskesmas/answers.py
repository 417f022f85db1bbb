"""Puskesmas answers: the nearest to a point, those serving an area, those matching a name; or a question back."""

from __future__ import annotations

from bot.engine import context
from bot.engine.features.puskesmas import memory, wording
from bot.engine.turn import Turn, menu_button, reply
from bot.engine.types import Outcome
from bot.knowledge.content import Content
from bot.knowledge.puskesmas import Point, Puskesmas
from bot.topics import offices
from bot.topics import puskesmas as topic

FLOW = "puskesmas"  # one step, "where": the bot asked where the user is
NEAREST = 3
AREA_LIST = 6  # an area rarely has more; beyond this the list stops being readable in a chat


def from_text(
    turn: Turn, intent: str, prefer: str, flt: topic.Filter | None = None, use_profile: bool = True
) -> Outcome | None:
    """An answer from a puskesmas name or an area in the text (or the remembered kelurahan); None if neither."""
    directory = turn.content.puskesmas
    flt = flt or topic.find_filter(turn.text)
    name_score, names = topic.match_name(directory, turn.text)
    area = topic.find_area(directory, turn.text)
    # The closer match wins ("puskesmas sidomulyo" is a name, not Sidomulyo Barat); a tie goes to `prefer`.
    if names and (area is None or name_score > area.score or (name_score == area.score and prefer == "name")):
        return named_answer(turn, intent, names, flt)
    if area is not None:
        return area_answer(turn, intent, area, flt)
    if use_profile:
        remembered = memory.remembered_area(turn)
        if remembered is not None:
            return area_answer(turn, intent, remembered, flt, remembered=True)
    return None


def ask(turn: Turn, intent: str, flt: topic.Filter | None) -> Outcome:
    turn.state.enter(FLOW, "where", intent=intent, filter=memory.filter_key(flt))
    text = turn.t(
        "Untuk mencari puskesmas terdekat, silakan kirim lokasi Anda dengan tombol di bawah.\n"
        "Atau ketik nama kelurahan atau kecamatan Anda, misalnya: Simpang Baru, atau Kecamatan Tampan."
    )
    return turn.outcome(intent, reply(text, [menu_button(turn)], location_request=True), answered=True)


def unknown_area(turn: Turn, intent: str) -> Outcome:
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
    if turn.offices.multi:  # a provincial bot: the place may be another office's, typed as it is spelled there
        cities = ", ".join(c.office.city for c in turn.offices.contents)
        text += "\n" + turn.t("Bot ini melayani {cities}; ketik nama desa/kelurahan lengkap.", cities=cities)
    return turn.outcome(intent, reply(text, [menu_button(turn)], location_request=True), answered=False)


def nearest_answer(turn: Turn, intent: str, point: Point, flt: topic.Filter | None) -> Outcome:
    """The nearest puskesmas whichever office runs it; one of another office says whose it is."""
    deployment = turn.offices
    lines = []
    if offices.outside_all(deployment, point):
        lines.append(wording.outside(turn))
    found: list[tuple[Content, Puskesmas, float]] = []
    if flt is not None:
        holidays = topic.holiday_checker(turn.content.puskesmas)
        found = offices.nearest_puskesmas(
            deployment, point, NEAREST, lambda p: flt.matches(p, turn.now, holidays) is True
        )
        if not found:
            lines.append(wording.no_filter_data(turn, flt))
    if not found:
        found = offices.nearest_puskesmas(deployment, point, NEAREST)
    if not found:
        text = turn.t("Maaf, lokasi puskesmas belum tersedia di data kami. Silakan ketik nama kelurahan Anda.")
        return turn.outcome(intent, reply(text), answered=False)
    lines.append(turn.t("Puskesmas terdekat dari lokasi Anda:"))
    context.listed(turn, [p.name for _c, p, _km in found])  # "yang pertama buka sabtu?" is about found[0]
    lines.extend(wording.describe(turn, p, i, km, office) for i, (office, p, km) in enumerate(found, 1))
    footer = wording.footer(turn, ((p, office) for office, p, _km in found))
    return turn.outcome(intent, reply("\n\n".join([*lines, footer]), wording.buttons(turn)))


def area_answer(
    turn: Turn, intent: str, area: topic.Area, flt: topic.Filter | None, remembered: bool = False
) -> Outcome:
    directory = turn.content.puskesmas
    turn.state.leave()
    memory.remember(turn, area)
    answer = topic.puskesmas_for_area(directory, area)
    lines = []
    place = wording.area_label(turn, area)
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
            lines.append(wording.no_filter_data(turn, flt))
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
    lines.extend(wording.describe(turn, p, i) for i, p in enumerate(entries[:AREA_LIST], 1))
    context.listed(turn, [p.name for p in entries[:AREA_LIST]])
    footer = wording.footer(turn, ((p, turn.content) for p in entries[:AREA_LIST]))
    return turn.outcome(intent, reply("\n\n".join([*lines, footer]), wording.buttons(turn), location_request=True))


def named_answer(turn: Turn, intent: str, names: list[Puskesmas], flt: topic.Filter | None) -> Outcome:
    turn.state.leave()
    lines = []
    for i, p in enumerate(names[:AREA_LIST], 1):
        text = wording.describe(turn, p, i if len(names) > 1 else None)
        if p.hours.known:
            text += "\n" + wording.week(turn, p)
        lines.append(text)
    if flt is not None and flt.kind == "day":
        lines.extend(wording.day_line(turn, p, flt.day) for p in names[:AREA_LIST])
    footer = wording.footer(turn, ((p, turn.content) for p in names[:AREA_LIST]))
    context.listed(turn, [p.name for p in names[:AREA_LIST]])  # "jam bukanya?" is about this one
    return turn.outcome(intent, reply("\n\n".join([*lines, footer]), wording.buttons(turn)))
