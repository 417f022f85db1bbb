"""Kelurahan and kecamatan by name or Kemendagri code, for subscriptions and a broadcast's audience.

Names go through the puskesmas topic's `find_area` (typo-tolerant); codes are looked up in the
same directory (content/wilayah.yaml, Kemendagri 2025).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.knowledge.content import Content
from bot.storage.roles import area_level
from bot.topics import puskesmas


@dataclass(frozen=True, slots=True)
class Area:
    code: str
    name: str
    level: str  # "kelurahan" or "kecamatan"


def all_areas(content: Content) -> list[Area]:
    found = []
    for kecamatan in content.puskesmas.kecamatan:
        found.append(Area(kecamatan.code, kecamatan.name, "kecamatan"))
        found.extend(Area(k.code, k.name, "kelurahan") for k in kecamatan.kelurahan)
    return found


def find_areas(content: Content, text: str, level: str | None = None) -> list[Area]:
    """The areas a typed code or name means: one when sure, several to choose from, none if unknown."""
    typed = text.strip()
    if not typed:
        return []
    if area_level(typed) is not None:
        return [a for a in all_areas(content) if a.code == typed and level in (None, a.level)]
    found = puskesmas.find_area(content.puskesmas, typed)
    if found is None:
        return []
    if found.kelurahan is not None:
        return [Area(found.kelurahan.code, found.kelurahan.name, "kelurahan")]
    if level == "kelurahan":  # a kecamatan (or a former one) named: let the user pick the kelurahan
        return [Area(k.code, k.name, "kelurahan") for kec in found.kecamatan for k in kec.kelurahan][:10]
    return [Area(k.code, k.name, "kecamatan") for k in found.kecamatan]


def area_name(content: Content, code: str | None) -> str:
    if code is None:
        return ""
    return next((a.name for a in all_areas(content) if a.code == code), code)
