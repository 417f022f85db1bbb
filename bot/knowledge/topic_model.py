"""The learned second opinion on topics: `content/topic_model.yaml`, a generated file.

`tools/train_topic_net.py` writes it from the content's own examples (the entries' questions and residents'
phrasings); the header says how and when. Staff never edit it; `content check` refuses a file that is broken,
was made with features the engine no longer reads, or names an entry the content does not have. Optional:
without it the matcher decides alone. The scoring lives in bot/engine/topic_net.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from bot.knowledge.danger_model import FEATURES
from bot.knowledge.source import Document, Fields, Problems

__all__ = ["EMPTY", "FEATURES", "FILES", "SPECIAL", "TopicModel", "check", "parse"]
FILES = ("topic_model.yaml",)
# The model's classes that are no entry: what the blind sets' writers labelled out of scope, small talk, a request
# for a person and an emergency (the dialogue has its own answers for these; the model only learns to tell them).
SPECIAL = ("out_of_scope", "smalltalk", "handover", "emergency")


@dataclass(frozen=True, slots=True)
class TopicModel:
    made_by: str = ""
    made_at: str = ""
    entries: tuple[str, ...] = ()
    bias: tuple[float, ...] = ()
    # each feature's weights as (entry index, weight in thousandths), the entry by its place in `entries`
    weights: Mapping[str, tuple[tuple[int, int], ...]] = field(default_factory=lambda: MappingProxyType({}))


EMPTY = TopicModel()


def parse(docs: list[Document], problems: Problems) -> TopicModel:
    doc = docs[0]
    before = len(problems.errors)
    f = Fields(doc.data, doc.name, problems, "topic_model")
    if not f.ok:
        return EMPTY
    made_by, made_at = f.text("made_by"), f.text("made_at")
    recipe = f.text("features")
    if recipe and recipe != FEATURES:
        f.error("features", f"made with features '{recipe}', the engine reads '{FEATURES}': run the tool again")
    f.text("model")
    entries = f.texts("entries")
    raw_bias = doc.data.get("bias") if isinstance(doc.data, dict) else None
    bias: tuple[float, ...] = ()
    if isinstance(raw_bias, list) and all(isinstance(x, int | float) for x in raw_bias):
        bias = tuple(float(x) for x in raw_bias)
    if len(bias) != len(entries) or not entries:
        f.error("bias", "bias must be a list of one number per entry")
    table = f.text("weights")
    weights: dict[str, tuple[tuple[int, int], ...]] = {}
    first = f.line_of("weights") + 1
    size = len(entries)
    for n, line in enumerate(table.splitlines()):
        feature, _, rest = line.strip().partition(" ")
        if not feature:
            continue
        try:  # in thousandths, as written (2 decimals): the engine adds integers, exactly, whatever the order
            row = tuple((int(i), round(float(w) * 1000)) for i, _, w in (p.partition(":") for p in rest.split()))
        except ValueError:
            row = ()
        if not row or not all(0 <= i < size for i, _ in row) or len({i for i, _ in row}) != len(row):
            problems.error(doc.name, first + n, f"weights: '{line.strip()[:40]}' is not 'feature entry:weight ...'")
        elif feature in weights:
            problems.error(doc.name, first + n, f"weights: duplicate feature '{feature}'")
        else:
            weights[feature] = row
    if not weights:
        f.error("weights", "no weights")
    f.done(("bias",))
    if len(problems.errors) > before:
        return EMPTY
    return TopicModel(made_by, made_at, entries, bias, MappingProxyType(weights))


def check(content: Any, problems: Problems) -> None:
    """Cross-section: the model names only entries of the content (a renamed or removed entry: train it again)."""
    model: TopicModel = content.topic_model
    unknown = [e for e in model.entries if e not in SPECIAL and content.intents.get(e) is None]
    if unknown:
        problems.error(FILES[0], 1, f"entries: unknown entry {', '.join(unknown)}: run tools/train_topic_net.py")
