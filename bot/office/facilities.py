"""Puskesmas, hospitals and kecamatan of one region, from the reference data, for its content pack.

- Coordinates flagged `coord_suspect=Y`, and points shared by two facilities (a geocoder's
  city-centre fallback, not a building), are left empty: a wrong point would send people to
  the wrong place. Phone, opening hours and services are left empty because the source has none.
- Each puskesmas is mapped from its 2018 BPS kecamatan to a 2025 Kemendagri kecamatan. Names and
  borders changed (Pekanbaru went from 12 to 15 kecamatan); where a 2018 BPS kelurahan list is
  shipped, it tells which new kecamatan each old one became; a split is resolved by the puskesmas'
  own name (it usually names its kelurahan), then its address, then a kecamatan of the same name.
  What stays ambiguous keeps its candidates and is reported.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz

from bot.office.reference import BPS_KELURAHAN, Region, facilities, key, region_rows

SMALL_WORDS = {"RI", "RS", "RSU", "RSIA", "TK", "IV", "PMC", "DR", "II", "III"}


def title(text: str) -> str:
    words = re.split(r"(\s+|/)", text.strip())
    return "".join(w if w.upper() in SMALL_WORDS else w.capitalize() for w in words)


@dataclass
class Kecamatan:
    code: str
    name: str
    kelurahan: list[tuple[str, str]] = field(default_factory=list)
    formerly: set[str] = field(default_factory=set)


@dataclass
class Facilities:
    kecamatan: dict[str, Kecamatan]
    puskesmas: list[dict[str, object]]
    hospitals: list[dict[str, object]]
    report: list[str]


def read_kecamatan(region: str) -> dict[str, Kecamatan]:
    kecamatan: dict[str, Kecamatan] = {}
    for row in region_rows(region):
        if row["level"] == "kecamatan":
            kecamatan[row["kode"]] = Kecamatan(row["kode"], row["nama"])
        else:
            kecamatan[row["kode_kec"]].kelurahan.append((row["kode"], row["nama"]))
    return kecamatan


def read_bps(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


def successors(
    kecamatan: dict[str, Kecamatan], bps_rows: list[dict[str, str]], bps_names: dict[str, str], report: list[str]
) -> dict[str, set[str]]:
    """Which 2025 kecamatan each 2018 BPS kecamatan's kelurahan now belong to."""
    kel_index = [(key(name), code, kec.code) for kec in kecamatan.values() for code, name in kec.kelurahan]
    found: dict[str, set[str]] = defaultdict(set)
    for row in bps_rows:
        want = key(row["nama"])
        exact = [k for k in kel_index if k[0] == want]
        split = [k for k in kel_index if k[0].startswith(want) and len(want) >= 5]
        scored = sorted(((fuzz.ratio(k[0], want), k) for k in kel_index), reverse=True)
        close = [scored[0][1]] if scored and scored[0][0] >= 80 else []
        hits = exact or split or close
        if not hits:
            report.append(f"kelurahan BPS 2018 {row['nama']} ({row['kode_desa']}): tidak ada di Kemendagri 2025")
            continue
        if not exact:
            report.append(f"kelurahan BPS 2018 {row['nama']} -> {', '.join(h[1] for h in hits)} (nama berbeda/pecah)")
        for hit in hits:
            found[row["kode_kec_bps"]].add(hit[2])
            kecamatan[hit[2]].formerly.add(title(bps_names.get(row["kode_kec_bps"], row["kode_kec_bps"])))
    return found


def resolve(row: dict[str, str], candidates: set[str], kecamatan: dict[str, Kecamatan]) -> tuple[str, list[str], str]:
    """(kecamatan code or "", candidates when ambiguous, how it was decided)."""
    if not candidates:  # no 2018 kelurahan list for this region: fall back to the kecamatan's name
        candidates = {k.code for k in kecamatan.values() if key(k.name) == key(row["nama_kec_bps2018"])}
    if len(candidates) == 1:
        code = next(iter(candidates))
        return code, [], "kelurahan kecamatan BPS 2018 kini semuanya di kecamatan ini"
    name = key(re.sub(r"^RI\s+", "", row["nama_faskes"]))
    by_name = {kec for kec in candidates for _, kel in kecamatan[kec].kelurahan if key(kel).startswith(name)}
    if len(by_name) == 1:
        return by_name.pop(), [], "kecamatan terpecah; dipilih dari kelurahan yang sama dengan nama puskesmas"
    same = [kec for kec in candidates if key(kecamatan[kec].name) == name]
    if len(same) == 1:
        return same[0], [], "kecamatan terpecah; dipilih dari kecamatan yang sama dengan nama puskesmas"
    address = key(row["alamat"].split("Kec.")[0])
    by_address = {
        kec for kec in candidates for _, kel in kecamatan[kec].kelurahan if len(key(kel)) > 4 and key(kel) in address
    }
    if len(by_address) == 1:
        return by_address.pop(), [], "kecamatan terpecah; dipilih dari nama kelurahan di alamat"
    same = [kec for kec in candidates if key(kecamatan[kec].name) == key(row["nama_kec_bps2018"])]
    if len(same) == 1:
        return same[0], [], "kecamatan terpecah; dipilih kecamatan bernama sama dengan kecamatan BPS 2018 — perlu dicek"
    if not candidates:
        return "", [], "kecamatan BPS 2018 tidak ditemukan di Kemendagri 2025 — perlu dicek kantor"
    return "", sorted(candidates), "kecamatan terpecah dan belum bisa dipastikan — perlu dicek kantor"


def clean_address(text: str) -> str:
    text = re.sub(r",?\s*Kec\.\s*[^,]*$", "", text.strip())
    return re.sub(r"\s+", " ", text).strip(" ,")


def hospital_kind(name: str) -> str:
    low = name.lower()
    if "jiwa" in low:
        return "jiwa"
    if "ibu dan anak" in low or "rsia" in low:
        return "ibu_anak"
    return "umum"


def collect(region: Region, today: date) -> Facilities:
    report: list[str] = []
    kecamatan = read_kecamatan(region.code)
    rows = facilities(region)
    bps_names = {r["kode_kec_bps"]: r["nama_kec_bps2018"] for r in rows if r["kode_kec_bps"]}
    bps_list = BPS_KELURAHAN.get(region.code)
    moved = successors(kecamatan, read_bps(bps_list), bps_names, report) if bps_list else {}

    points: dict[tuple[str, str], int] = defaultdict(int)
    for r in rows:
        points[(r["lat"], r["lon"])] += 1

    def coords(r: dict[str, str]) -> tuple[float | None, float | None, str]:
        if r["coord_suspect"] == "Y":
            return None, None, "koordinat 2019 ditandai salah (coord_suspect=Y); dikosongkan"
        if not r["lat"] or not r["lon"]:
            return None, None, "koordinat tidak ada di sumber"
        if points[(r["lat"], r["lon"])] > 1:
            return None, None, "koordinat 2019 sama persis dengan fasilitas lain (titik tengah kota); dikosongkan"
        return round(float(r["lat"]), 6), round(float(r["lon"]), 6), ""

    puskesmas: list[dict[str, object]] = []
    for r in sorted((r for r in rows if r["jenis_faskes"] == "PUSKESMAS"), key=lambda r: r["nama_faskes"]):
        code, candidates, how = resolve(r, moved.get(r["kode_kec_bps"], set()), kecamatan)
        lat, lon, coord_note = coords(r)
        if coord_note:
            report.append(f"{r['kode_faskes']} {r['nama_faskes']}: {coord_note}")
        if not code:
            report.append(f"{r['kode_faskes']} {r['nama_faskes']}: kecamatan belum pasti, calon {candidates}")
        elif key(kecamatan[code].name) != key(r["nama_kec_bps2018"]):
            report.append(
                f"{r['kode_faskes']} {r['nama_faskes']}: BPS {r['nama_kec_bps2018']} -> Kemendagri {kecamatan[code].name} ({how})"
            )
        entry: dict[str, object] = {
            "code": r["kode_faskes"],
            "name": title(r["nama_faskes"]),
            "address": clean_address(r["alamat"]),
            "kecamatan": code,
        }
        if candidates:
            entry["kecamatan_candidates"] = candidates
        entry["kecamatan_bps"] = title(r["nama_kec_bps2018"])
        entry["kecamatan_note"] = how
        # The precise wilayah kerja is not in any source: "kecamatan" means every kelurahan of its kecamatan.
        entry["serves_basis"] = "kecamatan"
        entry["lat"], entry["lon"] = lat, lon
        if coord_note:
            entry["coord_note"] = coord_note
        entry["phone"] = ""
        entry["hours"] = {}
        # "RI" in the 2019 name means puskesmas rawat inap (with inpatient beds).
        entry["services"] = ["rawat_inap"] if r["nama_faskes"].startswith("RI ") else []
        entry["source"] = "faskes2019"
        entry["updated"] = today
        puskesmas.append(entry)

    hospitals: list[dict[str, object]] = []
    for r in sorted((r for r in rows if r["jenis_faskes"] == "RUMAH SAKIT"), key=lambda r: r["nama_faskes"]):
        lat, lon, coord_note = coords(r)
        if coord_note:
            report.append(f"{r['kode_faskes']} {r['nama_faskes']}: {coord_note}")
        entry = {"code": r["kode_faskes"], "name": r["nama_faskes"].strip(), "address": clean_address(r["alamat"])}
        entry["kind"] = hospital_kind(r["nama_faskes"])
        entry["igd"] = True
        entry["lat"], entry["lon"] = lat, lon
        if coord_note:
            entry["coord_note"] = coord_note
        entry["phone"] = ""
        entry["source"] = "faskes2019"
        entry["updated"] = today
        hospitals.append(entry)

    with_kec = {str(p["kecamatan"]) for p in puskesmas}
    with_kec |= {c for p in puskesmas for c in p.get("kecamatan_candidates", [])}  # type: ignore[attr-defined]
    for kec in kecamatan.values():
        if kec.code not in with_kec:
            before = f" (dulu bagian dari {', '.join(sorted(kec.formerly))})" if kec.formerly else ""
            report.append(f"kecamatan {kec.name} ({kec.code}): belum ada puskesmas di data 2019{before}")
    report.append(f"{len(puskesmas)} puskesmas, {len(hospitals)} rumah sakit, {len(kecamatan)} kecamatan")
    return Facilities(kecamatan, puskesmas, hospitals, report)
