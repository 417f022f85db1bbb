"""Immunization: the national schedule, what is due at an age, a child's own schedule, and a reminder offer.

Every answer is computed by bot.topics.immunization from content/immunization.yaml;
this file only reads the question, picks the answer and words it for a phone screen.
A birth date or an age typed anywhere in an immunization question is used straight
away, whichever immunization intent the matcher chose.
"""

from __future__ import annotations

import re
from datetime import date

from babel import dates as babel_dates

from bot.engine.feature import Feature
from bot.engine.turn import Turn, intent_buttons, menu_button, reply
from bot.engine.types import Button, Outcome, Reply
from bot.engine.understanding import CONFIDENT
from bot.i18n import format_date
from bot.knowledge.age import Age
from bot.knowledge.immunization import Dose, Schedule, Vaccine
from bot.storage import subscriptions
from bot.topics.dates import DateMention, add_age, age_on, find_age, find_date, month_of
from bot.topics.immunization import (
    BirthProblem,
    DatedDose,
    PersonalSchedule,
    at_age,
    check_birth,
    find_vaccines,
    personal_schedule,
    schedule_by_age,
    school_by_grade,
    stages,
)

FLOW = "immunization"
PREFIX = "imun"
ASK_BIRTH, ASK_AGE, OFFER_REMINDER = "birth", "age", "remind"
MAX_VACCINES = 3  # a question naming more gets the first three, then the full schedule button
SHORT_ANSWER_WORDS = 6
# Intents whose question a birth date or an age answers: while a step is open, they do not interrupt it.
ANSWERS_A_STEP = {"imunisasi", "imunisasi_jadwal", "imunisasi_usia", "imunisasi_pribadi", "imunisasi_kejar"}

YES = {
    "ya",
    "iya",
    "y",
    "yes",
    "ok",
    "oke",
    "okay",
    "boleh",
    "mau",
    "setuju",
    "tentu",
    "sip",
    "baik",
    "siap",
    "ingatkan",
}
NO = {"tidak", "no", "jangan", "gausah", "skip", "nanti", "enggak", "tdk", "gak", "ga", "nggak"}
# Words around a yes that are not the child's nickname ("ya tolong ingatkan, namanya Budi").
_FILLER = {
    "ya", "iya", "y", "yes", "ok", "oke", "okay", "boleh", "mau", "setuju", "tentu", "sip", "baik", "siap",
    "ingatkan", "tolong", "dong", "kak", "min", "saya", "aku", "silakan", "please", "saja", "aja", "yuk",
    "nama", "namanya", "panggilan", "panggilannya", "nama panggilannya", "anak", "anaknya", "dia", "si",
    "terima", "kasih", "makasih", "untuk", "buat", "pengingat", "nya",
}  # fmt: skip
_NICKNAME = re.compile(r"^[^\W\d_]+(?:[ '\-][^\W\d_]+){0,2}$")
MAX_NICKNAME = 40


# ---------------------------------------------------------------- intents (content: faq/imunisasi.yaml)


async def overview(turn: Turn) -> Outcome:
    """The topic's start: what immunization is here, and where to go next."""
    found = _from_text(turn, vaccines=True)
    if found is not None:
        return found
    schedule = _schedule(turn)
    lines = [
        turn.t("Imunisasi melindungi anak dari penyakit berbahaya."),
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
    found = _from_text(turn, vaccines=True)
    if found is not None:
        return found
    schedule = _schedule(turn)
    lines = [turn.t("Jadwal imunisasi rutin nasional:")]
    for age, doses in schedule_by_age(schedule):
        here = [(v, d) for v, d in doses if v.given_in(_province(turn))]
        elsewhere = [(v, d) for v, d in doses if not v.given_in(_province(turn))]
        when = _dose_age(turn, doses[0][1], age)
        if here:
            lines.append(f"• {when}: {', '.join(d.label for _, d in here)}")
        for vaccine, dose in elsewhere:
            lines.append(f"• {when}: {dose.label} ({_regional_note(turn, vaccine)})")
    lines.append("")
    lines.append(turn.t("Di sekolah dasar (BIAS):"))
    lines.extend(_school_lines(turn, schedule))
    lines.append("")
    lines.append(schedule.notes.free.get(turn.lang))
    if schedule.notes.idai is not None:
        lines.append(schedule.notes.idai.get(turn.lang))
    lines.append(_source_line(turn, schedule))
    buttons = intent_buttons(turn, "imunisasi_pribadi", "imunisasi_kejar")
    return turn.outcome("imunisasi_jadwal", reply("\n".join(lines), [*buttons, menu_button(turn)]))


async def due_at_age(turn: Turn) -> Outcome:
    """What is due at the age the parent typed; asks for the age when there is none."""
    found = _from_text(turn, vaccines=True)
    if found is not None:
        return found
    turn.state.enter(FLOW, ASK_AGE)
    text = turn.t('Berapa umur anak Anda? Misalnya: "2 bulan", "9 bulan" atau "1,5 tahun".')
    return turn.outcome("imunisasi_usia", reply(text, [menu_button(turn)]))


async def vaccine(turn: Turn) -> Outcome:
    """When a named vaccine is given; lists the vaccines when none is named."""
    schedule = _schedule(turn)
    found = find_vaccines(schedule, turn.text)
    if found:
        return _vaccine_answer(turn, found)
    by_date_or_age = _from_text(turn, vaccines=False)
    if by_date_or_age is not None:
        return by_date_or_age
    # Vaccines of this region's infant schedule; school vaccines sit behind one BIAS button (lists stay <= 10).
    here = [v for v in schedule.vaccines if v.given_in(_province(turn)) and any(d.age is not None for d in v.doses)]
    buttons = [Button(f"{PREFIX}:vaksin:{v.id}", v.name) for v in here[:8]]
    buttons.extend(intent_buttons(turn, "imunisasi_bias"))
    text = turn.t("Vaksin yang mana? Pilih di bawah ini, atau ketik namanya (misalnya: BCG, campak, polio).")
    return turn.outcome("imunisasi_vaksin", reply(text, [*buttons, menu_button(turn)]))


async def personal(turn: Turn) -> Outcome:
    """A child's own schedule from the birth date; asks for the date when there is none."""
    found = _from_text(turn, vaccines=False)
    if found is not None:
        return found
    return _ask_birth(turn)


async def catch_up(turn: Turn) -> Outcome:
    """Late or missed doses: they can still be caught up at the puskesmas, within the content's limits."""
    mention = find_date(turn.text, turn.today)
    if mention is not None:
        return _personal_for(turn, mention)
    age = _typed_age(turn)
    if age is not None:
        return _at_age_answer(turn, age, intent="imunisasi_kejar", catching_up=True)
    schedule = _schedule(turn)
    lines = [schedule.notes.catch_up.get(turn.lang), *_catch_up_rules(turn, schedule)]
    lines.append(turn.t("Ketik tanggal lahir anak untuk melihat imunisasi yang mungkin terlewat."))
    lines.append(schedule.notes.free.get(turn.lang))
    lines.append(_source_line(turn, schedule))
    buttons = intent_buttons(turn, "imunisasi_pribadi", "imunisasi_jadwal", "puskesmas")
    return turn.outcome("imunisasi_kejar", reply("\n\n".join(lines), [*buttons, menu_button(turn)]))


async def kipi(turn: Turn) -> Outcome:
    """Reactions after immunization: what is common, home care, when to see a health worker, emergencies."""
    guide = _schedule(turn).kipi
    lines = [
        guide.mild.get(turn.lang),
        guide.care.get(turn.lang),
        "⚠️ " + guide.see_health_worker.get(turn.lang),
        "🚨 " + guide.emergency.get(turn.lang),
    ]
    if guide.report is not None:
        lines.append(guide.report.get(turn.lang))
    lines.append(turn.t("Saya tidak bisa memeriksa anak Anda; bila ragu, tanyakan ke petugas kesehatan."))
    lines.append(_source_text(turn, guide.source, guide.reviewed))
    buttons = intent_buttons(turn, "puskesmas")
    return turn.outcome("imunisasi_kipi", reply("\n\n".join(lines), [*buttons, menu_button(turn)]))


async def school(turn: Turn) -> Outcome:
    """School immunization (BIAS) by grade and month, HPV included."""
    return turn.outcome("imunisasi_bias", _school_reply(turn))


# ---------------------------------------------------------------- guided steps and buttons


async def on_flow(turn: Turn) -> Outcome | None:
    """The open step: a birth date, an age, or yes/no to the reminder offer. None lets normal routing answer."""
    step = turn.state.step
    mention = find_date(turn.text, turn.today)
    if step == OFFER_REMINDER:
        answer = _yes_no(turn)
        if answer is True:
            return await _remind(turn, _nickname(turn))
        if answer is False:
            return _no_reminder(turn)
        if mention is not None:
            return _personal_for(turn, mention)
        turn.state.leave()  # something else entirely: answer it normally, the offer lapses
        return None
    if _another_question(turn):
        turn.state.leave()
        return None
    if mention is not None:
        return _personal_for(turn, mention)
    age = _typed_age(turn)
    if age is not None:
        return _at_age_answer(turn, age)
    # A short reply with a number (or a month) was meant as the answer; a longer text is another question.
    short = len(turn.text.split()) <= SHORT_ANSWER_WORDS
    if short and (any(ch.isdigit() for ch in turn.text) or (step == ASK_BIRTH and _names_a_month(turn.text))):
        if step == ASK_AGE:
            text = turn.t('Maaf, umurnya belum saya pahami. Tulis seperti ini: "2 bulan", "9 bulan" atau "1,5 tahun".')
            return turn.outcome("imunisasi_usia", reply(text, [menu_button(turn)]), answered=False)
        text = turn.t("Maaf, tanggalnya belum saya pahami. Tulis seperti ini: 3 Agustus 2026 atau 03-08-2026.")
        return turn.outcome("imunisasi_pribadi", reply(text, [menu_button(turn)]), answered=False)
    turn.state.leave()
    return None


async def on_payload(turn: Turn) -> Outcome:
    """Buttons of this feature: a vaccine, or the answer to the reminder offer."""
    parts = (turn.inbound.payload or "").split(":")
    if len(parts) == 3 and parts[1] == "vaksin":
        found = _schedule(turn).vaccine(parts[2])
        if found is not None:
            return _vaccine_answer(turn, [found])
    if len(parts) == 3 and parts[1] == "remind" and turn.state.flow == FLOW and turn.state.step == OFFER_REMINDER:
        if parts[2] == "yes":
            return await _remind(turn, None)
        return _no_reminder(turn)
    turn.state.leave()
    text = turn.t("Maaf, tombol itu sudah tidak berlaku. Silakan pilih lagi.")
    return turn.outcome("imunisasi", reply(text, [*intent_buttons(turn, "imunisasi"), menu_button(turn)]))


# ---------------------------------------------------------------- answers


def _from_text(turn: Turn, *, vaccines: bool) -> Outcome | None:
    """A birth date, an age or (optionally) a vaccine typed in the question answers it directly."""
    mention = find_date(turn.text, turn.today)
    if mention is not None:
        return _personal_for(turn, mention)
    age = _typed_age(turn)
    if age is not None:
        return _at_age_answer(turn, age)
    if vaccines:
        found = find_vaccines(_schedule(turn), turn.text)
        if found:
            return _vaccine_answer(turn, found)
    return None


def _ask_birth(turn: Turn, note: str = "") -> Outcome:
    turn.state.enter(FLOW, ASK_BIRTH)
    lines = [note] if note else []
    lines.append(turn.t("Tanggal lahir anak Anda? Misalnya: 3 Agustus 2026 atau 03-08-2026."))
    buttons = [*intent_buttons(turn, "imunisasi_jadwal"), menu_button(turn)]
    return turn.outcome("imunisasi_pribadi", reply("\n\n".join(lines), buttons), answered=not note)


def _personal_for(turn: Turn, mention: DateMention) -> Outcome:
    """The personal schedule for a typed date, or a friendly question when the date cannot be right."""
    schedule = _schedule(turn)
    birth = mention.day
    if birth is None:
        return _ask_birth(turn, turn.t("Tanggal {date} tidak ada di kalender.", date=mention.text))
    problem = check_birth(schedule, birth, turn.today)
    if problem is BirthProblem.FUTURE:
        note = turn.t(
            "Tanggal {date} belum lewat. Apakah tanggal lahirnya sudah benar?", date=format_date(birth, turn.lang)
        )
        return _ask_birth(turn, note)
    if problem is BirthProblem.ABSURD:
        return _ask_birth(turn, turn.t("Tahun {year} sepertinya salah ketik.", year=birth.year))
    if problem is BirthProblem.TOO_OLD:
        note = turn.t(
            "Anak yang lahir {date} sudah berumur {age}. Jadwal dari tanggal lahir ini untuk anak sampai umur {limit}; "
            "anak usia sekolah mendapat imunisasi di sekolah (BIAS). Kalau tanggalnya salah ketik, ketik lagi.",
            date=format_date(birth, turn.lang, weekday=False),
            age=_age_text(turn, _whole_years(age_on(birth, turn.today))),
            limit=_age_text(turn, schedule.personal_until),
        )
        turn.state.enter(FLOW, ASK_BIRTH)
        buttons = [*intent_buttons(turn, "imunisasi_bias"), menu_button(turn)]
        return turn.outcome("imunisasi_pribadi", reply(note, buttons), answered=False)
    plan = personal_schedule(schedule, birth, turn.today, _province(turn))
    replies = [reply(_personal_text(turn, schedule, plan), [] if plan.coming else [menu_button(turn)])]
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


def _personal_text(turn: Turn, schedule: Schedule, plan: PersonalSchedule) -> str:
    blocks = [
        turn.t("Jadwal imunisasi anak yang lahir {date}", date=format_date(plan.birth, turn.lang))
        + "\n"
        + turn.t("Umur sekarang: {age}.", age=_age_text(turn, age_on(plan.birth, plan.today)))
    ]
    if plan.due:
        lines = [turn.t("✅ Jadwalnya sekarang:")]
        for day, items in stages(plan.due):
            lines.append(f"• {_labels(turn, items)}")
            lines.append("  " + turn.t("mulai {date}", date=format_date(day, turn.lang)))
        blocks.append("\n".join(lines))
    if plan.overdue:
        lines = [turn.t("⚠️ Sudah lewat jadwalnya. Kalau belum diberikan, masih bisa dikejar di puskesmas:")]
        for _day, items in stages(plan.overdue):
            lines.append(f"• {_dose_age(turn, items[0].dose)}: {_labels(turn, items)}")
        blocks.append("\n".join(lines))
    if plan.past:
        lines = [turn.t("❌ Sudah lewat batas umur, tidak diberikan lagi:")]
        for item in plan.past:
            assert item.latest is not None
            limit = format_date(item.latest, turn.lang, weekday=False)
            lines.append("• " + turn.t("{dose} (batas {date})", dose=item.dose.label, date=limit))
        blocks.append("\n".join(lines))
    if plan.coming:
        lines = [turn.t("📅 Berikutnya:")]
        for day, items in stages(plan.coming):
            lines.append(f"• {format_date(day, turn.lang)}")
            lines.append(f"  {_labels(turn, items)}")
        blocks.append("\n".join(lines))
    else:
        blocks.append(turn.t("Semua imunisasi bayi dan balita sudah lewat waktunya. Cek Buku KIA anak Anda."))
    if schedule.school_doses:
        blocks.append(turn.t("Nanti di sekolah dasar ada imunisasi di sekolah (BIAS)."))
    blocks.append(_notes(turn, schedule))
    return "\n\n".join(blocks)


def _at_age_answer(turn: Turn, age: Age, intent: str = "imunisasi_usia", catching_up: bool = False) -> Outcome:
    """What is due at an age, what should already have been given, and what comes next."""
    schedule = _schedule(turn)
    if _on_calendar(age) >= _on_calendar(schedule.personal_until):
        return turn.outcome(intent, _school_reply(turn, intro=_age_text(turn, age)))
    plan = at_age(schedule, age, _province(turn))
    blocks = []
    if plan.due:
        if age.is_zero:
            lines = [turn.t("Imunisasi untuk bayi baru lahir:")]
        else:
            lines = [turn.t("Imunisasi untuk anak umur {age}:", age=_age_text(turn, age))]
        lines.extend(f"• {_labels(turn, items)}" for _day, items in stages(plan.due))
        blocks.append("\n".join(lines))
    else:
        blocks.append(turn.t("Di umur {age} tidak ada jadwal imunisasi baru.", age=_age_text(turn, age)))
    if plan.overdue:
        lines = [turn.t("Yang seharusnya sudah diberikan sebelumnya (kalau terlewat, masih bisa dikejar):")]
        lines.extend(
            f"• {_dose_age(turn, items[0].dose)}: {_labels(turn, items)}" for _d, items in stages(plan.overdue)
        )
        blocks.append("\n".join(lines))
    if plan.past:
        labels = ", ".join(item.dose.label for item in plan.past)
        blocks.append(turn.t("Sudah lewat batas umur, tidak diberikan lagi: {doses}.", doses=labels))
    upcoming = stages(plan.coming)
    if upcoming:
        first = upcoming[0][1]
        blocks.append(
            turn.t("Berikutnya di umur {age}: {doses}.", age=_dose_age(turn, first[0].dose), doses=_labels(turn, first))
        )
    elif schedule.school_doses:
        blocks.append(turn.t("Berikutnya: imunisasi di sekolah dasar (BIAS)."))
    if catching_up:
        blocks.append(schedule.notes.catch_up.get(turn.lang))
    blocks.append(_notes(turn, schedule))
    buttons = intent_buttons(turn, "imunisasi_pribadi", "imunisasi_jadwal")
    return turn.outcome(intent, reply("\n\n".join(blocks), [*buttons, menu_button(turn)]))


def _vaccine_answer(turn: Turn, vaccines: list[Vaccine]) -> Outcome:
    schedule = _schedule(turn)
    blocks = [_vaccine_text(turn, v) for v in vaccines[:MAX_VACCINES]]
    blocks.append(schedule.notes.free.get(turn.lang))
    blocks.append(_source_line(turn, schedule))
    buttons = intent_buttons(turn, "imunisasi_jadwal", "imunisasi_pribadi")
    return turn.outcome("imunisasi_vaksin", reply("\n\n".join(blocks), [*buttons, menu_button(turn)]))


def _vaccine_text(turn: Turn, vaccine: Vaccine) -> str:
    lines = [turn.t("{name}: melindungi dari {what}.", name=vaccine.name, what=vaccine.protects.get(turn.lang))]
    if vaccine.given is not None:
        lines.append(turn.t("Cara: {how}.", how=vaccine.given.get(turn.lang)))
    for dose in vaccine.doses:
        lines.append(f"• {dose.label}: {_dose_when(turn, dose)}")
    if vaccine.regional:
        lines.append(_regional_note(turn, vaccine).capitalize() + ".")
    if vaccine.note is not None:
        lines.append(vaccine.note.get(turn.lang))
    if vaccine.catch_up is not None:
        lines.append(vaccine.catch_up.get(turn.lang))
    return "\n".join(lines)


def _dose_when(turn: Turn, dose: Dose) -> str:
    """'umur 3 bulan (jarak minimal 4 minggu dari dosis sebelumnya; paling lambat umur 6 bulan 29 hari)'."""
    if dose.grade is not None:
        text = turn.t("kelas {grade} SD, bulan {month}", grade=dose.grade, month=_month_name(turn, dose.month or 1))
        if dose.girls_only:
            text += ", " + turn.t("anak perempuan")
        return text
    assert dose.age is not None
    text = (
        dose.age_text.get(turn.lang)
        if dose.age_text is not None
        else turn.t("umur {age}", age=_age_text(turn, dose.age))
    )
    extra = []
    if dose.min_age is not None:
        extra.append(turn.t("paling cepat umur {age}", age=_age_text(turn, dose.min_age)))
    if dose.min_interval is not None:
        extra.append(turn.t("jarak minimal {gap} dari dosis sebelumnya", gap=_age_text(turn, dose.min_interval)))
    if dose.max_age is not None:
        extra.append(turn.t("paling lambat umur {age}", age=_age_text(turn, dose.max_age)))
    return f"{text} ({'; '.join(extra)})" if extra else text


def _school_reply(turn: Turn, intro: str = "") -> Reply:
    schedule = _schedule(turn)
    lines = []
    if intro:
        lines.append(turn.t("Untuk anak umur {age}: imunisasi rutinnya di sekolah (BIAS).", age=intro))
    lines.append(turn.t("Imunisasi di sekolah dasar (BIAS):"))
    lines.extend(_school_lines(turn, schedule))
    blocks = ["\n".join(lines)]
    if schedule.notes.bias is not None:
        blocks.append(schedule.notes.bias.get(turn.lang))
    for vaccine in schedule.vaccines:
        if vaccine.note is not None and vaccine.doses and all(d.at_school for d in vaccine.doses):
            blocks.append(f"{vaccine.name}: {vaccine.note.get(turn.lang)}")
    blocks.append(schedule.notes.free.get(turn.lang))
    blocks.append(_source_line(turn, schedule))
    buttons = intent_buttons(turn, "imunisasi_jadwal")
    return reply("\n\n".join(blocks), [*buttons, menu_button(turn)])


def _school_lines(turn: Turn, schedule: Schedule) -> list[str]:
    lines = []
    for grade, doses in school_by_grade(schedule):
        parts = []
        for _vaccine, dose in doses:
            label = dose.label + (" " + turn.t("untuk anak perempuan") if dose.girls_only else "")
            parts.append(turn.t("{dose} ({month})", dose=label, month=_month_name(turn, dose.month or 1)))
        lines.append(turn.t("• Kelas {grade}:", grade=grade) + " " + "; ".join(parts))
    return lines


def _catch_up_rules(turn: Turn, schedule: Schedule) -> list[str]:
    return [v.catch_up.get(turn.lang) for v in schedule.vaccines if v.catch_up is not None]


async def _remind(turn: Turn, nickname: str | None) -> Outcome:
    """Store the reminder the parent asked for: the birth date, and a nickname only if they gave one."""
    raw = turn.state.data.get("birth")
    turn.state.leave()
    try:
        birth = date.fromisoformat(str(raw))
    except ValueError:
        return _ask_birth(turn, turn.t("Maaf, tanggal lahirnya sudah tidak saya simpan."))
    existing = await subscriptions.child_reminders(turn.db, turn.inbound.user_key)
    if any(r.birth_date == birth for r in existing):
        await subscriptions.ensure_subscriber(turn.db, turn.inbound.user_key, turn.inbound.channel, turn.lang)
        text = turn.t("Pengingat untuk anak yang lahir {date} sudah aktif.", date=format_date(birth, turn.lang))
    else:
        await subscriptions.add_child_reminder(
            turn.db, turn.inbound.user_key, turn.inbound.channel, birth, nickname, turn.lang
        )
        who = nickname or turn.t("anak yang lahir {date}", date=format_date(birth, turn.lang, weekday=False))
        text = turn.t("Baik, saya akan mengingatkan Anda sebelum setiap jadwal imunisasi {who}.", who=who)
    text += "\n" + turn.t("Ketik berhenti kapan saja untuk berhenti menerima pengingat.")
    return turn.outcome("imunisasi_pribadi", reply(text, [menu_button(turn)]))


def _no_reminder(turn: Turn) -> Outcome:
    turn.state.leave()
    text = turn.t("Baik, tidak apa-apa. Jadwal di atas bisa Anda simpan. Ketik menu untuk topik lain.")
    return turn.outcome("imunisasi_pribadi", reply(text, [menu_button(turn)]))


# ---------------------------------------------------------------- reading and wording helpers


def _schedule(turn: Turn) -> Schedule:
    return turn.content.immunization


def _province(turn: Turn) -> str:
    """The office's Kemendagri province code ("14.71" -> "14"): regional vaccines depend on it."""
    return turn.content.office.region_code.split(".")[0]


def _typed_age(turn: Turn) -> Age | None:
    numbers = turn.content.language.number_map
    return find_age(turn.text, numbers) or find_age(turn.norm, numbers)


def _another_question(turn: Turn) -> bool:
    """A longer text that clearly asks something else ("anak demam 2 hari setelah imunisasi") leaves the step."""
    if len(turn.text.split()) <= 3:
        return False
    matches = turn.understanding.match(turn.text, turn.lang)
    return bool(matches) and matches[0].score >= CONFIDENT and matches[0].intent_id not in ANSWERS_A_STEP


def _yes_no(turn: Turn) -> bool | None:
    words = turn.norm.split()
    if not words:
        return None
    if words[0] in NO or " ".join(words[:2]) in {"tidak usah", "tidak mau", "tidak perlu", "ga usah"}:
        return False
    if words[0] in YES or (len(words) > 1 and words[0] in {"tolong", "boleh"} and words[1] in YES):
        return True
    return None


def _nickname(turn: Turn) -> str | None:
    """The nickname typed with the yes ("ya, Adik Budi" -> "Adik Budi"), or None."""
    words = re.sub(r"[^\w\s'\-]", " ", turn.text).split()
    rest = [w for w in words if w.lower() not in _FILLER]
    candidate = " ".join(rest).strip()
    if not candidate or len(candidate) > MAX_NICKNAME or not _NICKNAME.match(candidate):
        return None
    return candidate


def _names_a_month(text: str) -> bool:
    return any(month_of(w) is not None for w in re.findall(r"[a-zA-Z]{3,}", text))


def _on_calendar(age: Age) -> date:
    """An age as a date after a fixed first-of-month start, so ages in months and days compare correctly."""
    return add_age(date(2001, 1, 1), age)


def _whole_years(age: Age) -> Age:
    return Age(age.months - age.months % 12, 0) if age.months >= 24 else age


def _age_text(turn: Turn, age: Age) -> str:
    """'2 bulan', '6 bulan 29 hari', '4 minggu', '3 tahun', 'baru lahir'."""
    if age.is_zero:
        return turn.t("baru lahir")
    parts = []
    if age.months:
        if age.months >= 24 and age.months % 12 == 0:
            parts.append(turn.nt("{n} tahun", "{n} tahun", age.months // 12))
        else:
            parts.append(turn.nt("{n} bulan", "{n} bulan", age.months))
    if age.days:
        if age.days % 7 == 0 and not age.months:
            parts.append(turn.nt("{n} minggu", "{n} minggu", age.days // 7))
        else:
            parts.append(turn.nt("{n} hari", "{n} hari", age.days))
    return " ".join(parts)


def _dose_age(turn: Turn, dose: Dose, age: Age | None = None) -> str:
    if dose.age_text is not None:
        return dose.age_text.get(turn.lang)
    return _age_text(turn, age or dose.age or Age())


def _labels(turn: Turn, items: list[DatedDose]) -> str:
    parts = []
    for item in items:
        label = item.dose.label
        if item.check_first:
            label += " " + turn.t("(perlu diperiksa dulu di puskesmas)")
        parts.append(label)
    return ", ".join(parts)


def _regional_note(turn: Turn, vaccine: Vaccine) -> str:
    names = ", ".join(p.name for p in vaccine.provinces)
    return turn.t("hanya di daerah endemis, antara lain {provinces}", provinces=names)


def _month_name(turn: Turn, month: int) -> str:
    try:
        return babel_dates.format_date(date(2001, month, 1), "LLLL", locale=turn.lang)
    except (ValueError, LookupError):
        return babel_dates.format_date(date(2001, month, 1), "LLLL", locale="id")


def _notes(turn: Turn, schedule: Schedule) -> str:
    lines = [schedule.notes.free.get(turn.lang)]
    if schedule.notes.record is not None:
        lines.append(schedule.notes.record.get(turn.lang))
    lines.append(_source_line(turn, schedule))
    return "\n".join(lines)


def _source_line(turn: Turn, schedule: Schedule) -> str:
    return _source_text(turn, schedule.source, schedule.reviewed)


def _source_text(turn: Turn, source: str, reviewed: date | None) -> str:
    when = format_date(reviewed, turn.lang, weekday=False) if reviewed else "-"
    return turn.t("Sumber: {source} (diperiksa {reviewed})", source=source, reviewed=when)


def _menu_button(turn: Turn) -> Button:
    return menu_button(turn)


FEATURE = Feature(
    name="immunization",
    handlers={
        "immunization.menu": overview,
        "immunization.schedule": whole_schedule,
        "immunization.age": due_at_age,
        "immunization.vaccine": vaccine,
        "immunization.personal": personal,
        "immunization.catch_up": catch_up,
        "immunization.kipi": kipi,
        "immunization.school": school,
    },
    payload_prefix=PREFIX,
    on_payload=on_payload,
    flow=FLOW,
    on_flow=on_flow,
    commands={"/imunisasi": overview},
    requires_intents=(
        *("imunisasi", "imunisasi_jadwal", "imunisasi_usia", "imunisasi_vaksin", "imunisasi_pribadi"),
        *("imunisasi_kejar", "imunisasi_kipi", "imunisasi_bias", "puskesmas"),
    ),
)
