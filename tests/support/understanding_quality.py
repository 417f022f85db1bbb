"""Answer quality of the understanding: the labelled set, what the dialogue would decide, and a BM25 baseline.

Shared by the benchmark script (bench/understanding/run.py) and the regression tests
(tests/test_understanding_quality.py, tests/test_determinism.py), so both measure exactly the same
thing. The labelled sets stay with the benchmark in bench/understanding/.
"""

from __future__ import annotations

import math
import re
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.engine import smalltalk, topic_net
from bot.engine.story import is_story
from bot.engine.understanding import CONFIDENT, UNSURE, Understanding
from bot.knowledge.content import Content

SETS = Path(__file__).resolve().parents[2] / "bench" / "understanding"
LABELLED = SETS / "labelled.yaml"
HELDOUT = SETS / "heldout.yaml"  # written after tuning; reported, never tuned on
EMERGENCY, FALLBACK, CLARIFY, SMALLTALK = "emergency", "fallback", "clarify", "smalltalk"

# Acceptance thresholds of issue 3 (the tests fail below them; the p99 goal is reported by bench/understanding/run.py,
# a speed goal being a benchmark's, not a timed test's).
MIN_TOP1 = 0.95
MIN_DECLINED = 0.90
MIN_DANGER_RECALL = 1.0
MAX_P99_MS = 5.0


@dataclass(frozen=True, slots=True)
class Case:
    text: str
    expect: str  # an intent id, FALLBACK (out of scope) or EMERGENCY
    lang: str = "id"
    group: str = "in_scope"  # in_scope | long | english | out_of_scope | smalltalk | danger
    sign: str = ""  # for danger cases: the sign id it is written for


@dataclass(frozen=True, slots=True)
class Decision:
    action: str  # EMERGENCY | an intent id (answered) | CLARIFY | FALLBACK
    top: str  # best-matching intent ("" when none)
    score: float
    sign_kind: str = ""


@dataclass
class Report:
    name: str
    in_scope: int = 0
    top1: int = 0  # best match is the labelled intent
    answered: int = 0  # the dialogue answers the labelled intent straight away
    clarified_right: int = 0  # "Maksud Anda...?" offers the labelled intent first
    false_emergency: int = 0  # in- or out-of-scope message taken for a danger sign
    out_of_scope: int = 0
    declined: int = 0  # the dialogue gives the honest fallback
    oos_clarify: int = 0
    danger: int = 0
    danger_found: int = 0
    mental_right: int = 0
    mental: int = 0
    times_ms: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def rate(self, part: int, whole: int) -> float:
        return part / whole if whole else 1.0

    @property
    def top1_rate(self) -> float:
        return self.rate(self.top1, self.in_scope)

    @property
    def answered_rate(self) -> float:
        return self.rate(self.answered, self.in_scope)

    @property
    def declined_rate(self) -> float:
        return self.rate(self.declined, self.out_of_scope)

    @property
    def danger_recall(self) -> float:
        return self.rate(self.danger_found, self.danger)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms) if self.times_ms else 0.0

    @property
    def p99_ms(self) -> float:
        return percentile(self.times_ms, 0.99)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def load_cases(path: Path = LABELLED) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases: list[Case] = []
    for intent_id, texts in data["in_scope"].items():
        cases.extend(Case(t, intent_id) for t in texts)
    for line in data.get("long") or ():
        text, _, intent_id = line.rpartition("|")
        cases.append(Case(text.strip(), intent_id.strip(), group="long"))
    for intent_id, texts in data["english"].items():
        cases.extend(Case(t, intent_id, lang="en", group="english") for t in texts)
    cases.extend(Case(t, FALLBACK, group="out_of_scope") for t in data["out_of_scope"])
    cases.extend(Case(t, SMALLTALK, group="smalltalk") for t in data.get("smalltalk") or ())
    for sign_id, texts in data["danger"].items():
        cases.extend(Case(t, EMERGENCY, group="danger", sign=sign_id) for t in texts)
    return cases


def decide(understanding: Understanding, text: str, lang: str = "id") -> Decision:
    """What Dialogue._decide/_understand does with a typed question (danger first, then the thresholds)."""
    sign = understanding.danger(text)
    if sign is not None:
        return Decision(EMERGENCY, "", 1.0, sign.kind)
    heard = understanding.smalltalk.hear(text)
    if heard is not None and smalltalk.only(understanding, heard):
        return Decision(SMALLTALK, SMALLTALK, 1.0)
    # A question that opens a conversation: the second opinion is asked unless it is a story.
    matches = understanding.match(text, lang, second=not is_story(text))
    best = matches[0] if matches else None
    sure = best is not None and best.score >= CONFIDENT and not understanding.torn(matches)
    opinion = understanding.topic_net.read(text) if best is not None else None
    if best is not None and sure and understanding.names(text, best.intent_id, best.score):
        if topic_net.declines(opinion, best.intent_id):  # the learned opinion is sure it is about nothing we answer
            return Decision(FALLBACK, best.intent_id, best.score)
        if topic_net.disagrees(opinion, best.intent_id) is not None:  # the learned opinion is sure of another
            return Decision(CLARIFY, best.intent_id, best.score)
        return Decision(best.intent_id, best.intent_id, best.score)
    if best is not None and topic_net.agrees(
        opinion, best.intent_id, best.score
    ):  # unsure, the learned opinion sure of it
        return Decision(best.intent_id, best.intent_id, best.score)
    if best is not None and best.score >= UNSURE:
        return Decision(CLARIFY, best.intent_id, best.score)
    if heard is not None and smalltalk.mostly(understanding, text, heard):
        return Decision(SMALLTALK, SMALLTALK, 1.0)
    return Decision(FALLBACK, best.intent_id if best else "", best.score if best else 0.0)


def best_times(cases: list[Case], make: Callable[[], Callable[[str, str], Decision]], repeats: int) -> list[float]:
    """Per question, the fastest of `repeats` answers (ms), each repeat by a decider fresh from `make`.

    The machine is shared (load above its 2 cores): a single pass mostly measures the scheduler.
    The best of a few repeats measures our code; with a fresh decider per repeat it is still
    the first time that decider sees the question (cold caches).
    """
    best = [math.inf] * len(cases)
    for _ in range(repeats):
        decider = make()
        for i, case in enumerate(cases):
            start = time.perf_counter()
            decider(case.text, case.lang)
            best[i] = min(best[i], (time.perf_counter() - start) * 1000)
    return best


def evaluate(name: str, cases: Iterable[Case], decider: Callable[[str, str], Decision]) -> Report:
    """Quality of one pass over the cases; times_ms holds that single pass's times."""
    report = Report(name)
    for case in cases:
        start = time.perf_counter()
        got = decider(case.text, case.lang)
        report.times_ms.append((time.perf_counter() - start) * 1000)
        if case.expect == EMERGENCY:
            report.danger += 1
            ok = got.action == EMERGENCY
            report.danger_found += ok
            if case.sign == "bunuh_diri":
                report.mental += 1
                report.mental_right += got.sign_kind == "mental"
        elif case.expect == FALLBACK:
            report.out_of_scope += 1
            ok = got.action == FALLBACK
            report.declined += ok
            report.oos_clarify += got.action == CLARIFY
            report.false_emergency += got.action == EMERGENCY
        else:
            report.in_scope += 1
            ok = got.top == case.expect
            report.top1 += ok
            report.answered += got.action == case.expect
            report.clarified_right += got.action == CLARIFY and got.top == case.expect
            report.false_emergency += got.action == EMERGENCY
        if not ok:
            report.misses.append(
                f"{case.group}: {case.text!r} expected {case.expect}, got {got.action} ({got.top} {got.score:.2f})"
            )
    return report


_WORD = re.compile(r"\w+")


class Bm25Baseline:
    """Plain BM25 (bm25s) over the same question variants, keywords and danger phrases; no normaliser.

    Each variant is one document. The best document decides: a danger phrase -> emergency; an intent
    above `threshold` -> answered; else fallback. Given the content's stopword list, and a threshold
    chosen on this very labelled set (see `tune`), so the baseline gets its best possible showing.
    """

    def __init__(self, content: Content, threshold: float = 0.0) -> None:
        import bm25s

        self.stop = set(content.language.stopwords)
        docs: list[list[str]] = []
        self.owners: list[str] = []
        for intent in content.intents.intents:
            for text in (*intent.questions, *intent.questions_en, *intent.keywords):
                docs.append(self.tokens(text) or ["_"])
                self.owners.append(intent.id)
        for sign in content.danger.signs:
            for phrase in sign.phrases:
                docs.append(self.tokens(phrase) or ["_"])
                self.owners.append(EMERGENCY)
        self.retriever = bm25s.BM25()
        self.retriever.index(docs, show_progress=False)
        self.threshold = threshold

    def tokens(self, text: str) -> list[str]:
        return [w for w in _WORD.findall(text.lower()) if w not in self.stop]

    def best(self, text: str) -> tuple[str, float]:
        words = self.tokens(text)
        if not words:
            return "", 0.0
        scores = self.retriever.get_scores(words)
        index = int(scores.argmax())
        return self.owners[index], float(scores[index])

    def decide(self, text: str, lang: str = "id") -> Decision:
        owner, score = self.best(text)
        if owner == EMERGENCY and score > self.threshold:
            return Decision(EMERGENCY, "", score)
        if not owner or owner == EMERGENCY or score <= self.threshold:
            return Decision(FALLBACK, "" if owner == EMERGENCY else owner, score)
        return Decision(owner, owner, score)

    def tune(self, cases: list[Case]) -> float:
        """The decline threshold that maximises top-1 accuracy + out-of-scope declined on these cases."""
        scored = [(c, *self.best(c.text)) for c in cases]
        best_threshold, best_value = 0.0, -1.0
        for threshold in sorted({round(s, 3) for _c, _o, s in scored} | {0.0}):
            hits = sum(
                (o == c.expect and s > threshold) if c.expect != FALLBACK else s <= threshold
                for c, o, s in scored
                if c.expect != EMERGENCY
            )
            if hits > best_value:
                best_threshold, best_value = threshold, hits
        self.threshold = best_threshold
        return best_threshold
