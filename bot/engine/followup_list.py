"""A short follow-up that points into the list in hand: "yang pertama buka sabtu?", "yang terakhir?" after a
list of puskesmas is about that one, by name (the list `context.listed` keeps)."""

from __future__ import annotations

import re
from typing import Any

from bot.engine.followup_reading import Resolved
from bot.engine.turn import Turn

_ORDINALS = {
    "pertama": 0, "kesatu": 0, "first": 0, "1": 0, "kedua": 1, "second": 1, "2": 1,
    "ketiga": 2, "third": 2, "3": 2, "keempat": 3, "4": 3, "kelima": 4, "5": 4, "keenam": 5, "6": 5,
}  # fmt: skip
_ORDINAL = re.compile(
    r"\b(?:yang|yg|no|nomor|nomer|the)?\s*(pertama|kesatu|kedua|ketiga|keempat|kelima|keenam|first|second|third)\b"
    r"|\b(?:yang|yg|no|nomor|nomer)\s*([1-6])\b"
)
_LAST = re.compile(r"\b(?:yang|yg)\s+(terakhir|paling bawah)\b|\bthe last one\b")


def from_list(turn: Turn, ctx: dict[str, Any], norm: str) -> Resolved | None:
    """ "yang pertama buka sabtu?" after a list of puskesmas: the first one, by name."""
    names = ctx.get("listed")
    if not names or not isinstance(names, list):
        return None
    found = _ORDINAL.search(norm)
    index: int | None = None
    if found is not None:
        word = found.group(1) or found.group(2)
        index = _ORDINALS.get(word)
    elif _LAST.search(norm):
        index = len(names) - 1
    if index is None or index >= len(names):
        return None
    span = found.span() if found is not None else _LAST.search(norm).span()  # type: ignore[union-attr]
    rest = (norm[: span[0]] + " " + norm[span[1] :]).strip()
    return Resolved(f"puskesmas {names[index]} {rest}".strip(), "listed")
