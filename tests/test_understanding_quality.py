"""Answer quality on the labelled set (bench/understanding/labelled.yaml) must not regress.

The same code as the benchmark (tests/support/understanding_quality.py, used by bench/understanding/run.py): top-1 accuracy in scope,
out-of-scope questions declined, danger-sign recall, time per answer; and the labelled
questions must stay new phrasings, not copies of the content's question variants.
"""

from __future__ import annotations

from functools import cache

import pytest
from rapidfuzz import fuzz

from bot.engine.understanding import Understanding
from bot.runtime import Runtime
from tests.support.chat import Chat
from tests.support.shipped import shipped_content
from tests.support.understanding_quality import (
    EMERGENCY,
    FALLBACK,
    MIN_DANGER_RECALL,
    MIN_DECLINED,
    MIN_TOP1,
    Bm25Baseline,
    Case,
    Report,
    decide,
    evaluate,
    load_cases,
)


@cache
def _understanding() -> Understanding:
    return Understanding(shipped_content())


@cache
def _cases() -> tuple[Case, ...]:
    return tuple(load_cases())


@cache
def _report() -> Report:
    u = _understanding()
    return evaluate("TanyaSehat", _cases(), lambda text, lang: decide(u, text, lang))


def test_the_labelled_set_is_big_and_covers_every_intent() -> None:
    cases = _cases()
    assert len(cases) >= 300
    assert sum(c.expect == FALLBACK for c in cases) >= 60
    assert sum(c.expect == EMERGENCY for c in cases) >= 30
    labelled = {c.expect for c in cases}
    # Every intent of INTENTS.md; "bahasa" (language switch) is not one of them.
    missing = {i.id for i in shipped_content().intents.intents} - labelled - {"bahasa"}
    assert not missing, f"intents without labelled questions: {sorted(missing)}"
    signs = {s.id for s in shipped_content().danger.signs if s.kind != "net"}  # the safety net is no sign
    assert {c.sign for c in cases if c.sign} == signs


def test_labelled_questions_are_not_copies_of_content_variants() -> None:
    u = _understanding()
    variants = {
        u.normalize(q): intent.id
        for intent in shipped_content().intents.intents
        for q in (*intent.questions, *intent.questions_en)
    }
    copies = []
    for case in _cases():
        text = u.normalize(case.text)
        for variant, intent_id in variants.items():
            if fuzz.ratio(text, variant) >= 90:
                copies.append(f"{case.text!r} ~ {intent_id}: {variant!r}")
    assert not copies, "\n".join(copies)


def test_in_scope_top1_accuracy() -> None:
    report = _report()
    assert report.top1_rate >= MIN_TOP1, "\n".join(m for m in report.misses if "expected fallback" not in m)


def test_out_of_scope_questions_are_declined() -> None:
    report = _report()
    assert report.declined_rate >= MIN_DECLINED, "\n".join(m for m in report.misses if "expected fallback" in m)


def test_every_danger_sign_message_is_caught() -> None:
    report = _report()
    assert report.danger_recall >= MIN_DANGER_RECALL, "\n".join(m for m in report.misses if "emergency" in m)
    assert report.mental_right == report.mental  # suicide risk always gets the mental-health line
    assert report.false_emergency == 0


def test_clearly_ahead_of_bm25() -> None:
    baseline = Bm25Baseline(shipped_content())
    baseline.tune(list(_cases()))
    bm25 = evaluate("BM25", _cases(), baseline.decide)
    ours = _report()
    assert ours.top1_rate >= bm25.top1_rate + 0.05
    assert ours.declined_rate >= bm25.declined_rate
    assert ours.danger_recall >= bm25.danger_recall + 0.1


@pytest.mark.parametrize("group", ["out_of_scope", "danger"])
async def test_the_real_dialogue_decides_as_the_benchmark_does(service: Runtime, group: str) -> None:
    """The benchmark's `decide` mirrors Dialogue: checked on a sample through the real chat (one new user each)."""
    u = _understanding()
    sample = [c for c in _cases() if c.group == group][::4]
    for i, case in enumerate(sample):
        result = await Chat(service, user=f"resident{i}").say(case.text)
        expected = decide(u, case.text).action
        assert result["intent"] == expected, case.text
