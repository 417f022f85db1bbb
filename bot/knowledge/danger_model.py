"""The learned danger safety net's weights: `danger_model.json`, a generated file, one for every office.

`tools/train_danger_net.py` writes it from the danger tuning sets and the understanding sets' ordinary questions;
its `about` lines say how, from which sets and when. Staff never edit it (they edit `danger_signs.yaml`); `content
check` refuses a file that is broken or was made with features the engine no longer reads. The scoring lives in
bot/engine/danger_net.py.

One shared file: the model reads no office's names (the tool leaves place names out), so the template's
`content/danger_model.json` (SHARED) serves every pack that has none of its own (`office new` copies it into no
pack). A pack's own file wins: another model, or `{"model": "off"}` to turn the learned net off there. JSON, not
YAML: 47k weights read by the C parser in tens of milliseconds (the YAML block took 0.2-0.4 s), and a parsed file is
kept by its bytes' hash, so several offices and every reload with an unchanged file parse it once per process.
The weights are integer thousandths (the scorer sums integers: exact whatever the order).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from bot.knowledge.source import Document, Problems, json_object, model_header, read_json

FILES = ("danger_model.json",)
FEATURES = "words+pairs+chars3-5 v1"  # the recipe of bot/engine/danger_net.features: a file must name it
SHARED = Path(__file__).resolve().parent.parent.parent / "content" / FILES[0]  # the template's: every office's
_KEYS = {"about", "model", "features", "made_by", "made_at", "trained_on", "threshold", "bias", "weights"}


@dataclass(frozen=True, slots=True)
class DangerModel:
    made_by: str = ""
    made_at: str = ""
    trained_on: tuple[str, ...] = ()
    threshold: float = 1.0
    bias: float = 0.0
    weights: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))  # feature -> thousandths


EMPTY = DangerModel()
_parsed: dict[str, DangerModel] = {}  # a valid file's model by its bytes' hash (a handful of versions at most)


def read(path: Path, name: str, problems: Problems) -> Document | None:
    """The file as JSON (the content loader reads YAML; this section reads JSON, see the module's doc)."""
    return read_json(path, name, problems, _parsed)


def parse(docs: list[Document], problems: Problems) -> DangerModel:
    doc = docs[0]
    if isinstance(doc.data, str) and doc.data in _parsed:
        return _parsed[doc.data]
    before = len(problems.errors)
    data, error = json_object(doc, problems, "danger_model", _KEYS)
    if data is None:
        return EMPTY
    model_header(data, error, FEATURES)
    trained_on = data.get("trained_on", [])
    if not isinstance(trained_on, list) or not all(isinstance(t, str) for t in trained_on):
        error("trained_on", "'trained_on' must be a list of set names")
        trained_on = []
    threshold, bias = data.get("threshold"), data.get("bias")
    for key, value in (("threshold", threshold), ("bias", bias)):
        if key in data and (isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value)):
            error(key, f"'{key}' must be a number")
    if isinstance(threshold, int | float) and not 0.0 < threshold < 1.0:
        error("threshold", "threshold must lie between 0 and 1")
    weights = data.get("weights")
    if not isinstance(weights, dict) or not weights:
        error("weights", "no weights (feature: integer thousandths)")
    elif not {type(w) for w in weights.values()} <= {int}:  # one pass in C; the culprit is looked for only then
        bad = next(f for f, w in weights.items() if type(w) is not int)
        error(bad, f"weights: '{bad}' is {json.dumps(weights[bad])}, not an integer (thousandths)")
    if len(problems.errors) > before or not isinstance(weights, dict):
        return EMPTY
    model = DangerModel(
        str(data["made_by"]),
        str(data["made_at"]),
        tuple(trained_on),
        float(data["threshold"]),
        float(data["bias"]),
        weights,
    )
    if len(_parsed) >= 4:
        _parsed.clear()
    _parsed[hashlib.sha256(doc.text.encode()).hexdigest()] = model
    return model
