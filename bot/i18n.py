"""Translations and locale-aware formatting (Babel); Indonesian is the source language.

Message ids are written in Indonesian in the code: the Indonesian catalogue is the
reference and every other language translates from it.
"""

from __future__ import annotations

import gettext
import os
import time
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.messages.mofile import read_mo

DEFAULT_LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
DEFAULT_LANG = "id"  # the source language: the one home of this code (state, content, catalogues use it)
# How long a catalogue or the language list is used before the files are looked at again: a turn asks
# for its catalogue for every string it says (a stat each, bench/RESULTS.md issue 23), and a
# translator's recompile is still seen within this.
RECHECK_SECONDS = 1.0
_clock: Callable[[], float] = time.monotonic
T = TypeVar("T")


def locales_dir() -> Path:
    """Where the catalogues are: env LOCALES_DIR (a translator's working copy, tests), else the repo's locales/."""
    configured = os.environ.get("LOCALES_DIR", "").strip()
    return Path(configured) if configured else DEFAULT_LOCALES_DIR


def _mo_path(directory: Path, lang: str) -> Path:
    return directory / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


@lru_cache(maxsize=256)
def _mo_file(directory: str, lang: str) -> str:
    """The catalogue's path as a string: asked for every translated string, so built once."""
    return os.path.join(directory, lang, "LC_MESSAGES", f"{DOMAIN}.mo")


def _directory() -> str:
    configured = os.environ.get("LOCALES_DIR", "").strip()
    return configured or _DEFAULT_DIR


_DEFAULT_DIR = str(DEFAULT_LOCALES_DIR)


def _stamp(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


class _Recent:
    """Answers looked up in the last RECHECK_SECONDS, by (directory, what); another LOCALES_DIR is another key."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, str], tuple[float, object]] = {}

    def fresh(self, key: tuple[str, str]) -> object | None:
        found = self._found.get(key)
        return found[1] if found is not None and _clock() < found[0] else None

    def keep(self, key: tuple[str, str], value: T) -> T:
        if len(self._found) > 512:  # languages are few; this only bounds odd codes asked for
            self._found.clear()
        self._found[key] = (_clock() + RECHECK_SECONDS, value)
        return value


_recent = _Recent()


def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue for `lang`; Indonesian text (the msgids) when there is none."""
    directory = _directory()
    found = _recent.fresh((directory, lang))
    if isinstance(found, gettext.NullTranslations):
        return found
    # Keyed by directory and file time: a recompiled catalogue is loaded when the file is next looked at.
    return _recent.keep((directory, lang), _load(directory, lang, _stamp(_mo_file(directory, lang))))


@lru_cache(maxsize=64)
def _load(directory: str, lang: str, stamp: int) -> gettext.NullTranslations:
    if not stamp:
        return gettext.NullTranslations()
    try:
        with open(_mo_file(directory, lang), "rb") as fp:
            return gettext.GNUTranslations(fp)
    except (OSError, ValueError):  # unreadable or broken .mo: Indonesian rather than a crash
        return gettext.NullTranslations()


def available_languages() -> list[str]:
    """Indonesian plus every language with a compiled catalogue in the locales dir (a new list each call)."""
    directory = _directory()
    found = _recent.fresh((directory, ""))
    if not isinstance(found, tuple):
        found = _recent.keep((directory, ""), _languages(directory))
    return list(found)


def _languages(directory: str) -> tuple[str, ...]:
    # The directory is listed again only when an entry was added or removed (its time changes);
    # each candidate's catalogue is looked for, so a new compile counts.
    candidates = _candidates(directory, _stamp(directory))
    return tuple(sorted({DEFAULT_LANG, *(lang for lang in candidates if os.path.isfile(_mo_file(directory, lang)))}))


@lru_cache(maxsize=16)
def _candidates(directory: str, stamp: int) -> tuple[str, ...]:
    if not stamp:
        return ()
    try:
        return tuple(sorted(entry.name for entry in os.scandir(directory) if entry.is_dir()))
    except OSError:
        return ()


def untranslated(lang: str) -> list[str]:
    """The UI strings (Indonesian msgids) that `lang`'s compiled catalogue does not translate.

    The Indonesian catalogue holds every string of the code (a test keeps it so); a language's .mo
    holds only what its translator finished, so the difference is what would show in Indonesian.
    """
    directory = locales_dir()
    every, done = _msgids(_mo_path(directory, DEFAULT_LANG)), _msgids(_mo_path(directory, lang))
    return sorted(every - done)


def _msgids(path: Path) -> set[str]:
    try:
        with open(path, "rb") as fp:
            catalog = read_mo(fp)
    except (OSError, ValueError):
        return set()
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and m.string}


@lru_cache(maxsize=32)
def _locale(lang: str) -> Locale:
    """Babel's locale, parsed once per code (every date and number of an answer asks for it)."""
    try:
        return Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT_LANG)


# Babel's "full" Indonesian date pads the day ("Selasa, 01 Desember 2026"); people write "1 Desember".
_DATE_PATTERNS = {"id": "EEEE, d MMMM y", "en": "EEEE, d MMMM y"}


@lru_cache(maxsize=1024)
def format_date(day: date, lang: str, *, weekday: bool = True) -> str:
    """A day as the language writes it; the same few dates (today, a child's due doses) recur in every answer."""
    pattern = _DATE_PATTERNS.get(lang, "full") if weekday else "d MMMM y"
    return babel_dates.format_date(day, format=pattern, locale=_locale(lang))


def format_time(moment: datetime, lang: str) -> str:
    return babel_dates.format_time(moment, format="HH.mm" if lang == "id" else "HH:mm", locale=_locale(lang))


def format_decimal(value: float, lang: str, digits: int = 1) -> str:
    return babel_numbers.format_decimal(round(value, digits), locale=_locale(lang))
