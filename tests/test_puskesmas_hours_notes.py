"""What a source said about puskesmas hours (content/puskesmas.yaml `hours_notes`), said as it was said.

Kota Pekanbaru: since 2 January 2026 all 21 puskesmas serve until 21.00 WIB (FACTS.md §7); no source
gives the opening time, so the bot repeats the note instead of "Jam buka: belum tersedia" and
never shows opening hours of its own.
"""

from __future__ import annotations

import json
import os
from datetime import date
from io import StringIO
from pathlib import Path

import yaml

from bot.engine.requirements import CHECKS as CODE_NEEDS
from bot.knowledge.check import check_directory
from bot.runtime import Runtime
from tests.support.chat import Chat, text_of
from tests.support.cli import run_bot
from tests.support.settings import CONTENT, make_settings

RAW = yaml.safe_load((CONTENT / "puskesmas.yaml").read_text(encoding="utf-8"))
NOTE = RAW["hours_notes"][0]
SINCE: date = NOTE["since"]
WITH_POINT = [p for p in RAW["puskesmas"] if p["lat"] is not None]


def test_the_note_is_pekanbarus_announcement() -> None:
    assert NOTE["applies_to"] == "all" and NOTE["since"].isoformat() == "2026-01-02"
    assert "21.00" in NOTE["text"]["id"] and "21:00" in NOTE["text"]["en"]
    assert "Tribun Pekanbaru, 2 Januari 2026" in NOTE["source"] and NOTE["reviewed"]
    assert all(p["hours"] == {} for p in RAW["puskesmas"])  # no invented timetable beside it


def test_chat_says_what_is_known_about_the_hours(tmp_path: Path) -> None:
    """Through the real `chat --jsonl`: nearest from a location, and a puskesmas by name."""
    near = WITH_POINT[0]
    lines = ["puskesmas terdekat", f"@loc {near['lat']} {near['lon']}", f"jam buka puskesmas {near['name'].lower()}"]
    env = dict(
        os.environ, DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/c.db", PSEUDONYM_KEY="k", CONTENT_DIR=str(CONTENT)
    )
    done = run_bot("chat", "--jsonl", "--today", "2026-11-23", input="\n".join(lines) + "\n", env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    got = [json.loads(line) for line in done.stdout.splitlines()]
    for answer in got[1:]:
        text = text_of(answer)
        assert f"Puskesmas {near['name']}" in text
        assert NOTE["text"]["id"] in text and "Jam buka: belum tersedia" not in text
        assert NOTE["source"] in text  # the answer names where the hours come from
        assert "buka sekarang" not in text and "tutup sekarang" not in text  # no opening time: no open/closed claim


async def test_before_the_announcement_the_hours_are_unknown(service: Runtime) -> None:
    chat = Chat(service, user="before", today=date(2025, 12, 31))
    near = WITH_POINT[0]
    await chat.say("puskesmas terdekat")
    text = text_of(await chat.say(f"@loc {near['lat']} {near['lon']}"))
    assert "Jam buka: belum tersedia" in text and NOTE["text"]["id"] not in text
    assert "Sumber jam layanan" not in text


async def test_in_english(service: Runtime) -> None:
    chat = Chat(service, user="english", today=date(2026, 11, 23))
    near = WITH_POINT[1]
    text = text_of(await chat.say(f"what are the opening hours of puskesmas {near['name'].lower()}"))
    assert NOTE["text"]["en"] in text and "Source of the service hours" in text


async def test_a_real_timetable_wins_over_the_note(content_dir: Path, tmp_path: Path) -> None:
    """Once staff fill in a puskesmas' hours, its timetable is shown, not the announcement."""
    path = content_dir / "puskesmas.yaml"
    raw = path.read_text(encoding="utf-8")
    code = WITH_POINT[0]["code"]
    head, tail = raw.split(f"- code: {code}\n", 1)
    tail = tail.replace("  hours: {}\n", '  hours: {senin: "07.30-21.00"}\n', 1)
    path.write_text(f"{head}- code: {code}\n{tail}", encoding="utf-8")
    runtime = await Runtime.open(make_settings(tmp_path, content=content_dir), watch_interval=None)
    try:
        chat = Chat(runtime, user="timetable", today=date(2026, 11, 23))  # a Monday
        text = text_of(await chat.say(f"jam buka puskesmas {WITH_POINT[0]['name'].lower()}"))
    finally:
        await runtime.close()
    assert "07.30–21.00" in text and NOTE["text"]["id"] not in text


def test_content_check_wants_text_source_and_known_puskesmas(content_dir: Path) -> None:
    path = content_dir / "puskesmas.yaml"
    raw = path.read_text(encoding="utf-8")
    broken = raw.replace("- applies_to: all\n", "- applies_to: [P0000000000]\n", 1)
    broken = broken.replace("  reviewed: 2026-11-30\n", "", 1)
    path.write_text(broken, encoding="utf-8")
    shown = StringIO()
    assert check_directory(content_dir, shown, CODE_NEEDS) == 1
    out = shown.getvalue()
    assert "puskesmas 'P0000000000' is not in the list" in out and "reviewed" in out
