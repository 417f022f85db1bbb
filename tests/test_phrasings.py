"""Residents' own phrasings (content/phrasings.yaml): checked like any content, read by the matcher below the
entry's own questions, and written by tools/resident_phrasings.py from the blind tuning sets' stand-alone turns."""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

from bot.engine.requirements import CHECKS
from bot.engine.understanding import CONFIDENT, PHRASING_WEIGHT, Understanding
from bot.knowledge import phrasings
from bot.knowledge.content import load_content
from tests.support.shipped import shipped_content

# The tool reads the blind sets through bench/blind; a test reads them only through the tool it tests.
from tools.resident_phrasings import (
    HERE,
    OWN_MECHANISM,
    TOPIC_INTENTS,
    TUNING,
    build,
    load_conversations,
    standing_alone,
)

# No entry's question says this; a resident's phrasing of it is what makes it understood.
ODD = "ane mau nanya tempat nyuntik bocah tuh di mane ye"


def _with(content_dir: Path, body: str) -> list[str]:
    (content_dir / "phrasings.yaml").write_text(body, encoding="utf-8")
    content, problems = load_content(content_dir, CHECKS)
    return [str(p) for p in problems.errors] if content is None else []


SOURCE = "sources:\n  - {id: dashboard, written: dashboard, date: 2026-12-01}\n"


def test_a_phrasing_of_an_unknown_entry_or_source_is_an_error(content_dir: Path) -> None:
    assert (
        _with(content_dir, SOURCE + "phrasings:\n  - {say: 'imunisasi', intent: imunisasi, source: dashboard}\n") == []
    )
    errors = _with(
        content_dir, SOURCE + "phrasings:\n  - {say: 'vaksin anak', intent: vaksin_anak, source: dashboard}\n"
    )
    assert any(e.startswith("phrasings.yaml:4:") and "unknown entry 'vaksin_anak'" in e for e in errors), errors
    errors = _with(content_dir, SOURCE + "phrasings:\n  - {say: 'vaksin anak', intent: imunisasi, source: posyandu}\n")
    assert any("unknown source 'posyandu'" in e for e in errors), errors


def test_one_phrasing_has_one_entry(content_dir: Path) -> None:
    body = SOURCE + "phrasings:\n  - {say: 'Vaksin  anak', intent: imunisasi, source: dashboard}\n"
    errors = _with(content_dir, body + "  - {say: 'vaksin anak', intent: imunisasi_jadwal, source: dashboard}\n")
    assert any("phrasings.yaml:5:" in e and "line 4" in e for e in errors), errors


def test_the_matcher_reads_a_phrasing_as_a_variant_of_its_entry() -> None:
    content = dataclasses.replace(shipped_content(), phrasings=phrasings.EMPTY)
    before = Understanding(content).match(ODD)
    assert not before or before[0].score < CONFIDENT, before
    said = phrasings.Phrasing(ODD, "puskesmas_layanan", "dashboard", "", 1)
    after = Understanding(dataclasses.replace(content, phrasings=phrasings.PhrasingBook((), (said,)))).match(ODD)
    assert after[0].intent_id == "puskesmas_layanan" and CONFIDENT <= after[0].score <= PHRASING_WEIGHT, after


def test_an_entrys_own_question_outweighs_a_phrasing_of_another() -> None:
    content = dataclasses.replace(shipped_content(), phrasings=phrasings.EMPTY)
    question = content.intents.get("imunisasi_jadwal")
    assert question is not None
    text = question.questions[0]
    said = phrasings.Phrasing(text, "posyandu", "dashboard", "", 1)
    matches = Understanding(dataclasses.replace(content, phrasings=phrasings.PhrasingBook((), (said,)))).match(text)
    assert matches[0].intent_id == "imunisasi_jadwal" and matches[0].score > dict(
        (m.intent_id, m.score) for m in matches
    ).get("posyandu", 0.0)


@cache
def _turns() -> dict[tuple[str, str], tuple[str, str, bool]]:
    """(source, ref) -> (text, label, stands alone) of every turn of the tuning sets."""
    found = {}
    for name in TUNING:
        for conv in load_conversations(HERE / f"understanding_{name}.yaml"):
            alone = {n for n, _, _ in standing_alone(conv)}
            for n, turn in enumerate(conv.turns, 1):
                found[(f"blind_{name}", f"{conv.id}.{n}")] = (turn.say.strip(), turn.topic, n in alone)
    return found


def test_the_tool_writes_stand_alone_turns_with_an_entry_that_answers_them(content_dir: Path) -> None:
    (content_dir / phrasings.FILES[0]).write_text(build(shipped_content(), ["g"]), encoding="utf-8")
    content, problems = load_content(content_dir, CHECKS)  # what it writes passes `content check`
    assert content is not None, [str(p) for p in problems.errors]
    wrong = []
    for p in content.phrasings.phrasings:
        text, label, alone = _turns()[(p.source, p.ref)]
        if text != p.say or not alone or label in OWN_MECHANISM or p.intent not in TOPIC_INTENTS[label]:
            wrong.append(f"{p.source} {p.ref}: {p.say!r} -> {p.intent} ({label}, stands alone: {alone})")
    assert not wrong, "\n".join(wrong[:20])
    assert len(content.phrasings.phrasings) >= 200  # G's 340 conversations, less follow-ups and other mechanisms


def test_follow_ups_are_not_phrasings() -> None:
    conv = next(c for c in load_conversations(HERE / "understanding_g.yaml") if c.id == "g002")  # "trus yg 18 bulan?"
    assert [n for n, _, _ in standing_alone(conv)] == [1]
