"""Immunization questions: one handler per content intent (faq/imunisasi.yaml), and the vaccine buttons.

A birth date or an age typed anywhere in an immunization question is used straight away,
whichever immunization intent the matcher chose.
"""

from __future__ import annotations

from bot.engine.features.immunization import answers, reading, wording
from bot.engine.features.immunization.steps import ASK_AGE, FLOW, PREFIX
from bot.engine.turn import Turn, intent_buttons, menu_button, reply
from bot.engine.types import Button, Outcome
from bot.topics.dates import find_date
from bot.topics.immunization import schedule_by_age


async def overview(turn: Turn) -> Outcome:
    """The topic's start: what immunization is here, and where to go next."""
    found = answers.from_text(turn, vaccines=True)
    if found is not None:
        return found
    schedule = reading.schedule(turn)
    lines = [
        turn.t("Imunisasi melindungi anak dari penyakit berbahaya."),
        *([schedule.notes.complete.get(turn.lang)] if schedule.notes.complete is not None else []),
        schedule.notes.free.get(turn.lang),
        turn.t('Ketik umur atau tanggal lahir anak, misalnya "umur 2 bulan" atau "lahir 3 Agustus 2026", atau pilih:'),
    ]
    buttons = intent_buttons(
        turn,
        "imunisasi_jadwal",
        "imunisasi_pribadi",
        "imunisasi_vaksin",
        "imunisasi_kejar",
        "imunisasi_kipi",
        "imunisasi_bias",
    )
    return turn.outcome("imunisasi", reply("\n\n".join(lines), [*buttons, menu_button(turn)]))


async def whole_schedule(turn: Turn) -> Outcome:
    """The national routine schedule, one line per age, then the school doses."""
    found = answers.from_text(turn, vaccines=True)
    if found is not None:
        return found
    schedule = reading.schedule(turn)
    lines = [turn.t("Jadwal imunisasi rutin nasional:")]
    for age, doses in schedule_by_age(schedule):
        here = [(v, d) for v, d in doses if v.given_in(reading.province(turn))]
        elsewhere = [(v, d) for v, d in doses if not v.given_in(reading.province(turn))]
        when = wording.dose_age(turn, doses[0][1], age)
        if here:
            lines.append(f"• {when}: {', '.join(d.label.get(turn.lang) for _, d in here)}")
        for vaccine, dose in elsewhere:
            lines.append(f"• {when}: {dose.label.get(turn.lang)} ({wording.regional_note(turn, vaccine)})")
    lines.append("")
    lines.append(turn.t("Di sekolah dasar (BIAS):"))
    lines.extend(wording.school_lines(turn, schedule))
    lines.append("")
    lines.append(schedule.notes.free.get(turn.lang))
    if schedule.notes.idai is not None:
        lines.append(schedule.notes.idai.get(turn.lang))
    lines.append(wording.source_line(turn, schedule))
    buttons = intent_buttons(turn, "imunisasi_pribadi", "imunisasi_kejar")
    return turn.outcome("imunisasi_jadwal", reply("\n".join(lines), [*buttons, menu_button(turn)]))


async def due_at_age(turn: Turn) -> Outcome:
    """What is due at the age the parent typed; asks for the age when there is none."""
    found = answers.from_text(turn, vaccines=True)
    if found is not None:
        return found
    turn.state.enter(FLOW, ASK_AGE)
    text = turn.t('Berapa umur anak Anda? Misalnya: "2 bulan", "9 bulan" atau "1,5 tahun".')
    return turn.outcome("imunisasi_usia", reply(text, [menu_button(turn)]))


async def vaccine(turn: Turn) -> Outcome:
    """When a named vaccine is given; lists the vaccines when none is named."""
    schedule = reading.schedule(turn)
    found = reading.vaccines_named(turn)
    if found:
        return answers.vaccine_answer(turn, found)
    by_date_or_age = answers.from_text(turn, vaccines=False)
    if by_date_or_age is not None:
        return by_date_or_age
    # Vaccines of this region's infant schedule; school vaccines sit behind one BIAS button (lists stay <= 10).
    here = [
        v for v in schedule.vaccines if v.given_in(reading.province(turn)) and any(d.age is not None for d in v.doses)
    ]
    buttons = [Button(f"{PREFIX}:vaksin:{v.id}", v.name.get(turn.lang)) for v in here[:8]]
    buttons.extend(intent_buttons(turn, "imunisasi_bias"))
    text = turn.t("Vaksin yang mana? Pilih di bawah ini, atau ketik namanya (misalnya: BCG, campak, polio).")
    return turn.outcome("imunisasi_vaksin", reply(text, [*buttons, menu_button(turn)]))


async def personal(turn: Turn) -> Outcome:
    """A child's own schedule from the birth date; asks for the date when there is none."""
    found = answers.from_text(turn, vaccines=False)
    if found is not None:
        return found
    return answers.ask_birth(turn)


async def catch_up(turn: Turn) -> Outcome:
    """Late or missed doses: they can still be caught up at the puskesmas, within the content's limits."""
    mention = find_date(turn.text, turn.today)
    if mention is not None:
        return answers.personal_for(turn, mention)
    age = reading.typed_age(turn)
    if age is not None:
        return answers.at_age_answer(turn, age, intent="imunisasi_kejar", catching_up=True)
    schedule = reading.schedule(turn)
    lines = [schedule.notes.catch_up.get(turn.lang), *wording.catch_up_rules(turn, schedule)]
    lines.append(turn.t("Ketik tanggal lahir anak untuk melihat imunisasi yang mungkin terlewat."))
    lines.append(schedule.notes.free.get(turn.lang))
    lines.append(wording.source_line(turn, schedule))
    buttons = intent_buttons(turn, "imunisasi_pribadi", "imunisasi_jadwal", "puskesmas")
    return turn.outcome("imunisasi_kejar", reply("\n\n".join(lines), [*buttons, menu_button(turn)]))


async def kipi(turn: Turn) -> Outcome:
    """Reactions after immunization: what is common, home care, when to see a health worker, emergencies."""
    guide = reading.schedule(turn).kipi
    lines = [
        guide.mild.get(turn.lang),
        guide.care.get(turn.lang),
        "⚠️ " + guide.see_health_worker.get(turn.lang),
        "🚨 " + guide.emergency.get(turn.lang),
    ]
    if guide.report is not None:
        lines.append(guide.report.get(turn.lang))
    lines.append(turn.t("Saya tidak bisa memeriksa anak Anda; bila ragu, tanyakan ke petugas kesehatan."))
    lines.append(wording.source_text(turn, guide.source, guide.reviewed))
    buttons = intent_buttons(turn, "puskesmas")
    return turn.outcome("imunisasi_kipi", reply("\n\n".join(lines), [*buttons, menu_button(turn)]))


async def school(turn: Turn) -> Outcome:
    """School immunization (BIAS) by grade and month, HPV included."""
    return turn.outcome("imunisasi_bias", answers.school_reply(turn))


async def vaccine_button(turn: Turn, vaccine_id: str) -> Outcome | None:
    """A vaccine picked from the list ("imun:vaksin:<id>")."""
    found = reading.schedule(turn).vaccine(vaccine_id)
    return answers.vaccine_answer(turn, [found]) if found is not None else None
