"""The personal schedule against the content file, computed here independently from the raw YAML."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.knowledge.content import load_content
from bot.topics.immunization import BirthProblem, Group, at_age, check_birth, find_vaccines, personal_schedule
from tests.support.immunization import PROVINCE, RAW, SCHEDULE, expected, label_of, months_days, shift

TODAYS = [date(2026, 11, 23), date(2027, 3, 1), date(2028, 2, 29), date(2026, 1, 31)]
AGES_IN_DAYS = [
    0, 1, 2, 20, 27, 28, 29, 30, 31, 45, 58, 59, 60, 61, 62, 75, 89, 90, 91, 92, 119, 120, 121, 122, 150,
    151, 180, 181, 200, 205, 207, 208, 209, 210, 211, 212, 240, 270, 271, 273, 300, 302, 304, 330, 365, 366,
    400, 500, 547, 548, 549, 550, 560, 600, 700, 1000, 1500, 2000, 2400, 2550,
]  # fmt: skip


@pytest.mark.parametrize("today", TODAYS, ids=str)
def test_groups_match_the_content_for_births_over_seven_years(today: date) -> None:
    for days in AGES_IN_DAYS:
        birth = today - timedelta(days=days)
        plan = personal_schedule(SCHEDULE, birth, today, PROVINCE)
        want = expected(birth, today)
        got = {d.dose.label.get(): (d.on, d.group.value) for d in plan.doses}
        assert got == {k: (v.on, v.group) for k, v in want.items()}, f"born {birth}, today {today}"
        # Each list is in date order, and together they hold every dose exactly once.
        lists = [plan.past, plan.overdue, plan.due, plan.coming]
        assert sum(len(x) for x in lists) == len(want)
        for items in lists:
            assert [d.on for d in items] == sorted(d.on for d in items)


def test_month_end_birth_dates() -> None:
    # Born 31 January: one month later is the end of February (28th, or 29th in a leap year).
    for birth, feb_end in ((date(2026, 1, 31), date(2026, 2, 28)), (date(2028, 1, 31), date(2028, 2, 29))):
        plan = personal_schedule(SCHEDULE, birth, birth + timedelta(days=40), PROVINCE)
        one_month = [d for d in plan.doses if months_days(_age_of(d.dose.label.get())) == (1, 0)]
        assert one_month and {d.on for d in one_month} == {feb_end}
        # On the last day of February those doses are due, not coming.
        on_feb_end = personal_schedule(SCHEDULE, birth, feb_end, PROVINCE)
        assert {d.dose.label.get() for d in on_feb_end.due} >= {d.dose.label.get() for d in one_month}
    # Born 31 August: three months later is 30 November.
    plan = personal_schedule(SCHEDULE, date(2026, 8, 31), date(2026, 12, 1), PROVINCE)
    three = [d for d in plan.doses if months_days(_age_of(d.dose.label.get())) == (3, 0)]
    assert three and {d.on for d in three} == {date(2026, 11, 30)}


def _age_of(label: str) -> str:
    for vaccine in RAW["vaccines"]:
        for dose in vaccine["doses"]:
            if label_of(dose) == label:
                return str(dose.get("age", ""))
    raise KeyError(label)


def _limited_series() -> tuple[list[dict], date]:
    """The series whose last dose has a max_age (rotavirus in the national schedule)."""
    for vaccine in RAW["vaccines"]:
        doses = [d for d in vaccine["doses"] if "age" in d]
        if doses and "max_age" in doses[-1]:
            return doses, date(2026, 1, 1)
    raise AssertionError("the content has no series with an upper age limit")


def test_upper_age_limit_of_the_last_dose_and_a_start_in_time() -> None:
    doses, birth = _limited_series()
    last_day = shift(birth, months_days(doses[-1]["max_age"]))
    labels = [label_of(d) for d in doses]
    # On the last allowed day, the last dose can still be given; the day after, it is no longer given.
    on_limit = {d.dose.label.get(): d.group for d in personal_schedule(SCHEDULE, birth, last_day, PROVINCE).doses}
    assert on_limit[labels[-1]] in {Group.OVERDUE, Group.DUE}
    after = {
        d.dose.label.get(): d.group for d in personal_schedule(SCHEDULE, birth, last_day + timedelta(1), PROVINCE).doses
    }
    assert all(after[label] is Group.PAST for label in labels)
    # The first dose must start early enough for every later dose to keep its minimum interval.
    gaps = [months_days(d["min_interval"]) for d in doses[1:] if "min_interval" in d]
    assert gaps, "the limited series states its minimum intervals"
    start_by = last_day
    for gap in reversed(gaps):
        start_by = shift(start_by, gap, -1)
    first = {d.dose.label.get(): d for d in personal_schedule(SCHEDULE, birth, start_by, PROVINCE).doses}[labels[0]]
    assert first.latest == start_by and first.group is not Group.PAST
    late = {d.dose.label.get(): d for d in personal_schedule(SCHEDULE, birth, start_by + timedelta(1), PROVINCE).doses}
    assert late[labels[0]].group is Group.PAST


def test_regional_vaccine_only_in_its_provinces() -> None:
    regional = [v for v in RAW["vaccines"] if v.get("provinces")]
    assert regional, "JE is marked regional in the content"
    vaccine = regional[0]
    inside = vaccine["provinces"][0]["code"]
    birth, today = date(2025, 1, 15), date(2026, 11, 23)
    labels_inside = {d.dose.label.get() for d in personal_schedule(SCHEDULE, birth, today, inside).doses}
    labels_here = {d.dose.label.get() for d in personal_schedule(SCHEDULE, birth, today, PROVINCE).doses}
    regional_labels = {label_of(d) for d in vaccine["doses"]}
    assert regional_labels <= labels_inside
    if PROVINCE not in {p["code"] for p in vaccine["provinces"]}:
        assert not regional_labels & labels_here
        assert vaccine["id"] in {v.id for v in personal_schedule(SCHEDULE, birth, today, PROVINCE).not_here}


def test_due_at_an_age_is_the_doses_of_that_age() -> None:
    for vaccine_age in sorted({str(d["age"]) for v in RAW["vaccines"] for d in v["doses"] if "age" in d}):
        months, days = months_days(vaccine_age)
        if (months, days) == (0, 0):
            continue
        from bot.knowledge.age import Age

        plan = at_age(SCHEDULE, Age(months, days), PROVINCE)
        due = {d.dose.label.get() for d in plan.due}
        want = {
            label_of(d)
            for v in RAW["vaccines"]
            if not v.get("provinces") or PROVINCE in [p["code"] for p in v["provinces"]]
            for d in v["doses"]
            if str(d.get("age")) == vaccine_age
        }
        assert want <= due, vaccine_age


def test_birth_dates_that_cannot_be_right() -> None:
    today = date(2026, 11, 23)
    assert check_birth(SCHEDULE, date(2026, 11, 24), today) is BirthProblem.FUTURE
    assert check_birth(SCHEDULE, date(1899, 12, 31), today) is BirthProblem.ABSURD
    limit = months_days(RAW["personal_until"])
    assert check_birth(SCHEDULE, shift(today, limit, -1), today) is BirthProblem.TOO_OLD
    assert check_birth(SCHEDULE, shift(today, limit, -1) + timedelta(1), today) is None
    assert check_birth(SCHEDULE, today, today) is None


@pytest.mark.parametrize(
    ("text", "vaccine_id"),
    [
        ("kapan BCG?", "bcg"),
        ("vaksin campak kapan", "mr"),
        ("imunisasi rotavirs", "rotavirus"),
        ("DPT-HB-Hib", "dpt_hb_hib"),
    ],
)
def test_vaccines_found_by_their_content_names(text: str, vaccine_id: str) -> None:
    assert vaccine_id in [v.id for v in find_vaccines(SCHEDULE, text)]


def test_no_vaccine_in_an_unrelated_text() -> None:
    assert find_vaccines(SCHEDULE, "anak saya lahir 3 agustus") == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("max_age: 6 bulan 29 hari}", "max_agee: 6 bulan 29 hari}", "unknown key 'max_agee'"),
        ("{label: PCV 3, age: 12 bulan}", "{label: PCV 3, age: 12 bulan, grade: 1, month: 8}", "exactly one of"),
        ('{code: "51", name: Bali}', '{code: "5X", name: Bali}', "two digits"),
        ("{label: MR, grade: 1, month: 8}", "{label: MR, grade: 1, month: 13}", "'month' must be from 1 to 12"),
        ("due_window: 1 bulan", "due_window: sebulan", "must be an age"),
        ("{label: IPV 2, age: 9 bulan}", "{label: IPV 1, age: 9 bulan}", "already used"),
    ],
)
def test_schedule_mistakes_are_reported_with_their_line(content_dir: Path, old: str, new: str, message: str) -> None:
    path = content_dir / "immunization.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    content, problems = load_content(content_dir)
    assert content is None
    line = next(i for i, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if new in row)
    assert any(p.file == "immunization.yaml" and p.line == line and message in p.message for p in problems.errors), [
        str(p) for p in problems.errors
    ]


def test_next_visit_is_the_first_coming_date_with_all_its_doses() -> None:
    from bot.topics.immunization import next_visit

    birth, today = date(2026, 8, 3), date(2026, 11, 23)
    visit = next_visit(personal_schedule(SCHEDULE, birth, today, PROVINCE))
    want = expected(birth, today)
    first = min(e.on for e in want.values() if e.group == "coming")
    assert visit is not None and visit[0] == first
    assert {d.dose.label.get() for d in visit[1]} == {e.label for e in want.values() if e.on == first}
    assert next_visit(personal_schedule(SCHEDULE, date(2020, 1, 1), today, PROVINCE)) is None
