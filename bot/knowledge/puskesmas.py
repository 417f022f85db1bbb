"""The puskesmas directory: health centres, hospitals with an IGD, kecamatan/kelurahan, public holidays.

Data comes from content/puskesmas.yaml, content/wilayah.yaml and content/holidays.yaml
(built by tools/build_puskesmas.py, then kept by the office). Unknown coordinates,
phones and hours stay empty: the bot says it does not know rather than guessing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from bot.knowledge.geo import GridIndex, Point, haversine_km
from bot.knowledge.hours import DAYS, HOLIDAY, Hours, HoursNote, parse_hours, parse_notes, parse_ranges
from bot.knowledge.source import Document, Fields, Problems, line_of

FILES = ("puskesmas.yaml", "wilayah.yaml", "holidays.yaml")

SERVICES = {"rawat_inap", "24_jam", "poned", "laboratorium", "ugd", "persalinan", "gigi", "imunisasi", "farmasi"}
SERVES_BASIS = {"kelurahan", "kecamatan"}  # wilayah kerja known precisely, or assumed from the kecamatan
HOSPITAL_KINDS = {"umum", "ibu_anak", "jiwa", "khusus"}


@dataclass(frozen=True, slots=True)
class Puskesmas:
    code: str
    name: str
    address: str
    kecamatan: str  # Kemendagri code, "" when not yet certain
    kecamatan_candidates: tuple[str, ...]
    kecamatan_bps: str  # the 2018 BPS kecamatan name, to find a puskesmas of a since-split area
    serves: tuple[str, ...]  # kelurahan codes of its wilayah kerja
    serves_basis: str  # "kelurahan": `serves` as listed; "kecamatan": assumed, every kelurahan of its kecamatan
    point: Point | None
    phone: str
    hours: Hours
    services: tuple[str, ...]
    source: str
    updated: dt.date | None


@dataclass(frozen=True, slots=True)
class Hospital:
    code: str
    name: str
    address: str
    kind: str
    igd: bool
    point: Point | None
    phone: str
    source: str
    updated: dt.date | None


@dataclass(frozen=True, slots=True)
class Kelurahan:
    code: str
    name: str
    kecamatan: str


@dataclass(frozen=True, slots=True)
class Kecamatan:
    code: str
    name: str
    formerly: tuple[str, ...]  # 2018 kecamatan names whose kelurahan are now here
    kelurahan: tuple[Kelurahan, ...]


@dataclass(frozen=True)
class Directory:
    puskesmas: tuple[Puskesmas, ...] = ()
    hospitals: tuple[Hospital, ...] = ()
    kecamatan: tuple[Kecamatan, ...] = ()
    holidays: tuple[tuple[dt.date, str], ...] = ()
    region: str = ""
    hours_notes: tuple[HoursNote, ...] = ()  # what sources said about hours beyond the timetables
    # Built once per load: the content is immutable, so are these.
    index: GridIndex[Puskesmas] = field(default_factory=lambda: GridIndex(()), compare=False, repr=False)
    igd_index: GridIndex[Hospital] = field(default_factory=lambda: GridIndex(()), compare=False, repr=False)
    # The centre of every facility with coordinates and the farthest one's distance from it (km).
    extent: tuple[Point, float] | None = field(default=None, compare=False, repr=False)

    def holiday(self, day: dt.date) -> str | None:
        return dict(self.holidays).get(day)

    def kecamatan_by_code(self, code: str) -> Kecamatan | None:
        return next((k for k in self.kecamatan if k.code == code), None)

    def kelurahan_by_code(self, code: str) -> Kelurahan | None:
        return next((kel for k in self.kecamatan for kel in k.kelurahan if kel.code == code), None)

    def hours_notes_for(self, entry: Puskesmas, day: dt.date) -> tuple[HoursNote, ...]:
        """The announcements about this puskesmas' hours that hold on `day`."""
        return tuple(n for n in self.hours_notes if n.covers(entry.code, day))


def parse(docs: list[Document], problems: Problems) -> Directory | None:
    by_name = {doc.name.rsplit("/", 1)[-1]: doc for doc in docs}
    main = by_name.get("puskesmas.yaml")
    if main is None:
        problems.error("puskesmas.yaml", 1, "missing file: puskesmas.yaml")
        return None
    kecamatan, region = _parse_wilayah(by_name["wilayah.yaml"], problems) if "wilayah.yaml" in by_name else ((), "")
    holidays = _parse_holidays(by_name["holidays.yaml"], problems) if "holidays.yaml" in by_name else ()
    top = Fields(main.data, main.name, problems, "puskesmas.yaml")
    sources = top.mapping("sources")
    source_ids = set(sources) if sources else set()
    top.date("updated", required=False)
    top.text("note", required=False)
    kecamatan_codes = {k.code for k in kecamatan}
    kelurahan_codes = {kel.code for k in kecamatan for kel in k.kelurahan}
    by_kecamatan = {k.code: tuple(kel.code for kel in k.kelurahan) for k in kecamatan}
    puskesmas = []
    seen: dict[str, int] = {}
    listed = top.raw("puskesmas")
    if isinstance(listed, list) and not listed:  # `office new` for a region the 2019 list does not cover
        problems.warn(main.name, line_of(main.data, "puskesmas"), "no puskesmas listed: the bot says it has none")
    for line, raw in top.items("puskesmas") if listed != [] else []:
        entry = _parse_puskesmas(raw, main.name, line, problems, source_ids, kecamatan_codes, kelurahan_codes)
        if entry is None:
            continue
        if entry.serves_basis == "kecamatan" and not entry.serves:
            entry = replace(entry, serves=by_kecamatan.get(entry.kecamatan, ()))
        if entry.code in seen:
            problems.error(
                main.name, line, f"puskesmas '{entry.code}': duplicate code (first at line {seen[entry.code]})"
            )
            continue
        seen[entry.code] = line
        puskesmas.append(entry)
    hospitals = []
    for line, raw in top.items("hospitals", required=False):
        hospital = _parse_hospital(raw, main.name, line, problems, source_ids)
        if hospital is not None:
            hospitals.append(hospital)
    notes = parse_notes(top, problems, {p.code for p in puskesmas})
    top.done()
    return Directory(
        extent=_extent([p.point for p in puskesmas if p.point] + [h.point for h in hospitals if h.point]),
        puskesmas=tuple(puskesmas),
        hospitals=tuple(hospitals),
        kecamatan=kecamatan,
        holidays=holidays,
        region=region,
        hours_notes=notes,
        index=GridIndex((p.point.lat, p.point.lon, p) for p in puskesmas if p.point is not None),
        igd_index=GridIndex((h.point.lat, h.point.lon, h) for h in hospitals if h.point is not None and h.igd),
    )


def _extent(points: list[Point]) -> tuple[Point, float] | None:
    if not points:
        return None
    centre = Point(sum(p.lat for p in points) / len(points), sum(p.lon for p in points) / len(points))
    return centre, max(haversine_km(centre.lat, centre.lon, p.lat, p.lon) for p in points)


def _point(f: Fields) -> Point | None:
    lat = f.number("lat", required=False)
    lon = f.number("lon", required=False)
    if (lat is None) != (lon is None):
        f.error("lat", "give both 'lat' and 'lon', or leave both empty")
        return None
    if lat is None or lon is None:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        f.error("lat", f"coordinates out of range: {lat}, {lon}")
        return None
    return Point(lat, lon)


def _source(f: Fields, source_ids: set[str]) -> str:
    source = f.text("source")
    if source and source not in source_ids:
        f.error("source", f"source '{source}' is not listed under 'sources'")
    return source


def _parse_puskesmas(
    raw: Any,
    file: str,
    line: int,
    problems: Problems,
    source_ids: set[str],
    kecamatan_codes: set[str],
    kelurahan_codes: set[str],
) -> Puskesmas | None:
    f = Fields(raw, file, problems, "puskesmas", line)
    if not f.ok:
        return None
    code = f.text("code")
    f.where = f"puskesmas '{code}'"
    kecamatan = f.text("kecamatan", required=False)
    candidates = f.texts("kecamatan_candidates", required=False)
    for kec in (kecamatan, *candidates):
        if kec and kecamatan_codes and kec not in kecamatan_codes:
            f.error("kecamatan", f"kecamatan '{kec}' is not in wilayah.yaml")
    serves = f.texts("serves", required=False)
    for kel in serves:
        if kelurahan_codes and kel not in kelurahan_codes:
            f.error("serves", f"kelurahan '{kel}' is not in wilayah.yaml")
    basis = f.text("serves_basis", required=False, default="kecamatan")
    if basis not in SERVES_BASIS:
        f.error("serves_basis", f"serves_basis must be one of {', '.join(sorted(SERVES_BASIS))}")
    services = f.texts("services", required=False)
    for service in services:
        if service not in SERVICES:
            f.error("services", f"unknown service '{service}' (known: {', '.join(sorted(SERVICES))})")
    entry = Puskesmas(
        code=code,
        name=f.text("name"),
        address=f.text("address", required=False),
        kecamatan=kecamatan,
        kecamatan_candidates=candidates,
        kecamatan_bps=f.text("kecamatan_bps", required=False),
        serves=serves,
        serves_basis=basis,
        point=_point(f),
        phone=f.text("phone", required=False),
        hours=parse_hours(f),
        services=services,
        source=_source(f, source_ids),
        updated=f.date("updated", required=False),
    )
    f.done(allowed_extra=("kecamatan_note", "coord_note", "note"))
    return entry


def _parse_hospital(raw: Any, file: str, line: int, problems: Problems, source_ids: set[str]) -> Hospital | None:
    f = Fields(raw, file, problems, "hospital", line)
    if not f.ok:
        return None
    code = f.text("code")
    f.where = f"hospital '{code}'"
    kind = f.text("kind", required=False, default="umum")
    if kind not in HOSPITAL_KINDS:
        f.error("kind", f"kind must be one of {', '.join(sorted(HOSPITAL_KINDS))}")
    hospital = Hospital(
        code=code,
        name=f.text("name"),
        address=f.text("address", required=False),
        kind=kind,
        igd=f.boolean("igd", default=True),
        point=_point(f),
        phone=f.text("phone", required=False),
        source=_source(f, source_ids),
        updated=f.date("updated", required=False),
    )
    f.done(allowed_extra=("coord_note", "note"))
    return hospital


def _parse_wilayah(doc: Document, problems: Problems) -> tuple[tuple[Kecamatan, ...], str]:
    top = Fields(doc.data, doc.name, problems, "wilayah.yaml")
    top.mapping("sources", required=False)
    region = top.text("region")
    out = []
    for line, raw in top.items("kecamatan"):
        f = Fields(raw, doc.name, problems, "kecamatan", line)
        if not f.ok:
            continue
        code = f.text("code")
        f.where = f"kecamatan '{code}'"
        kelurahan = []
        for kline, kraw in f.items("kelurahan"):
            kf = Fields(kraw, doc.name, problems, f"kelurahan of {code}", kline)
            if kf.ok:
                kelurahan.append(Kelurahan(kf.text("code"), kf.text("name"), code))
                kf.done()
        out.append(Kecamatan(code, f.text("name"), f.texts("formerly", required=False), tuple(kelurahan)))
        f.done()
    top.done()
    return tuple(out), region


def _parse_holidays(doc: Document, problems: Problems) -> tuple[tuple[dt.date, str], ...]:
    top = Fields(doc.data, doc.name, problems, "holidays.yaml")
    top.text("source")
    top.date("updated", required=False)
    out = []
    for line, raw in top.items("holidays"):
        f = Fields(raw, doc.name, problems, "holiday", line)
        day, name = f.date("date"), f.text("name")
        if day is not None:
            out.append((day, name))
        f.done()
    top.done()
    return tuple(sorted(out))


def check(content: Any, problems: Problems) -> None:
    """Cross-section checks: the directory belongs to the office's region."""
    directory: Directory = content.puskesmas
    region = getattr(content.office, "region_code", "")
    if directory.region and region and directory.region != region:
        problems.error("wilayah.yaml", 1, f"region {directory.region} is not the office's region_code {region}")
    for entry in directory.puskesmas:
        if entry.kecamatan and region and not entry.kecamatan.startswith(region + "."):
            problems.warn("puskesmas.yaml", 1, f"puskesmas '{entry.code}' lies outside region {region}")


__all__ = [
    "DAYS",
    "HOLIDAY",
    "Directory",
    "Hospital",
    "Hours",
    "HoursNote",
    "Kecamatan",
    "Kelurahan",
    "Point",
    "Puskesmas",
    "parse_ranges",
]
