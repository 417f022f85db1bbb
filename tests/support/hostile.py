"""Hostile webhook bodies for the fuzz tests: odd texts, any JSON, real-shaped updates with one field broken,
truncated and deeply nested documents (tests/test_webhook_fuzz.py, tests/test_telegram_parse.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st

from tests.support import graph_api as meta
from tests.support.telegram_api import callback_update, location_update, text_update

ODD = st.sampled_from(
    [
        "😀🙏🏽👨‍👩‍👧",  # emoji, skin tone, a ZWJ family
        "مرحبا بالعالم",  # Arabic, right to left
        "שלום",  # Hebrew
        "\u200f\u202eimunisasi\u202c",  # RTL mark and override
        "im\u200bun\u200cisa\u200dsi\ufeff",  # zero-width space, non-joiner, joiner, BOM
        "\u0000\u0007\x1b[31m",  # control characters
        "\ud800",  # a lone surrogate (json.dumps escapes it)
        "a\u0301" * 50,  # combining accents
        "𝕚𝕞𝕦𝕟𝕚𝕤𝕒𝕤𝕚",  # mathematical letters
        "x" * 100_000,  # a 100 kB text
        "🙂" * 25_000,  # 100 kB of emoji
        "<b>halo</b> &amp; <a href='x'>",  # HTML the sender must escape
        "",
        " \n\t ",
    ]
)
TEXT = st.one_of(st.text(max_size=300), ODD, st.builds(lambda a, b: a + b, ODD, st.text(max_size=50)))
SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=2**63), st.floats(allow_nan=False), TEXT
)
JSON = st.recursive(
    SCALAR, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4), max_leaves=12
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a value inside a JSON document (the root excluded)."""
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return
    for key, child in items:
        yield (*prefix, key)
        yield from _paths(child, (*prefix, key))


def _replace(document: Any, path: tuple[Any, ...], new: Any) -> Any:
    document = json.loads(json.dumps(document))
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return document


def broken(templates: list[Any]) -> st.SearchStrategy[Any]:
    """A real-shaped body with one field (anywhere, at any depth) set to an arbitrary JSON value."""

    @st.composite
    def build(draw: st.DrawFn) -> Any:
        document = draw(st.sampled_from(templates))
        path = draw(st.sampled_from(list(_paths(document))))
        return _replace(document, path, draw(JSON))

    return build()


def nested(depth: int) -> bytes:
    return ("[" * depth + "]" * depth).encode() if depth % 2 else ('{"a":' * depth + "1" + "}" * depth).encode()


def bodies(templates: list[Any]) -> st.SearchStrategy[bytes]:
    """Raw bodies: valid JSON of any shape, broken real-shaped ones, truncated and deeply nested JSON."""
    documents = st.one_of(JSON, broken(templates), broken(templates), st.sampled_from(templates))
    encoded = documents.map(
        lambda d: json.dumps(d, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")
    )
    truncated = st.builds(lambda b, cut: b[: max(0, len(b) - cut)], encoded, st.integers(min_value=1, max_value=40))
    deep = st.sampled_from([10, 101, 1000, 5001, 100_000, 100_001]).map(nested)
    garbage = st.binary(max_size=200)
    return st.one_of(encoded, encoded, truncated, deep, garbage)


def telegram_templates() -> list[Any]:
    return [
        text_update(1, 42, "halo"),
        location_update(2, 42, 0.5071, 101.4478),
        callback_update(3, 42, "menu"),
        text_update(4, -100123, "/start@TanyaSehatBot"),
    ]


def whatsapp_templates() -> list[Any]:
    wa = "6281234567890"
    return [
        meta.webhook([meta.text(wa, "halo")]),
        meta.webhook([meta.location(wa, 0.5071, 101.4478)]),
        meta.webhook([meta.button_reply(wa, "menu", "Menu")]),
        meta.webhook(statuses=[meta.status("wamid.X", wa, "delivered")]),
    ]
