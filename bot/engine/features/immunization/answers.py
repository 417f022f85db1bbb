"""Immunization answers: a child's own schedule, what is due at an age, a vaccine, the school doses.

Each one computes with bot.topics.immunization and words it with wording.py. The personal
schedule also opens the next step (asking for the birth date again, or offering reminders).
"""

from __future__ import annotations

from datetime import date

from bot.engine.features.immunization import reading, wording
from bot.engine.features.immunization.steps import ASK_BIRTH, FLOW, OFFER_REMINDER, PREFIX
from bot.engine.turn import Turn, intent_buttons, menu_button, reply
from bot.engine.types import Button, Outcome, Reply
from bot.i18n import format_date
from bot.knowledge.age import Age
from bot.knowledge.immunization import Vaccine
from bot.topics.dates import DateMention, add_age, age_on, find_date
from bot.topics.immunization import BirthProblem, at_age, check_birth, personal_schedule, stages

MAX_VACCINES = 3  # a question naming more gets the first three, then the full schedule button


def from_text(turn: Turn, *, vaccines: bool) -> Outcome | None:
    """A birth date, an age or (optionally) a vaccine typed in the question answers it directly."""
    mention = find_date(turn.text, turn.today)
    if mention is not None:
        return personal_for(turn, mention)
    age = reading.typed_age(turn)
    if age is not None:
        return at_age_answer(turn, age)
    if vaccines:
        found = reading.vaccines_named(turn)
        if found:
            return vaccine_answer(turn, found)
    return None


def ask_birth(turn: Turn, note: str = "") -> Outcome:
    turn.state.enter(FLOW, ASK_BIRTH)
    lines = [note] if note else []
    lines.append(turn.t("Tanggal lahir anak Anda? Misalnya: 3 Agustus 2026 atau 03-08-2026."))
    buttons = [*intent_buttons(turn, "imunisasi_jadwal"), menu_button(turn)]
    return turn.outcome("imunisasi_pribadi", reply("\n\n".join(lines), buttons), answered=not note)


def personal_for(turn: Turn, mention: DateMention) -> Outcome:
    """The personal schedule for a typed date, or a friendly question when the date cannot be right."""
    schedule = reading.schedule(turn)
    birth = mention.day
    if birth is None:
        return ask_birth(turn, turn.t("Tanggal {date} tidak ada di kalender.", date=mention.text))
    problem = check_birth(schedule, birth, turn.today)
    if problem is BirthProblem.FUTURE:
        note = turn.t(
            "Tanggal {date} belum lewat. Apakah tanggal lahirnya sudah benar?", date=format_date(birth, turn.lang)
        )
        return ask_birth(turn, note)
    if problem is BirthProblem.ABSURD:
        return ask_birth(turn, turn.t("Tahun {year} sepertinya salah ketik.", year=birth.year))
    if problem is BirthProblem.TOO_OLD:
        note = turn.t(
            "Anak yang lahir {date} sudah berumur {age}. Jadwal dari tanggal lahir ini untuk anak sampai umur {limit}; "
            "anak usia sekolah mendapat imunisasi di sekolah (BIAS). Kalau tanggalnya salah ketik, ketik lagi.",
            date=format_date(birth, turn.lang, weekday=False),
            age=wording.age_text(turn, _whole_years(age_on(birth, turn.today))),
            limit=wording.age_text(turn, schedule.personal_until),
        )
        turn.state.enter(FLOW, ASK_BIRTH)
        buttons = [*intent_buttons(turn, "imunisasi_bias"), menu_button(turn)]
        return turn.outcome("imunisasi_pribadi", reply(note, buttons), answered=False)
    plan = personal_schedule(schedule, birth, turn.today, reading.province(turn))
    replies = [reply(wording.personal_text(turn, schedule, plan), [] if plan.coming else [menu_button(turn)])]
    if plan.coming:
        turn.state.enter(FLOW, OFFER_REMINDER, birth=birth.isoformat())
        offer = turn.t(
            "Mau saya ingatkan sebelum setiap jadwal berikutnya? Ketik ya atau tidak. "
            'Boleh sekalian nama panggilan anak, misalnya "ya, Adik Budi".'
        )
        buttons = [
            Button(f"{PREFIX}:remind:yes", turn.t("Ya, ingatkan")),
            Button(f"{PREFIX}:remind:no", turn.t("Tidak")),
            menu_button(turn),
        ]
        replies.append(reply(offer, buttons))
    return turn.outcome("imunisasi_pribadi", *replies)


def at_age_answer(turn: Turn, age: Age, intent: str = "imunisasi_usia", catching_up: bool = False) -> Outcome:
    """What is due at an age, what should already have been given, and what comes next."""
    schedule = reading.schedule(turn)
    if _on_calendar(age) >= _on_calendar(schedule.personal_until):
        return turn.outcome(intent, school_reply(turn, intro=wording.age_text(turn, age)))
    plan = at_age(schedule, age, reading.province(turn))
    blocks = []
    if plan.due:
        if age.is_zero:
            lines = [turn.t("Imunisasi untuk bayi baru lahir:")]
        else:
            lines = [turn.t("Imunisasi untuk anak umur {age}:", age=wording.age_text(turn, age))]
        lines.extend(f"• {wording.labels(turn, items)}" for _day, items in stages(plan.due))
        blocks.append("\n".join(lines))
    else:
        blocks.append(turn.t("Di umur {age} tidak ada jadwal imunisasi baru.", age=wording.age_text(turn, age)))
    if plan.overdue:
        lines = [turn.t("Yang seharusnya sudah diberikan sebelumnya (kalau terlewat, masih bisa dikejar):")]
        lines.extend(
            f"• {wording.dose_age(turn, items[0].dose)}: {wording.labels(turn, items)}"
            for _d, items in stages(plan.overdue)
        )
        blocks.append("\n".join(lines))
    if plan.past:
        labels = ", ".join(item.dose.label.get(turn.lang) for item in plan.past)
        blocks.append(turn.t("Sudah lewat batas umur, tidak diberikan lagi: {doses}.", doses=labels))
    upcoming = stages(plan.coming)
    if upcoming:
        first = upcoming[0][1]
        blocks.append(
            turn.t(
                "Berikutnya di umur {age}: {doses}.",
                age=wording.dose_age(turn, first[0].dose),
                doses=wording.labels(turn, first),
            )
        )
    elif schedule.school_doses:
        blocks.append(turn.t("Berikutnya: imunisasi di sekolah dasar (BIAS)."))
    if catching_up:
        blocks.append(schedule.notes.catch_up.get(turn.lang))
    blocks.append(wording.notes(turn, schedule))
    buttons = intent_buttons(turn, "imunisasi_pribadi", "imunisasi_jadwal")
    return turn.outcome(intent, reply("\n\n".join(blocks), [*buttons, menu_button(turn)]))


def vaccine_answer(turn: Turn, vaccines: list[Vaccine]) -> Outcome:
    schedule = reading.schedule(turn)
    blocks = [wording.vaccine_text(turn, v) for v in vaccines[:MAX_VACCINES]]
    blocks.append(schedule.notes.free.get(turn.lang))
    blocks.append(wording.source_line(turn, schedule))
    buttons = intent_buttons(turn, "imunisasi_jadwal", "imunisasi_pribadi")
    return turn.outcome("imunisasi_vaksin", reply("\n\n".join(blocks), [*buttons, menu_button(turn)]))


def school_reply(turn: Turn, intro: str = "") -> Reply:
    schedule = reading.schedule(turn)
    lines = []
    if intro:
        lines.append(turn.t("Untuk anak umur {age}: imunisasi rutinnya di sekolah (BIAS).", age=intro))
    lines.append(turn.t("Imunisasi di sekolah dasar (BIAS):"))
    lines.extend(wording.school_lines(turn, schedule))
    blocks = ["\n".join(lines)]
    if schedule.notes.bias is not None:
        blocks.append(schedule.notes.bias.get(turn.lang))
    for vaccine in schedule.vaccines:
        if vaccine.note is not None and vaccine.doses and all(d.at_school for d in vaccine.doses):
            # what it protects from first: "bikin mandul?" stories ask what HPV is for before when it is given
            protects = turn.t(
                "{name}: melindungi dari {what}.",
                name=vaccine.name.get(turn.lang),
                what=vaccine.protects.get(turn.lang),
            )
            blocks.append(f"{protects} {vaccine.note.get(turn.lang)}")
    blocks.append(schedule.notes.free.get(turn.lang))
    blocks.append(wording.source_line(turn, schedule))
    buttons = intent_buttons(turn, "imunisasi_jadwal")
    return reply("\n\n".join(blocks), [*buttons, menu_button(turn)])


def _on_calendar(age: Age) -> date:
    """An age as a date after a fixed first-of-month start, so ages in months and days compare correctly."""
    return add_age(date(2001, 1, 1), age)


def _whole_years(age: Age) -> Age:
    return Age(age.months - age.months % 12, 0) if age.months >= 24 else age
