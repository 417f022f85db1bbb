"""The content store: validation with file and line, and reloads that never serve a broken edit."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from bot.engine.requirements import CHECKS as CODE_NEEDS
from bot.knowledge.check import check_directory
from bot.knowledge.content import load_content
from bot.knowledge.holder import ContentError, ContentHolder
from tests.support.settings import CONTENT, ROOT


def run_check(directory: Path) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = check_directory(directory, out, CODE_NEEDS)
    return code, out.getvalue().splitlines()


def test_shipped_content_is_valid() -> None:
    code, lines = run_check(CONTENT)
    assert code == 0, "\n".join(lines)


def test_broken_yaml_is_reported_with_its_line(content_dir: Path) -> None:
    path = content_dir / "faq" / "kantor.yaml"
    lines = path.read_text().splitlines()
    lines.insert(3, "    questions: [unclosed")
    path.write_text("\n".join(lines) + "\n")
    code, out = run_check(content_dir)
    assert code == 1
    assert any(line.startswith("faq/kantor.yaml:") and "YAML is broken" in line for line in out), out


def test_missing_required_field(content_dir: Path) -> None:
    path = content_dir / "office.yaml"
    text = path.read_text().replace("city: Kota Pekanbaru\n", "")
    path.write_text(text)
    code, out = run_check(content_dir)
    assert code == 1
    assert any(line.startswith("office.yaml:") and "missing required field 'city'" in line for line in out), out


def test_duplicate_id_names_both_places(content_dir: Path) -> None:
    (content_dir / "faq" / "zz_copy.yaml").write_text(
        "entries:\n"
        "  - id: kontak_kantor\n"
        "    title: Salinan\n"
        "    questions: [salinan]\n"
        "    answer: Salinan.\n"
        "    source: uji\n"
        "    reviewed: 2026-01-01\n"
    )
    code, out = run_check(content_dir)
    assert code == 1
    assert any(
        line.startswith("faq/zz_copy.yaml:2:") and "duplicate id 'kontak_kantor'" in line and "faq/kantor.yaml" in line
        for line in out
    ), out


def test_unknown_key_is_a_typo(content_dir: Path) -> None:
    path = content_dir / "office.yaml"
    path.write_text(path.read_text() + "hotlien: '0761'\n")
    code, out = run_check(content_dir)
    assert code == 1
    line_no = len(path.read_text().splitlines())
    assert f"office.yaml:{line_no}: office: unknown key 'hotlien'" in out, out


def test_duplicate_yaml_key(content_dir: Path) -> None:
    path = content_dir / "office.yaml"
    path.write_text(path.read_text() + "city: Kota Lain\n")
    code, out = run_check(content_dir)
    assert code == 1
    assert any("duplicate key 'city'" in line for line in out), out


def test_unknown_handler_is_reported(content_dir: Path) -> None:
    path = content_dir / "faq" / "zz_handler.yaml"
    path.write_text(
        "entries:\n  - id: coba_handler\n    title: {id: Coba, en: Try}\n    questions: [coba]\n    handler: tidak.ada\n"
    )
    code, out = run_check(content_dir)
    assert code == 1
    assert any(line.startswith("faq/zz_handler.yaml:2:") and "unknown handler 'tidak.ada'" in line for line in out)


def test_empty_and_unreadable_files(content_dir: Path) -> None:
    (content_dir / "office.yaml").write_text("")
    (content_dir / "language.yaml").write_bytes(b"\xff\xfe\x00garbage")
    code, out = run_check(content_dir)
    assert code == 1
    assert any(line.startswith("office.yaml:1:") for line in out)
    assert any(line.startswith("language.yaml:1:") for line in out)


def test_missing_directory() -> None:
    content, problems = load_content(Path("/nonexistent/content"))
    assert content is None and problems.errors


def test_version_changes_only_with_the_files(content_dir: Path) -> None:
    first, _ = load_content(content_dir)
    again, _ = load_content(content_dir)
    assert first is not None and again is not None and first.version == again.version
    path = content_dir / "office.yaml"
    path.write_text(path.read_text() + "# komentar\n")
    changed, _ = load_content(content_dir)
    assert changed is not None and changed.version != first.version


def test_holder_keeps_last_good_content_when_a_file_breaks(content_dir: Path) -> None:
    holder = ContentHolder(content_dir)
    good = holder.current
    path = content_dir / "office.yaml"
    original = path.read_text()
    path.write_text(original + "  : : broken\n")
    assert holder.reload_if_changed() is False
    assert holder.current is good
    assert holder.last_error and holder.last_error[0].file == "office.yaml"
    path.write_text(original.replace("Dinas Kesehatan Kota Pekanbaru", "Dinkes Kota Pekanbaru"))
    assert holder.reload_if_changed() is True
    assert holder.current.office.name == "Dinkes Kota Pekanbaru"
    assert holder.last_error == []


def test_holder_refuses_to_start_on_broken_content(content_dir: Path) -> None:
    (content_dir / "office.yaml").write_text("name: [")
    with pytest.raises(ContentError):
        ContentHolder(content_dir)


async def test_running_bot_answers_from_last_good_content(content_dir: Path, tmp_path: Path) -> None:
    import asyncio

    from bot.runtime import Runtime
    from tests.support.chat import Chat
    from tests.support.settings import make_settings

    service = await Runtime.open(make_settings(tmp_path, content=content_dir), watch_interval=None)
    watcher = asyncio.create_task(service.holder.watch(interval=0.05))
    try:
        chat = Chat(service)
        before = await chat.say("halo")
        (content_dir / "office.yaml").write_text("name: [broken\n")
        for _ in range(200):  # wait until the watcher has seen the edit and refused it
            if service.holder.last_error:
                break
            await asyncio.sleep(0.05)
        assert service.holder.last_error
        during = await chat.say("halo")
        assert during == before
        assert "Dinas Kesehatan Kota Pekanbaru" in during["replies"][0]["text"]
    finally:
        watcher.cancel()
        await service.close()


# ------------------------------------------------- what the code needs: one check for `content check` and reloads


def _misspell_a_handler(content_dir: Path) -> str:
    path = content_dir / "faq" / "imunisasi.yaml"
    text = path.read_text()
    assert "handler: immunization.schedule\n" in text
    path.write_text(text.replace("handler: immunization.schedule\n", "handler: immunization.schedul\n"))
    return path.read_text()


def _rename_an_entry(content_dir: Path) -> int:
    path = content_dir / "faq" / "imunisasi.yaml"
    text = path.read_text()
    path.write_text(text.replace("- id: imunisasi_jadwal\n", "- id: imunisasi_jadwal_lengkap\n"))
    return text.splitlines().index("  - id: imunisasi_jadwal") + 1


def test_content_check_reports_a_misspelt_handler_and_a_renamed_entry(content_dir: Path) -> None:
    _misspell_a_handler(content_dir)
    line = _rename_an_entry(content_dir)
    code, out = run_check(content_dir)
    assert code == 1
    assert any("faq/imunisasi.yaml:" in s and "unknown handler 'immunization.schedul'" in s for s in out), out
    assert any(
        s.startswith(f"faq/imunisasi.yaml:{line}:") and "entry 'imunisasi_jadwal' is missing" in s for s in out
    ), out


def test_a_menu_entry_the_code_needs_cannot_be_removed(content_dir: Path) -> None:
    path = next(p for p in (content_dir / "faq").glob("*.yaml") if "- id: info_kesehatan\n" in p.read_text())
    path.write_text(path.read_text().replace("- id: info_kesehatan\n", "- id: info_sehat\n"))
    code, out = run_check(content_dir)
    assert code == 1
    assert any("entry 'info_kesehatan' is missing: the code links to it (the main menu)" in s for s in out), out


async def test_live_reload_refuses_what_content_check_refuses(content_dir: Path, tmp_path: Path) -> None:
    """The running bot's holder runs the same check: a bad handler or a renamed entry never goes live."""
    from bot.runtime import Runtime
    from tests.support.settings import make_settings

    service = await Runtime.open(make_settings(tmp_path, content=content_dir), watch_interval=None)
    try:
        holder = service.holder
        good = holder.current
        path = content_dir / "faq" / "imunisasi.yaml"
        original = path.read_text()
        for spoil in (_misspell_a_handler, _rename_an_entry):
            path.write_text(original)
            spoil(content_dir)
            assert holder.reload() is False
            assert holder.current is good
            # shown on /healthz; a renamed entry also orphans residents' phrasings of it (phrasings.yaml)
            assert holder.last_error and "faq/imunisasi.yaml" in {p.file for p in holder.last_error}
        path.write_text(original.replace("Jadwal imunisasi", "Jadwal imunisasi anak", 1))
        assert holder.reload() is True and holder.last_error == []
    finally:
        await service.close()


# --- translations: every language the office answers in needs every text --------------------------------------


def _drop_english(content_dir: Path) -> int:
    """Remove the English of the BCG catch-up rule; the line of the text that lost it."""
    path = content_dir / "immunization.yaml"
    english = '      en: "BCG given after 3 months of age needs a check at the puskesmas first."\n'
    text = path.read_text(encoding="utf-8")
    assert english in text
    path.write_text(text.replace(english, ""), encoding="utf-8")
    return text[: text.index(english)].count("\n") - 1  # the catch_up: key, a line above its id:


def test_a_missing_english_text_fails_content_check_when_the_office_answers_in_english(content_dir: Path) -> None:
    line = _drop_english(content_dir)
    code, out = run_check(content_dir)
    assert code == 1
    assert f"immunization.yaml:{line}: no 'en' translation: office.yaml answers residents in 'en'" in out, out
    assert out[-1].endswith("content NOT valid")


def test_the_same_gap_only_warns_when_english_is_not_enabled(content_dir: Path) -> None:
    line = _drop_english(content_dir)
    office = content_dir / "office.yaml"
    office.write_text(office.read_text(encoding="utf-8").replace("languages: [id, en]", "languages: [id]"))
    code, out = run_check(content_dir)
    assert code == 0, out
    assert any(o.startswith(f"immunization.yaml:{line}: warning:") and "no 'en' translation" in o for o in out), out


def test_names_need_no_translation_but_sentences_do(content_dir: Path) -> None:
    """A vaccine's name or dose label written plain ("BCG") is the same in every language."""
    path = content_dir / "immunization.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("name: {id: Campak-Rubela (MR), en: Measles-Rubella (MR)}", "name: Campak-Rubela (MR)")
    assert "name: Campak-Rubela (MR)\n" in text
    path.write_text(text, encoding="utf-8")
    assert run_check(content_dir)[0] == 0
    faq = content_dir / "faq" / "zz_plain.yaml"
    faq.write_text(
        "entries:\n  - id: coba_plain\n    title: Coba\n    questions: [coba]\n    answer: Ini jawaban.\n    source: Uji\n    reviewed: 2026-11-30\n"
    )
    code, out = run_check(content_dir)
    assert code == 1
    assert {o.split(": ", 1)[0] for o in out if "no 'en' translation" in o} == {
        "faq/zz_plain.yaml:3",
        "faq/zz_plain.yaml:5",
    }


def test_an_enabled_language_without_a_catalogue_fails(content_dir: Path) -> None:
    office = content_dir / "office.yaml"
    text = office.read_text(encoding="utf-8")
    office.write_text(text.replace("languages: [id, en]", "languages: [id, en, su]"), encoding="utf-8")
    line = text[: text.index("languages: [id, en]")].count("\n") + 1
    code, out = run_check(content_dir)
    assert code == 1
    assert any(o.startswith(f"office.yaml:{line}:") and "'su' has no compiled catalogue" in o for o in out), out


def test_an_enabled_language_with_untranslated_ui_strings_fails(
    content_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The English catalogue lost one string: residents would read it in Indonesian."""
    from babel.messages.mofile import read_mo, write_mo

    locales = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", locales)
    mo = locales / "en" / "LC_MESSAGES" / "messages.mo"
    with open(mo, "rb") as fp:
        catalog = read_mo(fp)
    catalog.delete("Menu utama")
    with open(mo, "wb") as fp:
        write_mo(fp, catalog)
    monkeypatch.setenv("LOCALES_DIR", str(locales))
    code, out = run_check(content_dir)
    assert code == 1
    assert any(
        o.startswith("office.yaml:") and "1 UI string(s) have no 'en' translation (e.g. 'Menu utama')" in o for o in out
    )
