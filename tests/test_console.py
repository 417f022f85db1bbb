"""The console channel and the scripted `chat --jsonl` protocol, as a real process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.channels.console import ScriptError, parse_line, render
from bot.engine.types import Button, Location, Reply
from tests.support.cli import chat_jsonl, run_bot
from tests.support.settings import ROOT


def run_script(tmp_path: Path, lines: list[str], *args: str) -> list[dict]:
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/chat.db",
        PSEUDONYM_KEY="k",
        CONTENT_DIR=str(ROOT / "content"),
    )
    return chat_jsonl(lines, env, *args)


def test_protocol_end_to_end(tmp_path: Path) -> None:
    out = run_script(
        tmp_path,
        ["halo", "asdfgh qwerty", "anak saya kejang tidak sadar", "@btn menu", "@loc abc", "@loc 0.5 101.4"],
        "--today",
        "2026-11-23",
    )
    assert len(out) == 6  # one line out for every line in, even the bad one
    assert [o["in"] for o in out][:3] == ["halo", "asdfgh qwerty", "anak saya kejang tidak sadar"]
    assert out[0]["intent"] == "greeting"
    assert out[1]["intent"] == "fallback"
    assert out[2]["intent"] == "emergency" and "119" in out[2]["replies"][0]["text"]
    assert out[3]["intent"] == "menu"
    first_button = out[3]["replies"][0]["buttons"][0]
    assert set(first_button) == {"payload", "label"}
    assert set(out[3]["replies"][0]) == {"text", "buttons", "location_request"}
    assert out[4]["intent"] == "error" and "@loc" in out[4]["error"]
    assert out[5]["replies"], "a shared location always gets an answer"


def test_users_are_separate_and_persist_across_runs(tmp_path: Path) -> None:
    run_script(tmp_path, ["menu"], "--user", "ani")
    ani = run_script(tmp_path, ["1"], "--user", "ani")[0]
    budi = run_script(tmp_path, ["1"], "--user", "budi")[0]
    assert ani["intent"] not in {"fallback", "clarify"}
    assert budi["intent"] in {"fallback", "clarify"}


def test_parse_line() -> None:
    assert parse_line("@loc -0.5 101.45", "u").location == Location(-0.5, 101.45)
    assert parse_line("@loc 0.5,101.4", "u").location == Location(0.5, 101.4)
    assert parse_line("@btn intent:uhc", "u").payload == "intent:uhc"
    assert parse_line("halo kak", "u").text == "halo kak"
    for bad in ("@loc", "@loc 1", "@loc 91 0", "@btn", "@btn   "):
        with pytest.raises(ScriptError):
            parse_line(bad, "u")


def test_render_numbers_buttons() -> None:
    shown = render(Reply("Pilih:", (Button("a", "Satu"), Button("b", "Dua")), location_request=True))
    assert "[1] Satu" in shown and "[2] Dua" in shown and "@loc" in shown


def test_content_check_command(tmp_path: Path) -> None:
    ok = run_bot("content", "check", "content")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    broken = tmp_path / "content"
    broken.mkdir()
    (broken / "office.yaml").write_text("name: [\n")
    bad = run_bot("content", "check", str(broken))
    assert bad.returncode == 1
    assert "office.yaml:" in bad.stdout
