"""A third language needs only catalogue and content files: Javanese (jv) as the example, no code change."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

from bot import i18n
from bot.engine.answer_language import guess as guess_lang
from bot.i18n_catalog import check
from bot.knowledge.content import load_content
from bot.runtime import Runtime
from tests.support.chat import Chat, payloads_of, text_of
from tests.support.cli import chat_jsonl
from tests.support.settings import make_settings

ROOT = Path(__file__).resolve().parent.parent

# A few strings a Javanese translator has done so far; everything else falls back to Indonesian.
JAVANESE = {
    "Pilih bahasa yang Anda inginkan:": "Mangga pilih basa ingkang panjenengan kersakaken:",
    "Baik, mulai sekarang saya menjawab dalam {language}.": "Inggih, wiwit sapunika kula mangsuli nganggo basa {language}.",
    "Halo! Saya TanyaSehat, asisten informasi {office}.": "Sugeng rawuh! Kula TanyaSehat, asisten informasi {office}.",
    "Silakan pilih topik di bawah ini, atau ketik pertanyaan Anda.": "Mangga pilih topik ing ngandhap, utawi serat pitakenan panjenengan.",
}
CKG_JV_TITLE = "Priksa Kesehatan Gratis"
CKG_JV_ANSWER = "Priksa Kesehatan Gratis (CKG) inggih punika priksa kesehatan tanpa mbayar saking pamarentah."


def _locales(tmp_path: Path) -> Path:
    """The real catalogues plus a small Javanese one, compiled with Babel's API (as `compile` does)."""
    locales = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", locales)
    catalog = Catalog(locale="jv", domain="messages", project="TanyaSehat", fuzzy=False)
    catalog.mime_headers = [("Plural-Forms", "nplurals=1; plural=0;")]
    for msgid, msgstr in JAVANESE.items():
        catalog.add(msgid, msgstr)
    target = locales / "jv" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with open(target / "messages.po", "wb") as fp:
        write_po(fp, catalog)
    with open(target / "messages.mo", "wb") as fp:
        write_mo(fp, catalog)
    return locales


def _content_with_javanese(content_dir: Path) -> None:
    """Add jv: texts to one FAQ entry, the way staff would (a comment-free rewrite of the copy is fine here)."""
    path = content_dir / "faq" / "ckg.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry = next(e for e in data["entries"] if e["id"] == "ckg")
    entry["title"]["jv"] = CKG_JV_TITLE
    entry["answer"]["jv"] = CKG_JV_ANSWER
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
async def javanese(
    tmp_path: Path, content_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[Runtime, Path, Path]]:
    locales = _locales(tmp_path)
    _content_with_javanese(content_dir)
    monkeypatch.setenv("LOCALES_DIR", str(locales))
    service = await Runtime.open(make_settings(tmp_path, content=content_dir), watch_interval=None)
    yield service, locales, content_dir
    await service.close()


async def test_bahasa_offers_the_new_language_and_the_bot_answers_in_it(
    javanese: tuple[Runtime, Path, Path],
) -> None:
    service, _, _ = javanese
    chat = Chat(service, user="jv-user", today=date(2026, 11, 23))
    offered = await chat.say("/bahasa")
    assert "lang:jv" in payloads_of(offered)
    assert "Jawa" in [b["label"] for r in offered["replies"] for b in r["buttons"]]

    switched = await chat.say("@btn lang:jv")
    assert switched["intent"] == "bahasa"
    assert "Inggih, wiwit sapunika kula mangsuli nganggo basa Jawa." in text_of(switched)

    greeted = await chat.say("halo")
    said = text_of(greeted)
    assert "Sugeng rawuh! Kula TanyaSehat" in said  # translated
    assert "Dalam keadaan darurat, segera telepon 119." in said  # not translated yet: Indonesian, not English

    answer = await chat.say("apa itu cek kesehatan gratis")
    assert answer["intent"] == "ckg"
    assert CKG_JV_ANSWER in text_of(answer)  # the content's jv text
    related = await chat.say("menu")
    labels = [b["label"] for r in related["replies"] for b in r["buttons"]]
    assert "Imunisasi" in labels  # a menu title without jv: Indonesian

    again = await chat.say("bahasa indonesia")
    assert "Baik, mulai sekarang saya menjawab dalam Bahasa Indonesia." in text_of(again)
    back = await chat.say("/bahasa jawa")  # named in the message: switch at once
    assert "Inggih" in text_of(back)


async def test_the_new_language_is_a_first_guess_and_content_check_lists_what_is_missing(
    javanese: tuple[Runtime, Path, Path],
) -> None:
    _, locales, content_dir = javanese
    assert i18n.available_languages() == ["en", "id", "jv"]
    assert guess_lang("jv-ID") == "jv"
    content, problems = load_content(content_dir)
    assert content is not None
    jv_warnings = [w for w in problems.warnings if "'jv' translation" in w.message]
    assert jv_warnings and any(w.file == "faq/ckg.yaml" for w in jv_warnings)
    assert not [w for w in problems.warnings if "'en' translation" in w.message and w.file == "faq/ckg.yaml"]
    # A partial regional catalogue is fine: only Indonesian and English must be complete.
    assert [p for p in check(ROOT, locales) if "/jv/" in p] == []


def test_chat_jsonl_process_reads_locales_dir(tmp_path: Path, content_dir: Path) -> None:
    locales = _locales(tmp_path)
    _content_with_javanese(content_dir)
    env = {**os.environ, "LOCALES_DIR": str(locales), "CONTENT_DIR": str(content_dir), "PSEUDONYM_KEY": "k"}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path}/bot.db"
    outputs = chat_jsonl(["/bahasa", "@btn lang:jv", "apa itu cek kesehatan gratis"], env)
    assert "lang:jv" in payloads_of(outputs[0])
    assert "Inggih" in text_of(outputs[1])
    assert CKG_JV_ANSWER in text_of(outputs[2])


async def test_enabling_the_new_language_before_it_is_translated_fails_content_check(
    javanese: tuple[Runtime, Path, Path],
) -> None:
    """Residents would read Indonesian in a Javanese chat: the office may enable jv only once it is all done."""
    _, _, content_dir = javanese
    office = content_dir / "office.yaml"
    office.write_text(office.read_text(encoding="utf-8").replace("languages: [id, en]", "languages: [id, en, jv]"))
    content, problems = load_content(content_dir)
    assert content is None
    assert any(
        p.file == "office.yaml" and "UI string(s) have no 'jv' translation" in p.message for p in problems.errors
    )
    faq_errors = {p.file for p in problems.errors if "no 'jv' translation" in p.message}
    assert "faq/ckg.yaml" in faq_errors and "faq/kantor.yaml" in faq_errors  # ckg has some jv, not all
