"""Immunization wording: the pieces of text the answers are built from (ages, doses, labels, sources)."""

from __future__ import annotations

from datetime import date

from babel import dates as babel_dates

from bot.engine.turn import Turn
from bot.i18n import format_date
from bot.knowledge.age import Age
from bot.knowledge.immunization import Dose, Schedule, Vaccine
from bot.topics.dates import age_on
from bot.topics.immunization import DatedDose, PersonalSchedule, school_by_grade, stages


def personal_text(turn: Turn, schedule: Schedule, plan: PersonalSchedule) -> str:
    blocks = [
        turn.t("Jadwal imunisasi anak yang lahir {date}", date=format_date(plan.birth, turn.lang))
        + "\n"
        + turn.t("Umur sekarang: {age}.", age=age_text(turn, age_on(plan.birth, plan.today)))
    ]
    if plan.due:
        lines = [turn.t("✅ Jadwalnya sekarang:")]
        for day, items in stages(plan.due):
            lines.append(f"• {labels(turn, items)}")
            lines.append("  " + turn.t("mulai {date}", date=format_date(day, turn.lang)))
        blocks.append("\n".join(lines))
    if plan.overdue:
        lines = [turn.t("⚠️ Sudah lewat jadwalnya. Kalau belum diberikan, masih bisa dikejar di puskesmas:")]
        for _day, items in stages(plan.overdue):
            lines.append(f"• {dose_age(turn, items[0].dose)}: {labels(turn, items)}")
        blocks.append("\n".join(lines))
    if plan.past:
        lines = [turn.t("❌ Sudah lewat batas umur, tidak diberikan lagi:")]
        for item in plan.past:
            assert item.latest is not None
            limit = format_date(item.latest, turn.lang, weekday=False)
            lines.append("• " + turn.t("{dose} (batas {date})", dose=item.dose.label.get(turn.lang), date=limit))
        blocks.append("\n".join(lines))
    if plan.coming:
        lines = [turn.t("📅 Berikutnya:")]
        for day, items in stages(plan.coming):
            lines.append(f"• {format_date(day, turn.lang)}")
            lines.append(f"  {labels(turn, items)}")
        blocks.append("\n".join(lines))
    else:
        blocks.append(turn.t("Semua imunisasi bayi dan balita sudah lewat waktunya. Cek Buku KIA anak Anda."))
    if schedule.school_doses:
        blocks.append(turn.t("Nanti di sekolah dasar ada imunisasi di sekolah (BIAS)."))
    blocks.append(notes(turn, schedule))
    return "\n\n".join(blocks)


def vaccine_text(turn: Turn, vaccine: Vaccine) -> str:
    lines = [
        turn.t(
            "{name}: melindungi dari {what}.", name=vaccine.name.get(turn.lang), what=vaccine.protects.get(turn.lang)
        )
    ]
    if vaccine.given is not None:
        lines.append(turn.t("Cara: {how}.", how=vaccine.given.get(turn.lang)))
    if len(vaccine.doses) > 1:  # "berapa kali?" after "vaksin PCV untuk apa" is answered in so many words
        lines.append(turn.nt("Diberikan {n} kali:", "Diberikan {n} kali:", len(vaccine.doses)))
    for dose in vaccine.doses:
        lines.append(f"• {dose.label.get(turn.lang)}: {_dose_when(turn, dose)}")
    if vaccine.regional:
        note = regional_note(turn, vaccine)
        lines.append(note[:1].upper() + note[1:] + ".")  # capitalize() would lower "Bali", "DI Yogyakarta"
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
        else turn.t("umur {age}", age=age_text(turn, dose.age))
    )
    extra = []
    if dose.min_age is not None:
        extra.append(turn.t("paling cepat umur {age}", age=age_text(turn, dose.min_age)))
    if dose.min_interval is not None:
        extra.append(turn.t("jarak minimal {gap} dari dosis sebelumnya", gap=age_text(turn, dose.min_interval)))
    if dose.max_age is not None:
        extra.append(turn.t("paling lambat umur {age}", age=age_text(turn, dose.max_age)))
    return f"{text} ({'; '.join(extra)})" if extra else text


def school_lines(turn: Turn, schedule: Schedule) -> list[str]:
    lines = []
    for grade, doses in school_by_grade(schedule):
        parts = []
        for _vaccine, dose in doses:
            label = dose.label.get(turn.lang) + (" " + turn.t("untuk anak perempuan") if dose.girls_only else "")
            parts.append(turn.t("{dose} ({month})", dose=label, month=_month_name(turn, dose.month or 1)))
        lines.append(turn.t("• Kelas {grade}:", grade=grade) + " " + "; ".join(parts))
    return lines


def catch_up_rules(turn: Turn, schedule: Schedule) -> list[str]:
    return [v.catch_up.get(turn.lang) for v in schedule.vaccines if v.catch_up is not None]


def age_text(turn: Turn, age: Age) -> str:
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


def dose_age(turn: Turn, dose: Dose, age: Age | None = None) -> str:
    if dose.age_text is not None:
        return dose.age_text.get(turn.lang)
    return age_text(turn, age or dose.age or Age())


def labels(turn: Turn, items: list[DatedDose]) -> str:
    parts = []
    for item in items:
        label = item.dose.label.get(turn.lang)
        if item.check_first:
            label += " " + turn.t("(perlu diperiksa dulu di puskesmas)")
        parts.append(label)
    return ", ".join(parts)


def regional_note(turn: Turn, vaccine: Vaccine) -> str:
    names = ", ".join(p.name for p in vaccine.provinces)
    return turn.t("hanya di daerah endemis, antara lain {provinces}", provinces=names)


def _month_name(turn: Turn, month: int) -> str:
    try:
        return babel_dates.format_date(date(2001, month, 1), "LLLL", locale=turn.lang)
    except (ValueError, LookupError):
        return babel_dates.format_date(date(2001, month, 1), "LLLL", locale="id")


def notes(turn: Turn, schedule: Schedule) -> str:
    lines = [schedule.notes.free.get(turn.lang)]
    if schedule.notes.record is not None:
        lines.append(schedule.notes.record.get(turn.lang))
    lines.append(source_line(turn, schedule))
    return "\n".join(lines)


def source_line(turn: Turn, schedule: Schedule) -> str:
    return source_text(turn, schedule.source, schedule.reviewed)


def source_text(turn: Turn, source: str, reviewed: date | None) -> str:
    when = format_date(reviewed, turn.lang, weekday=False) if reviewed else "-"
    return turn.t("Sumber: {source} (diperiksa {reviewed})", source=source, reviewed=when)
