"""The office profile: who runs this bot and how residents reach a person."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


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
    )
    f.done()
    return office


def _languages(f: Fields) -> tuple[str, ...]:
    """The office's languages, Indonesian first (it is the source language of every text)."""
    codes = tuple(dict.fromkeys(c.strip().lower() for c in f.texts("languages", required=False)))
    if codes and codes[0] != "id":
        f.error("languages", "languages must start with id (Indonesian is the source of every text)")
    return codes or ("id",)
