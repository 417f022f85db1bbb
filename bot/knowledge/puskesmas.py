"""Directory for the puskesmas section: replaced by its topic's own parser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.knowledge.source import Document, Problems

FILES = ("puskesmas.yaml",)


@dataclass(frozen=True, slots=True)
class Directory:
    raw: Any


def parse(docs: list[Document], problems: Problems) -> Directory:
    return Directory(docs[0].data)


def check(content: Any, problems: Problems) -> None:
    return None
