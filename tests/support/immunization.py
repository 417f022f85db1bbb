"""An independent reading of content/immunization.yaml: when each dose falls and which group it is in on a day."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

import yaml

from bot.knowledge.content import load_content
from tests.support.settings import CONTENT

RAW = yaml.safe_load((CONTENT / "immunization.yaml").read_text(encoding="utf-8"))
OFFICE = yaml.safe_load((CONTENT / "office.yaml").read_text(encoding="utf-8"))
PROVINCE = str(OFFICE["region_code"]).split(".")[0]
LOADED, _problems = load_content(CONTENT)
assert LOADED is not None
SCHEDULE = LOADED.immunization


def months_days(text: str) -> tuple[int, int]:
    """Independent reading of "6 bulan 29 hari" as (months, days)."""
    months = days = 0
    for n, unit in re.findall(r"(\d+)\s*(hari|minggu|bulan|tahun)", text):
        months += int(n) * {"bulan": 1, "tahun": 12}.get(unit, 0)
        days += int(n) * {"hari": 1, "minggu": 7}.get(unit, 0)
    return months, days


def shift(day: date, span: tuple[int, int], sign: int = 1) -> date:
    """Add (or subtract) months then days; a month that has no such day ends on its last day."""
    months, days = span
    if sign < 0:
        day -= timedelta(days=days)
    y, m = divmod(day.month - 1 + sign * months, 12)
    year, month = day.year + y, m + 1
    moved = date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    return moved + timedelta(days=days) if sign > 0 else moved


def in_lang(value: object, lang: str = "id") -> str:
    """A text as written in the YAML: plain, or {id: ..., en: ...} (the Indonesian one unless asked)."""
    return str(value.get(lang) or value["id"]) if isinstance(value, dict) else str(value)


def label_of(dose: dict, lang: str = "id") -> str:
    return in_lang(dose["label"], lang)


@dataclass
class Expected:
    label: str
    on: date
    group: str


def expected(birth: date, today: date) -> dict[str, Expected]:
    window = months_days(RAW["due_window"])
    out = {}
    for vaccine in RAW["vaccines"]:
        codes = [p["code"] for p in vaccine.get("provinces") or []]
        if codes and PROVINCE not in codes:
            continue
        doses = [d for d in vaccine["doses"] if "age" in d]
        # Latest dates: a dose's own max_age, or the next dose's latest minus that dose's min_interval.
        latest: list[date | None] = [None] * len(doses)
        nxt: date | None = None
        for i in reversed(range(len(doses))):
            options = []
            if "max_age" in doses[i]:
                options.append(shift(birth, months_days(doses[i]["max_age"])))
            if nxt is not None and "min_interval" in doses[i + 1]:
                options.append(shift(nxt, months_days(doses[i + 1]["min_interval"]), -1))
            latest[i] = min(options) if options else None
            nxt = latest[i]
        for dose, last in zip(doses, latest, strict=True):
            on = shift(birth, months_days(str(dose["age"])))
            until = shift(
                on, months_days(dose.get("due_window", RAW["due_window"])) if dose.get("due_window") else window
            )
            if on > today:
                group = "coming"
            elif last is not None and today > last:
                group = "past"
            elif today < until:
                group = "due"
            else:
                group = "overdue"
            out[label_of(dose)] = Expected(label_of(dose), on, group)
    return out
