"""Schedule for the immunization section: replaced by its topic's own parser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.knowledge.source import Document, Problems

FILES = ("immunization.yaml",)


@dataclass(frozen=True, slots=True)
class Schedule:
    raw: Any


def parse(docs: list[Document], problems: Problems) -> Schedule:
    return Schedule(docs[0].data)
