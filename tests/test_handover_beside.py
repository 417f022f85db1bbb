"""A request for a person beside a question: the case opens with the whole message, and the question is answered at
once (the officer may reply only when the office opens), as the answer itself or as its entry's button."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.cli import chat_jsonl
from tests.support.settings import ROOT


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return dict(
        os.environ,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/chat.db",
        PSEUDONYM_KEY="k",
        CONTENT_DIR=str(ROOT / "content"),
    )


def _payloads(answer: dict) -> list[str]:
    return [button["payload"] for reply in answer["replies"] for button in reply["buttons"]]


def test_a_question_a_feature_answers_comes_as_its_button_and_the_button_answers_it(env: dict[str, str]) -> None:
    opened, pressed = chat_jsonl(
        ["syarat daftar uhc apa? tolong sambungkan ke petugas", "@btn intent:uhc_dokumen"], env, user="beside-1"
    )
    assert opened["intent"] == "handover"
    assert "petugas" in opened["replies"][0]["text"]  # what happens next comes first
    assert "intent:uhc_dokumen" in _payloads(opened)
    assert pressed["intent"] == "uhc_dokumen"  # the case is open, not held: the bot still answers
    assert "KTP" in pressed["replies"][0]["text"]


def test_a_question_with_an_answer_of_its_own_is_answered_in_full(env: dict[str, str]) -> None:
    (opened,) = chat_jsonl(
        ["halo kak, bisa sambungkan ke admin? saya mau tanya posyandu terdekat buka kapan"], env, user="beside-2"
    )
    assert opened["intent"] == "handover"
    assert len(opened["replies"]) == 2 and "posyandu" in opened["replies"][1]["text"].lower()


@pytest.mark.parametrize(
    "text",
    [
        "min mau bicara dengan petugas",
        "anak sy ditolak imunisasi krn ga bawa buku KIA, sy mau komplain",  # a complaint asks nothing to answer
    ],
)
def test_a_request_alone_gets_what_happens_next_only(env: dict[str, str], text: str) -> None:
    (opened,) = chat_jsonl([text], env, user="beside-3")
    assert opened["intent"] == "handover"
    assert len(opened["replies"]) == 1 and not _payloads(opened)
