"""Translations and locale-aware formatting (Babel); Indonesian is the source language.

Message ids are written in Indonesian in the code: the Indonesian catalogue is the
reference and every other language translates from it.
"""

from __future__ import annotations

import gettext
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
DEFAULT_LANG = "id"


@lru_cache(maxsize=32)
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue for `lang`; Indonesian text (the msgids) when there is none."""
    try:
        return gettext.translation(DOMAIN, localedir=str(LOCALES_DIR), languages=[lang])
    except OSError:
        return gettext.NullTranslations()


def available_languages() -> list[str]:
    found = {DEFAULT_LANG}
    if LOCALES_DIR.is_dir():
        found.update(p.name for p in LOCALES_DIR.iterdir() if (p / "LC_MESSAGES").is_dir())
    return sorted(found)


def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT_LANG)


# Babel's "full" Indonesian date pads the day ("Selasa, 01 Desember 2026"); people write "1 Desember".
_DATE_PATTERNS = {"id": "EEEE, d MMMM y", "en": "EEEE, d MMMM y"}


def format_date(day: date, lang: str, *, weekday: bool = True) -> str:
    pattern = _DATE_PATTERNS.get(lang, "full") if weekday else "d MMMM y"
    return babel_dates.format_date(day, format=pattern, locale=_locale(lang))


def format_time(moment: datetime, lang: str) -> str:
    return babel_dates.format_time(moment, format="HH.mm" if lang == "id" else "HH:mm", locale=_locale(lang))


def format_decimal(value: float, lang: str, digits: int = 1) -> str:
    return babel_numbers.format_decimal(round(value, digits), locale=_locale(lang))
