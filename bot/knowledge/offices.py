"""The offices one deployment serves: each office's own Content, found by its Kemendagri code.

A health office runs on one content pack (CONTENT_DIR). A provincial or national operator runs
several in one bot (CONTENT_DIRS): the first is the default, which answers until a resident's own
office is known. What spans offices is built once per set of content versions and kept here:
one index of every puskesmas and hospital with an IGD (the nearest may belong to a neighbour),
and the place names of every office (a typed kelurahan says which office is the resident's).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from bot.knowledge.content import Content
from bot.knowledge.geo import GridIndex
from bot.knowledge.puskesmas import Hospital, Puskesmas


def place_key(name: str) -> str:
    """Letters only, lower case: how place names are compared across offices."""
    return re.sub(r"[^a-z]", "", name.lower())


@dataclass(frozen=True, slots=True)
class Place:
    """A kelurahan, kecamatan or the city/regency itself, in one office."""

    office: str  # the office's region code
    kind: str  # "kelurahan" | "kecamatan" | "region"
    code: str
    name: str


class Offices:
    """Immutable: a reload of any pack makes a new one (ContentHolder.offices)."""

    def __init__(self, contents: Sequence[Content]) -> None:
        if not contents:
            raise ValueError("a deployment needs at least one office")
        self.contents = tuple(contents)
        self._by_code = {c.office.region_code: c for c in self.contents}

    @classmethod
    def one(cls, content: Content) -> Offices:
        return cls((content,))

    @property
    def default(self) -> Content:
        return self.contents[0]

    @property
    def multi(self) -> bool:
        return len(self.contents) > 1

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self._by_code)

    def get(self, code: object) -> Content | None:
        return self._by_code.get(code) if isinstance(code, str) else None

    def of_area(self, code: str | None) -> Content | None:
        """The office an area code lies in ('14.01.06.2004' -> Kabupaten Kampar's content)."""
        return self.get(".".join(code.split(".")[:2])) if code else None

    @cached_property
    def puskesmas_index(self) -> GridIndex[tuple[Content, Puskesmas]]:
        return GridIndex(
            (p.point.lat, p.point.lon, (c, p)) for c in self.contents for p in c.puskesmas.puskesmas if p.point
        )

    @cached_property
    def igd_index(self) -> GridIndex[tuple[Content, Hospital]]:
        return GridIndex(
            (h.point.lat, h.point.lon, (c, h))
            for c in self.contents
            for h in c.puskesmas.hospitals
            if h.point is not None and h.igd
        )

    @cached_property
    def places(self) -> dict[str, tuple[Place, ...]]:
        """Every office's kelurahan, kecamatan and own name, by place_key."""
        found: dict[str, list[Place]] = {}
        for c in self.contents:
            office = c.office.region_code
            short = re.sub(r"^(Kabupaten|Kota)\s+", "", c.office.city)
            found.setdefault(place_key(short), []).append(Place(office, "region", office, c.office.city))
            for kec in c.puskesmas.kecamatan:
                found.setdefault(place_key(kec.name), []).append(Place(office, "kecamatan", kec.code, kec.name))
                for kel in kec.kelurahan:
                    found.setdefault(place_key(kel.name), []).append(Place(office, "kelurahan", kel.code, kel.name))
        return {k: tuple(v) for k, v in found.items() if k}
