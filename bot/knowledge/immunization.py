"""The national immunization schedule as data: vaccines, their doses by age or school grade, notes, KIPI.

Code knows no vaccine by name: every age, limit and interval comes from
content/immunization.yaml, so staff change the schedule without a programmer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.knowledge.age import Age, parse_age
from bot.knowledge.source import Document, Fields, LineMap, Localized, Problems

FILES = ("immunization.yaml",)

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,29}$")
PROVINCE_CODE = re.compile(r"^\d{2}$")


@dataclass(frozen=True, slots=True)
class Dose:
    label: Localized  # "Rotavirus 2"; {id: "MR lanjutan", en: "MR booster"}
    vaccine_id: str
    age: Age | None  # recommended age (infant/toddler schedule); None for a school dose
    grade: int | None  # SD grade for a school (BIAS) dose
    month: int | None  # month of the school year's BIAS round (1-12)
    age_text: Localized | None  # how to say the age when the number alone is misleading ("dalam 24 jam...")
    min_age: Age | None
    min_interval: Age | None  # to the previous dose of the same vaccine
    max_age: Age | None  # after this age the dose is not given any more
    due_window: Age | None  # overrides the schedule's due_window
    check_after: Age | None  # after this age the child is checked at the puskesmas first
    girls_only: bool
    line: int

    @property
    def at_school(self) -> bool:
        return self.grade is not None


@dataclass(frozen=True, slots=True)
class Province:
    code: str  # Kemendagri province code, e.g. "51"
    name: str


@dataclass(frozen=True, slots=True)
class Vaccine:
    id: str
    name: Localized  # "Campak-Rubela (MR)" / "Measles-Rubella (MR)": the programme's short name kept in brackets
    names: tuple[str, ...]  # what residents type for it, lower case
    protects: Localized
    given: Localized | None
    note: Localized | None
    catch_up: Localized | None
    provinces: tuple[Province, ...]  # non-empty: a regional vaccine, only in these provinces
    doses: tuple[Dose, ...]

    @property
    def regional(self) -> bool:
        return bool(self.provinces)

    def given_in(self, province_code: str | None) -> bool:
        """Whether this vaccine belongs to the routine schedule of a province (national ones: everywhere)."""
        return not self.provinces or any(p.code == province_code for p in self.provinces)


@dataclass(frozen=True, slots=True)
class Kipi:
    mild: Localized
    care: Localized
    see_health_worker: Localized
    emergency: Localized
    report: Localized | None
    source: str
    reviewed: dt.date | None


@dataclass(frozen=True, slots=True)
class Notes:
    free: Localized
    record: Localized | None
    idai: Localized | None
    catch_up: Localized
    bias: Localized | None
    complete: Localized | None = None  # what "imunisasi dasar lengkap" means, for the topic's overview


@dataclass(frozen=True, slots=True)
class Schedule:
    source: str
    source_detail: str
    reviewed: dt.date | None
    due_window: Age
    personal_until: Age
    notes: Notes
    kipi: Kipi
    vaccines: tuple[Vaccine, ...]

    def vaccine(self, vaccine_id: str) -> Vaccine | None:
        return next((v for v in self.vaccines if v.id == vaccine_id), None)

    @property
    def infant_doses(self) -> tuple[Dose, ...]:
        """Doses given by age, in file order."""
        return tuple(d for v in self.vaccines for d in v.doses if d.age is not None)

    @property
    def school_doses(self) -> tuple[Dose, ...]:
        """Doses given at school (BIAS), by grade then month, file order within."""
        doses = [d for v in self.vaccines for d in v.doses if d.grade is not None]
        return tuple(sorted(doses, key=lambda d: (d.grade or 0, d.month or 0)))


_PLACEHOLDER_TEXT = Localized.plain("-")


def parse(docs: list[Document], problems: Problems) -> Schedule | None:
    doc = docs[0]
    f = Fields(doc.data, doc.name, problems, "immunization")
    if not f.ok:
        return None
    schedule = Schedule(
        source=f.text("source"),
        source_detail=f.text("source_detail", required=False),
        reviewed=f.date("reviewed"),
        due_window=_age(f, "due_window", required=False) or Age(1, 0),
        personal_until=_age(f, "personal_until", required=False) or Age(84, 0),
        notes=_notes(f.mapping("notes"), doc.name, problems, f.line),
        kipi=_kipi(f.mapping("kipi"), doc.name, problems, f.line),
        vaccines=_vaccines(f, doc.name, problems),
    )
    f.done()
    if not schedule.infant_doses:
        f.error("vaccines", "no dose has an 'age': the schedule would be empty")
    return schedule


def _age(f: Fields, key: str, required: bool = True) -> Age | None:
    text = f.text(key, required=required)
    if not text:
        return None
    age = parse_age(text)
    if age is None:
        f.error(key, f"'{key}' must be an age like '2 bulan', '4 minggu' or '6 bulan 29 hari', got '{text}'")
    return age


def _notes(data: LineMap | None, file: str, problems: Problems, line: int) -> Notes:
    if data is None:  # already reported as missing; the placeholder never reaches residents
        return Notes(_PLACEHOLDER_TEXT, None, None, _PLACEHOLDER_TEXT, None)
    f = Fields(data, file, problems, "notes", line)
    notes = Notes(
        free=f.localized("free") or _PLACEHOLDER_TEXT,
        record=f.localized("record", required=False),
        idai=f.localized("idai", required=False),
        catch_up=f.localized("catch_up") or _PLACEHOLDER_TEXT,
        bias=f.localized("bias", required=False),
        complete=f.localized("complete", required=False),
    )
    f.done()
    return notes


def _kipi(data: LineMap | None, file: str, problems: Problems, line: int) -> Kipi:
    if data is None:  # already reported as missing; the placeholder never reaches residents
        return Kipi(*(_PLACEHOLDER_TEXT,) * 4, None, "", None)
    f = Fields(data, file, problems, "kipi", line)
    kipi = Kipi(
        mild=f.localized("mild") or _PLACEHOLDER_TEXT,
        care=f.localized("care") or _PLACEHOLDER_TEXT,
        see_health_worker=f.localized("see_health_worker") or _PLACEHOLDER_TEXT,
        emergency=f.localized("emergency") or _PLACEHOLDER_TEXT,
        report=f.localized("report", required=False),
        source=f.text("source"),
        reviewed=f.date("reviewed"),
    )
    f.done()
    return kipi


def _vaccines(top: Fields, file: str, problems: Problems) -> tuple[Vaccine, ...]:
    out: list[Vaccine] = []
    seen_ids: set[str] = set()
    seen_labels: dict[str, int] = {}
    for line, raw in top.items("vaccines"):
        f = Fields(raw, file, problems, "vaccine", line)
        if not f.ok:
            continue
        vaccine_id = f.identifier(ID_PATTERN, "vaccine", "lowercase letters, digits or _, starting with a letter")
        if vaccine_id in seen_ids:
            f.error("id", f"duplicate vaccine id '{vaccine_id}'")
        seen_ids.add(vaccine_id)
        names = tuple(" ".join(n.lower().split()) for n in f.texts("names"))
        vaccine = Vaccine(
            id=vaccine_id,
            name=f.localized("name", name=True) or Localized.plain(vaccine_id),
            names=names,
            protects=f.localized("protects") or _PLACEHOLDER_TEXT,
            given=f.localized("given", required=False),
            note=f.localized("note", required=False),
            catch_up=f.localized("catch_up", required=False),
            provinces=_provinces(f, file, problems),
            doses=_doses(f, vaccine_id, file, problems),
        )
        f.done()
        for dose in (d for d in vaccine.doses if d.age is not None):  # school doses repeat by grade ("Td")
            label = dose.label.get()
            if label in seen_labels:
                problems.error(file, dose.line, f"dose '{label}' already used at line {seen_labels[label]}")
            seen_labels.setdefault(label, dose.line)
        out.append(vaccine)
    return tuple(out)


def _provinces(vf: Fields, file: str, problems: Problems) -> tuple[Province, ...]:
    out = []
    for line, raw in vf.items("provinces", required=False):
        f = Fields(raw, file, problems, f"{vf.where}: province", line)
        code, name = f.text("code"), f.text("name")
        if code and not PROVINCE_CODE.match(code):
            f.error("code", f"province code must be two digits (Kemendagri), got '{code}'")
        f.done()
        if code and name:
            out.append(Province(code, name))
    return tuple(out)


def _doses(vf: Fields, vaccine_id: str, file: str, problems: Problems) -> tuple[Dose, ...]:
    out: list[Dose] = []
    for line, raw in vf.items("doses"):
        f = Fields(raw, file, problems, f"{vf.where}: dose", line)
        if not f.ok:
            continue
        label = f.localized("label", name=True) or Localized.plain("-")
        f.where = f"{vf.where}: dose '{label}'"
        dose = Dose(
            label=label,
            vaccine_id=vaccine_id,
            age=_age(f, "age", required=False),
            grade=f.integer("grade", required=False),
            month=f.integer("month", required=False),
            age_text=f.localized("age_text", required=False),
            min_age=_age(f, "min_age", required=False),
            min_interval=_age(f, "min_interval", required=False),
            max_age=_age(f, "max_age", required=False),
            due_window=_age(f, "due_window", required=False),
            check_after=_age(f, "check_after", required=False),
            girls_only=f.boolean("girls_only"),
            line=f.line,
        )
        f.done()
        _check_dose(f, dose)
        out.append(dose)
    return tuple(out)


def _check_dose(f: Fields, dose: Dose) -> None:
    by_age, at_school = dose.age is not None or "age" in f.data, dose.grade is not None or "grade" in f.data
    if by_age == at_school:
        f.error(None, "needs exactly one of 'age' (given by age) or 'grade' + 'month' (given at school, BIAS)")
    if at_school:
        if dose.grade is not None and not 1 <= dose.grade <= 12:
            f.error("grade", "'grade' must be a school grade from 1 to 12")
        if dose.month is None:
            f.error(None, "a school dose needs 'month' (1-12): the month of its BIAS round")
        elif not 1 <= dose.month <= 12:
            f.error("month", "'month' must be from 1 to 12")
        for key in ("min_age", "max_age", "due_window", "check_after", "age_text"):
            if key in f.data:
                f.error(key, f"'{key}' applies only to doses given by age")
    elif "month" in f.data:
        f.error("month", "'month' applies only to school doses (with 'grade')")
    if dose.age is not None:
        # Months and days are compared as (months, days): exact enough for these sanity checks.
        if dose.min_age is not None and dose.min_age > dose.age:
            f.error("min_age", "'min_age' is later than the recommended 'age'")
        if dose.max_age is not None and dose.max_age < dose.age:
            f.error("max_age", "'max_age' is earlier than the recommended 'age'")
