"""Catalogues: every UI string in the code is in the Indonesian and English catalogues, compiled and current."""

from __future__ import annotations

import os
import shutil
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot import i18n
from bot.engine import answer_language
from bot.engine.dialogue import Dialogue
from bot.engine.feature import Feature
from bot.engine.features import FEATURES
from bot.engine.turn import Turn, reply
from bot.engine.types import Inbound, Outcome
from bot.i18n_catalog import COMPLETE, INDONESIAN_PLURALS, check, compile_all, extract, languages, read, update
from bot.knowledge.content import load_content
from bot.storage import migrations
from bot.storage.db import Database

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"


def test_the_real_catalogues_have_every_string_of_the_code_and_are_compiled() -> None:
    problems = check(ROOT, LOCALES)
    assert not problems, "run `python -m bot.i18n_catalog update`, translate, then `compile`:\n" + "\n".join(problems)


def test_extraction_finds_strings_in_code_and_templates() -> None:
    found = {str(m.id if isinstance(m.id, str) else m.id[0]): m.locations for m in extract(ROOT) if m.id}
    where = {path for locations in found.values() for path, _ in locations}
    assert "Menu utama" in found  # turn.t in the dialogue
    assert "{n} bulan" in found  # turn.nt plural
    assert any(p.endswith(".html") for p in where)  # t() in the dashboard templates
    assert any(p.startswith("bot/broadcast/") for p in where)  # _t(lang, ...) outside a Turn
    assert len(found) > 200


def test_indonesian_catalogue_has_one_plural_form_and_translates_to_itself() -> None:
    catalog = read(LOCALES / "id" / "LC_MESSAGES" / "messages.po", "id")
    assert catalog.plural_forms == INDONESIAN_PLURALS
    assert i18n.translations("id").ngettext("{n} bulan", "{n} bulan", 5) == "{n} bulan"
    for message in catalog:
        if message.id and isinstance(message.id, str):
            assert message.string == message.id


def test_english_plurals_and_formatting() -> None:
    en = i18n.translations("en")
    assert en.ngettext("{n} bulan", "{n} bulan", 1).format(n=1) == "1 month"
    assert en.ngettext("{n} bulan", "{n} bulan", 9).format(n=9) == "9 months"
    assert i18n.format_date(date(2026, 12, 1), "id") == "Selasa, 1 Desember 2026"
    assert i18n.format_date(date(2026, 12, 1), "en") == "Tuesday, 1 December 2026"
    assert i18n.format_decimal(1234.56, "id") == "1.234,6"
    assert i18n.format_decimal(1234.56, "en") == "1,234.6"
    moment = datetime(2026, 11, 23, 14, 5)
    assert (i18n.format_time(moment, "id"), i18n.format_time(moment, "en")) == ("14.05", "14:05")


# --- the check itself catches what it claims to catch --------------------------------------------------------


def _project(tmp_path: Path) -> tuple[Path, Path]:
    """A tiny project with babel.cfg, one module and the real locales copied."""
    root = tmp_path / "project"
    (root / "bot").mkdir(parents=True)
    shutil.copy(ROOT / "babel.cfg", root / "babel.cfg")
    (root / "bot" / "feature.py").write_text(
        'def answer(turn):\n    return turn.t("Menu utama") + turn.nt("{n} bulan", "{n} bulan", 2)\n', encoding="utf-8"
    )
    locales = root / "locales"
    shutil.copytree(LOCALES, locales)
    return root, locales


def test_check_reports_a_new_string_missing_from_both_catalogues(tmp_path: Path) -> None:
    root, locales = _project(tmp_path)
    assert check(root, locales) == []
    module = root / "bot" / "feature.py"
    module.write_text(module.read_text() + 'def more(turn):\n    return turn.t("Kalimat baru {x}", x=1)\n')
    problems = check(root, locales)
    assert any("id/LC_MESSAGES" in p and "Kalimat baru" in p and "missing" in p for p in problems)
    assert any("en/LC_MESSAGES" in p and "Kalimat baru" in p and "missing" in p for p in problems)


def test_update_fills_indonesian_but_english_stays_untranslated_until_a_translator_works(tmp_path: Path) -> None:
    root, locales = _project(tmp_path)
    module = root / "bot" / "feature.py"
    module.write_text(module.read_text() + 'def more(turn):\n    return turn.t("Kalimat baru {x}", x=1)\n')
    update(root, locales)
    compile_all(locales)
    problems = check(root, locales)
    assert problems and all("en/LC_MESSAGES" in p for p in problems), problems
    assert any("Kalimat baru" in p and "not translated" in p for p in problems)
    assert read(locales / "id" / "LC_MESSAGES" / "messages.po", "id").plural_forms == INDONESIAN_PLURALS


def test_check_reports_a_stale_compiled_catalogue_and_a_wrong_plural_header(tmp_path: Path) -> None:
    root, locales = _project(tmp_path)
    en_po = locales / "en" / "LC_MESSAGES" / "messages.po"
    en_po.write_text(en_po.read_text().replace('msgstr "Main menu"', 'msgstr "Home"'), encoding="utf-8")
    id_po = locales / "id" / "LC_MESSAGES" / "messages.po"
    id_po.write_text(id_po.read_text().replace(INDONESIAN_PLURALS, "nplurals=2; plural=(n != 1);"), encoding="utf-8")
    problems = check(root, locales)
    assert any("en/LC_MESSAGES/messages.mo" in p and "older" in p for p in problems), problems
    assert any("Plural-Forms" in p for p in problems), problems


def test_check_reports_a_translation_with_wrong_placeholders(tmp_path: Path) -> None:
    root, locales = _project(tmp_path)
    module = root / "bot" / "feature.py"
    module.write_text(module.read_text() + 'def more(turn):\n    return turn.t("Halo {nama}", nama="A")\n')
    update(root, locales)
    en_po = locales / "en" / "LC_MESSAGES" / "messages.po"
    text = en_po.read_text().replace('msgid "Halo {nama}"\nmsgstr ""', 'msgid "Halo {nama}"\nmsgstr "Hello {name}"')
    en_po.write_text(text, encoding="utf-8")
    compile_all(locales)
    problems = check(root, locales)
    assert any("placeholders" in p and "Halo" in p for p in problems), problems


# --- configuration, first guess, time zone ------------------------------------------------------------------


def test_locales_dir_is_configurable_and_a_recompiled_catalogue_is_picked_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, locales = _project(tmp_path)
    now = [time.monotonic()]
    monkeypatch.setattr(i18n, "_clock", lambda: now[0])
    monkeypatch.setenv("LOCALES_DIR", str(locales))
    assert i18n.locales_dir() == locales
    assert i18n.translations("en").gettext("Menu utama") == "Main menu"
    assert i18n.available_languages() == ["en", "id"]
    en_po = locales / "en" / "LC_MESSAGES" / "messages.po"
    en_po.write_text(en_po.read_text().replace('msgstr "Main menu"', 'msgstr "Home"'), encoding="utf-8")
    mo = compile_all(locales)[0]
    stat = mo.stat()  # a recompile within the same clock tick still counts as new
    os.utime(mo, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    # Not looked at again within RECHECK_SECONDS (a turn asks for its catalogue for every string)...
    assert i18n.translations("en").gettext("Menu utama") == "Main menu"
    now[0] += i18n.RECHECK_SECONDS
    assert i18n.translations("en").gettext("Menu utama") == "Home"  # ...and seen after it
    assert i18n.available_languages() == ["en", "id"]
    shutil.rmtree(locales / "en")
    assert i18n.available_languages() == ["en", "id"]  # the list, too, until RECHECK_SECONDS have passed
    now[0] += i18n.RECHECK_SECONDS
    assert i18n.available_languages() == ["id"]
    assert i18n.translations("en").gettext("Menu utama") == "Menu utama"  # Indonesian, never a crash
    other = tmp_path / "other"
    monkeypatch.setenv("LOCALES_DIR", str(other))  # another directory is seen at once
    assert i18n.available_languages() == ["id"] and i18n.locales_dir() == other


def test_first_guess_from_telegram_language_code_uses_the_languages_we_have() -> None:
    assert set(COMPLETE) <= set(languages(LOCALES))
    assert answer_language.guess("en-GB") == "en"
    assert answer_language.guess("EN") == "en"
    assert answer_language.guess("id") == "id"
    assert answer_language.guess("fr") == "id"  # no French catalogue: Indonesian
    assert answer_language.guess("") == "id"


@pytest.mark.parametrize(("label", "shown_id", "shown_en"), [("WIB", "08.30", "08:30"), ("WITA", "09.30", "09:30")])
async def test_the_office_time_zone_sets_the_time_a_user_is_shown(
    content_dir: Path, tmp_path: Path, label: str, shown_id: str, shown_en: str
) -> None:
    """The engine's clock (turn.now) is in the office's zone: WITA is Asia/Makassar, one hour after WIB."""
    office = content_dir / "office.yaml"
    office.write_text(office.read_text().replace("timezone: WIB", f"timezone: {label}"), encoding="utf-8")
    content, problems = load_content(content_dir)
    assert content is not None, problems.errors
    assert content.office.timezone == {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar"}[label]

    async def clock(turn: Turn) -> Outcome:
        text = f"{i18n.format_time(turn.now, turn.lang)} {turn.content.office.timezone_label}"
        return turn.outcome("clock", reply(text))

    db = Database(f"sqlite+aiosqlite:///{tmp_path}/clock.db")
    await migrations.upgrade(db)
    try:
        clock_feature = Feature(name="clock", commands={"/jam": clock}, not_answers=frozenset({"clock"}))
        talk = Dialogue(lambda: content, db, features=(*FEATURES, clock_feature), pseudonym_secret=b"k")
        at = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)
        said = await talk.handle(Inbound("console:clock", "console", text="/jam", at=at))
        assert said.replies[0].text == f"{shown_id} {label}"
        await talk.handle(Inbound("console:clock", "console", text="/bahasa english", at=at))
        said = await talk.handle(Inbound("console:clock", "console", text="/jam", at=at))
        assert said.replies[0].text == f"{shown_en} {label}"
    finally:
        await db.dispose()
