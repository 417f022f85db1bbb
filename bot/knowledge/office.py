"""The office profile: who runs this bot and how residents reach a person."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.i18n import DEFAULT_LANG, available_languages, locales_dir, untranslated
from bot.knowledge.source import Document, Fields, Localized, Problems

FILES = ("office.yaml",)

TIMEZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}


@dataclass(frozen=True, slots=True)
class Office:
    name: str  # e.g. "Dinas Kesehatan Kota Pekanbaru"
    city: str  # e.g. "Kota Pekanbaru"
    region_code: str  # Kemendagri code of the city/regency, e.g. "14.71"
    hotline: str  # phone or WhatsApp number staff answer; empty when unknown
    hours: Localized  # when people answer, in words
    address: str
    complaints: Localized  # where to complain or give feedback
    timezone: str  # IANA name, e.g. "Asia/Jakarta"
    timezone_label: str  # "WIB", "WITA" or "WIT"
    emergency_number: str  # "119"
    mental_health_line: str  # e.g. "119 ext. 8 (SEJIWA)"
    website: str
    languages: tuple[str, ...] = ("id",)  # the languages residents are answered in; each needs every text
    language_follows_message: bool = True  # a clearly English/Indonesian message is answered in that language
    opens: time = time(8, 0)  # when officers answer chats (`open_hours: "08:00-16:00"`)
    closes: time = time(16, 0)
    workdays: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday is 0 (`open_days: "1-5"`, 1 = Monday)
    # A chat an officer holds goes back to the bot after this long without a message from either side
    # (`handover_timeout_minutes: 120`), and the resident is told.
    handover_timeout: timedelta = timedelta(minutes=120)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_open(self, now: datetime) -> bool:
        """Are officers at work at `now` (public holidays are not known here)?"""
        local = now.astimezone(self.zone)
        return local.weekday() in self.workdays and self.opens <= local.time() < self.closes

    def next_opening(self, now: datetime) -> datetime:
        """When officers are next at work (now, when they are)."""
        local = now.astimezone(self.zone)
        for days in range(8):
            day = (local + timedelta(days=days)).date()
            start = datetime.combine(day, self.opens, tzinfo=self.zone)
            if day.weekday() in self.workdays and local < datetime.combine(day, self.closes, tzinfo=self.zone):
                return max(start, local)
        return local  # no working day configured: say "now" rather than never


def parse(docs: list[Document], problems: Problems) -> Office | None:
    doc = docs[0]
    f = Fields(doc.data, doc.name, problems, "office")
    label = f.text("timezone", required=False, default="WIB").upper()
    zone = TIMEZONES.get(label)
    if zone is None:
        f.error("timezone", f"timezone must be one of {', '.join(TIMEZONES)}")
        zone = TIMEZONES["WIB"]
    try:
        ZoneInfo(zone)
    except ZoneInfoNotFoundError:  # pragma: no cover - tzdata is a dependency
        f.error("timezone", f"unknown timezone {zone}")
    office = Office(
        name=f.text("name"),
        city=f.text("city"),
        region_code=f.text("region_code"),
        hotline=f.text("hotline", required=False),
        hours=f.localized("hours") or Localized.plain(""),
        address=f.text("address", required=False),
        complaints=f.localized("complaints") or Localized.plain(""),
        timezone=zone,
        timezone_label=label if label in TIMEZONES else "WIB",
        emergency_number=f.text("emergency_number", required=False, default="119"),
        mental_health_line=f.text("mental_health_line", required=False, default="119 ext. 8"),
        website=f.text("website", required=False),
        languages=_languages(f),
        language_follows_message=f.boolean("language_follows_message", default=True),
        **_opening(f),
        **_handover_timeout(f),
    )
    f.done()
    return office


def _languages(f: Fields) -> tuple[str, ...]:
    """The office's languages, Indonesian first (it is the source language of every text).

    Residents are answered in each of them, so each needs every UI string translated (locales/);
    every content text needing one is checked when the whole content is read (content.py).
    """
    codes = tuple(dict.fromkeys(c.strip().lower() for c in f.texts("languages", required=False)))
    if codes and codes[0] != DEFAULT_LANG:
        f.error("languages", "languages must start with id (Indonesian is the source of every text)")
    for code in codes[1:]:
        if code not in available_languages():
            f.error("languages", f"'{code}' has no compiled catalogue in {locales_dir()}: add its translations first")
        elif missing := untranslated(code):
            shown = "; ".join(repr(m[:50]) for m in missing[:3]) + ("; ..." if len(missing) > 3 else "")
            f.error("languages", f"{len(missing)} UI string(s) have no '{code}' translation (e.g. {shown})")
    return codes or (DEFAULT_LANG,)


_HOURS = re.compile(r"^(\d{1,2})[:.](\d{2})\s*-\s*(\d{1,2})[:.](\d{2})$")
_DAYS = re.compile(r"^([1-7])\s*-\s*([1-7])$")


def _opening(f: Fields) -> dict[str, Any]:
    """`open_hours: "08:00-16:00"` and `open_days: "1-5"` (Monday to Friday), both optional."""
    found: dict[str, Any] = {}
    hours = f.text("open_hours", required=False)
    if hours:
        m = _HOURS.match(hours)
        if (
            m is None
            or not (0 <= int(m[1]) < 24 and 0 <= int(m[3]) < 24)
            or (int(m[1]), int(m[2])) >= (int(m[3]), int(m[4]))
        ):
            f.error("open_hours", "open_hours must look like 08:00-16:00")
        else:
            found["opens"], found["closes"] = time(int(m[1]), int(m[2])), time(int(m[3]), int(m[4]))
    days = f.text("open_days", required=False)
    if days:
        d = _DAYS.match(days)
        if d is None or d[1] > d[2]:
            f.error("open_days", "open_days must look like 1-5 (1 is Monday)")
        else:
            found["workdays"] = tuple(range(int(d[1]) - 1, int(d[2])))
    return found


def _handover_timeout(f: Fields) -> dict[str, Any]:
    minutes = f.integer("handover_timeout_minutes", required=False)
    if minutes is None:
        return {}
    if not 10 <= minutes <= 7 * 24 * 60:
        f.error("handover_timeout_minutes", "handover_timeout_minutes must be between 10 and 10080 (a week)")
        return {}
    return {"handover_timeout": timedelta(minutes=minutes)}
