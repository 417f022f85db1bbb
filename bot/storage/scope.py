"""Which office's rows a query reads, in a deployment of several offices (CONTENT_DIRS).

Rows written before offices were recorded have no office (NULL, or '' where the column is part
of a key): they belong to the deployment's default office, the one that ran alone before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_, true


@dataclass(frozen=True, slots=True)
class Scope:
    office: str | None = None  # a region code; None = every office
    unassigned: bool = False  # also the rows with no office (this is the default office)

    def where(self, column: Any) -> ColumnElement[bool]:
        if self.office is None:
            return true()
        if self.unassigned:
            return or_(column == self.office, column.is_(None), column == "")
        return column == self.office

    def holds(self, office: str | None) -> bool:
        """The same test in Python, for a row already read."""
        return self.office is None or office == self.office or (self.unassigned and not office)


EVERY = Scope()
