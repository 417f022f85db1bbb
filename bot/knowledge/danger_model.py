"""The learned danger safety net's weights: `content/danger_model.yaml`, a generated file.

`tools/train_danger_net.py` writes it from the danger tuning sets and the understanding sets' ordinary questions;
the header says how, from which sets and when. Staff never edit it (they edit `danger_signs.yaml`); `content
check` refuses a file that is broken or was made with features the engine no longer reads. Optional: without it
the safety net is the rules' alone. The scoring lives in bot/engine/danger_net.py.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from bot.knowledge.source import Document, Fields, Problems

FILES = ("danger_model.yaml",)
FEATURES = "words+pairs+chars3-5 v1"  # the recipe of bot/engine/danger_net.features: a file must name it


@dataclass(frozen=True, slots=True)
class DangerModel:
    made_by: str = ""
    made_at: str = ""
    trained_on: tuple[str, ...] = ()
    threshold: float = 1.0
    bias: float = 0.0
    weights: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))


EMPTY = DangerModel()


def parse(docs: list[Document], problems: Problems) -> DangerModel:
    doc = docs[0]
    before = len(problems.errors)
    f = Fields(doc.data, doc.name, problems, "danger_model")
    if not f.ok:
        return EMPTY
    made_by, made_at = f.text("made_by"), f.text("made_at")
    trained_on = f.texts("trained_on")
    recipe = f.text("features")
    if recipe and recipe != FEATURES:
        f.error("features", f"made with features '{recipe}', the engine reads '{FEATURES}': run the tool again")
    threshold = f.number("threshold")
    if threshold is not None and not 0.0 < threshold < 1.0:
        f.error("threshold", "threshold must lie between 0 and 1")
    bias = f.number("bias")
    f.text("model")
    table = f.text("weights")
    weights: dict[str, float] = {}
    first = f.line_of("weights") + 1
    for n, line in enumerate(table.splitlines()):
        parts = line.split()
        if not parts:
            continue
        try:
            weight = float(parts[1]) if len(parts) == 2 else math.nan
        except ValueError:
            weight = math.nan
        if not math.isfinite(weight):
            problems.error(doc.name, first + n, f"weights: '{line.strip()}' is not 'feature weight'")
        elif parts[0] in weights:
            problems.error(doc.name, first + n, f"weights: duplicate feature '{parts[0]}'")
        else:
            weights[parts[0]] = weight
    if not weights:
        f.error("weights", "no weights")
    f.done()
    if len(problems.errors) > before or threshold is None or bias is None:
        return EMPTY
    return DangerModel(made_by, made_at, trained_on, threshold, bias, MappingProxyType(weights))
