"""Kelurahan and kecamatan by name or Kemendagri code, for subscriptions and a broadcast's audience.

Names go through the puskesmas topic's `find_area` (typo-tolerant); codes are looked up in the
same directory (content/wilayah.yaml, Kemendagri 2025). Pure functions over the content.
"""

from __future__ import annotations

import re

from bot.knowledge.content import Content
from bot.topics.puskesmas import Area, find_area

_CODE_LIKE = re.compile(r"^\d[\d.]*$")  # typed a code, not a name: never fuzzy-match it to a name


def all_areas(content: Content) -> list[Area]:
    found = []
    for kecamatan in content.puskesmas.kecamatan:
        found.append(Area("kecamatan", kecamatan.name, (kecamatan,)))
        found.extend(Area("kelurahan", k.name, (kecamatan,), k) for k in kecamatan.kelurahan)
    return found


def find_areas(content: Content, text: str, kind: str | None = None) -> list[Area]:
    """The areas a typed code or name means: one when sure, several to choose from, none if unknown."""
    typed = text.strip()
    if not typed:
        return []
    if _CODE_LIKE.match(typed):
        return [a for a in all_areas(content) if a.code == typed and kind in (None, a.kind)]
    found = find_area(content.puskesmas, typed)
    if found is None:
        return []
    if found.kelurahan is not None:
        return [found]
    if kind == "kelurahan":  # a kecamatan (or a former one) named: let the user pick the kelurahan
        return [Area("kelurahan", k.name, (kec,), k) for kec in found.kecamatan for k in kec.kelurahan][:10]
    return [Area("kecamatan", k.name, (k,)) for k in found.kecamatan]


def area_name(content: Content, code: str | None) -> str:
    if code is None:
        return ""
    return next((a.name for a in all_areas(content) if a.code == code), code)
