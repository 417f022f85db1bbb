"""UhcGuide for the uhc section: replaced by its topic's own parser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.knowledge.source import Document, Problems

FILES = ("uhc.yaml",)


@dataclass(frozen=True, slots=True)
class UhcGuide:
    raw: Any


def parse(docs: list[Document], problems: Problems) -> UhcGuide:
    return UhcGuide(docs[0].data)


def check(content: Any, problems: Problems) -> None:
    return None
