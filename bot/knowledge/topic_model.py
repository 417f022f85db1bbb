"""The learned second opinion on topics: `topic_model.json`, a generated file, one for every office.

`tools/train_topic_net.py` writes it from the content's own examples (the entries' questions and residents'
phrasings) and the blind tuning sets' turns; its `about` lines say how, from which sets and when. Staff never edit
it; `content check` refuses a file that is broken, was made with features the engine no longer reads, or names an
entry the content does not have. Optional: without it the matcher decides alone. The scoring lives in
bot/engine/topic_net.py.

Its classes are the topics residents ask about (what is scored: bench/blind/topics.py), each with the entries that
answer it, not the entries themselves: siblings that answer the same question share the class's probability instead
of splitting it. JSON like danger_model.json (read by the C parser, kept by its bytes' hash, shared by every pack that
has none of its own): the weights as base64 arrays of integers, one matrix built once per file.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from bot.knowledge.danger_model import FEATURES
from bot.knowledge.source import Document, Problems, json_object, model_header, read_json

__all__ = ["EMPTY", "FEATURES", "FILES", "SHARED", "SPECIAL", "TopicModel", "check", "parse", "read"]
FILES = ("topic_model.json",)
SHARED = Path(__file__).resolve().parent.parent.parent / "content" / FILES[0]  # the template's: every office's
# The classes answered by the dialogue's own mechanisms, not by an entry: out of scope (declined), small talk, a
# request for a person and an emergency.
SPECIAL = ("out_of_scope", "smalltalk", "handover", "emergency")
ANSWERED_ELSEWHERE = frozenset({"fallback", "emergency", "greeting", "handover", "help", "smalltalk"})
# The weights: feature n of `vocab` has counts[n] weights, their classes and values the next ones of `columns` and
# `values` (hundredths), each array base64 of little-endian integers: a third of the text, decoded at C speed.
_ARRAYS = {"counts": "<u1", "columns": "<u1", "values": "<i2"}
_KEYS = {"about", "model", "features", "made_by", "made_at", "trained_on", "classes", "bias", "vocab", *_ARRAYS}


@dataclass(frozen=True, slots=True, eq=False)
class TopicModel:
    made_by: str = ""
    made_at: str = ""
    trained_on: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    answers: tuple[tuple[str, ...], ...] = ()  # per class, the intents that answer it
    bias: tuple[float, ...] = ()
    row: Any = field(default_factory=lambda: MappingProxyType({}))  # feature -> its row of `matrix`
    matrix: Any = None  # features x classes, integer thousandths (np.int32)

    @property
    def enabled(self) -> bool:
        return bool(self.classes) and self.matrix is not None


EMPTY = TopicModel()
_parsed: dict[str, TopicModel] = {}  # a valid file's model by its bytes' hash (a handful of versions at most)


def read(path: Path, name: str, problems: Problems) -> Document | None:
    return read_json(path, name, problems, _parsed)


def parse(docs: list[Document], problems: Problems) -> TopicModel:
    doc = docs[0]
    if isinstance(doc.data, str) and doc.data in _parsed:
        return _parsed[doc.data]
    before = len(problems.errors)
    data, error = json_object(doc, problems, "topic_model", _KEYS)
    if data is None:
        return EMPTY
    if len(problems.errors) > before:
        return EMPTY
    model_header(data, error, FEATURES)
    classes = data["classes"]
    if (
        not isinstance(classes, dict)
        or not classes
        or not all(isinstance(v, list) and v and all(isinstance(i, str) for i in v) for v in classes.values())
    ):
        error("classes", "'classes' must map each topic to the list of intents that answer it")
        classes = {}
    size = len(classes)
    bias, vocab = data["bias"], data["vocab"]
    if not isinstance(bias, list) or len(bias) != size or not all(_finite(x) for x in bias):
        error("bias", "bias must be a list of one number per class")
    if not isinstance(vocab, list) or not all(isinstance(f, str) for f in vocab) or len(set(vocab)) != len(vocab):
        error("vocab", "vocab must be a list of distinct features")
        vocab = []
    counts, columns, values = (_array(data, key, kind, error) for key, kind in _ARRAYS.items())
    if counts is not None and columns is not None and values is not None:
        if len(counts) != len(vocab) or int(counts.sum()) != len(columns) or len(values) != len(columns):
            error("counts", "counts must give each feature of vocab its number of weights (as many as columns)")
        elif len(columns) and int(columns.max()) >= size:
            error("columns", f"a column is not a class (0..{size - 1})")
    if len(problems.errors) > before or counts is None or columns is None or values is None:
        return EMPTY
    matrix = np.zeros((len(vocab), size), dtype=np.int32)
    matrix[np.repeat(np.arange(len(vocab)), counts), columns] = values.astype(np.int32) * 10  # thousandths
    model = TopicModel(
        data["made_by"],
        data["made_at"],
        tuple(str(s) for s in data["trained_on"]) if isinstance(data["trained_on"], list) else (),
        tuple(classes),
        tuple(tuple(v) for v in classes.values()),
        tuple(float(x) for x in bias),
        MappingProxyType({f: n for n, f in enumerate(vocab)}),
        matrix,
    )
    if len(_parsed) >= 4:
        _parsed.clear()
    _parsed[hashlib.sha256(doc.text.encode()).hexdigest()] = model
    return model


def _finite(x: object) -> bool:
    return type(x) in (int, float) and math.isfinite(x)  # type: ignore[arg-type]


def _array(data: dict[str, Any], key: str, kind: str, error: Callable[[str, str], None]) -> np.ndarray | None:
    """One of the weights' arrays, written as base64 of little-endian integers of numpy's `kind`."""
    try:
        return np.frombuffer(base64.b64decode(data[key], validate=True), dtype=kind)
    except (TypeError, ValueError, binascii.Error):
        error(key, f"'{key}' must be base64 of {np.dtype(kind).name} integers")
        return None


def check(content: Any, problems: Problems) -> None:
    """Cross-section: the model names only entries of the content (a renamed or removed entry: train it again)."""
    model: TopicModel = content.topic_model
    named = {i for answers in model.answers for i in answers}
    unknown = sorted(i for i in named if i not in ANSWERED_ELSEWHERE and content.intents.get(i) is None)
    if unknown:
        problems.error(FILES[0], 1, f"classes: unknown entry {', '.join(unknown)}: run tools/train_topic_net.py")
