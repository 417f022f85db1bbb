"""Build content/puskesmas.yaml and content/wilayah.yaml from the shared reference CSVs.

Run from the repository root:

    .venv/bin/python tools/build_puskesmas.py [--domain /work/shared/domain] [--region 14.71] [--out content]

What it does, and why:
- Copies the region's puskesmas and hospitals from faskes_indonesia_2019.csv (Kemenkes 2019 data).
  Coordinates flagged `coord_suspect=Y`, and points shared by two facilities (a geocoder's
  city-centre fallback, not a building), are left empty: a wrong point would send people to
  the wrong place. Phone, opening hours and services are left empty because the source has
  none; the office fills them in.
- Copies the region's kecamatan and kelurahan from wilayah_kemendagri_2025.csv.
- Maps each puskesmas from its 2018 BPS kecamatan to a 2025 Kemendagri kecamatan. Names and
  borders changed (Pekanbaru went from 12 to 15 kecamatan), so the BPS 2018 kelurahan list in
  tools/data/ tells which new kecamatan each old one became; a split is resolved by the
  puskesmas' own name (it usually names its kelurahan), then its address, then a kecamatan of
  the same name. What stays ambiguous keeps its candidates and is reported.
- Prints every mismatch on stderr; the content files carry the provenance.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from rapidfuzz import fuzz

HERE = Path(__file__).resolve().parent
BPS_KELURAHAN = HERE / "data" / "bps2018_kelurahan_1471.csv"
FASKES = "faskes_indonesia_2019.csv"
WILAYAH = "wilayah_kemendagri_2025.csv"
FASKES_ORIGIN = {
    "origin": "Kemenkes BPPSDMK peta fasilitas kesehatan, dikumpulkan Januari 2020 (data 2019); "
    "repositori akirawisnu/faskes-indonesia-2019-scrapper, berkas finfile_faskes_indonesia_2019.v3.xlsx",
    "commit": "b440d954b819706205bcde586be2cb97d199d8b1",
    "year": 2019,
    "licence": "tidak dinyatakan oleh repositori; data pemerintah yang terbuka untuk umum — verifikasi sebelum dipakai",
}
WILAYAH_ORIGIN = {
    "origin": "Kepmendagri 300.2.2-2138/2025 lewat repositori cahyadsn/wilayah",
    "commit": "b7ad440a1322e7be3189a16a8cac35f7d4c3d7f7",
    "year": 2025,
    "licence": "MIT (LICENSE-wilayah-MIT.txt)",
}
BPS_ORIGIN = {
    "origin": "Kode wilayah BPS 2018, repositori edwardsamuel/Wilayah-Administratif-Indonesia (csv/villages.csv)",
    "commit": "039be45a6f95f5ef63728475b22f77b61135be79",
    "year": 2018,
    "licence": "ODbL 1.0",
}
SMALL_WORDS = {"RI", "RS", "RSU", "RSIA", "TK", "IV", "PMC", "DR", "II", "III"}


def key(text: str) -> str:
    """Letters only, lower case: 'Simpang Baru' and 'Simpangbaru' are the same place."""
    return re.sub(r"[^a-z]", "", text.lower())


def title(text: str) -> str:
    words = re.split(r"(\s+|/)", text.strip())
    return "".join(w if w.upper() in SMALL_WORDS else w.capitalize() for w in words)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Kecamatan:
    code: str
    name: str
    kelurahan: list[tuple[str, str]] = field(default_factory=list)
    formerly: set[str] = field(default_factory=set)


def read_wilayah(path: Path, region: str) -> dict[str, Kecamatan]:
    kecamatan: dict[str, Kecamatan] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["kode_kabkota"] != region:
                continue
            if row["level"] == "kecamatan":
                kecamatan[row["kode"]] = Kecamatan(row["kode"], row["nama"])
            elif row["level"] not in {"kabkota", "provinsi"}:
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


def build(domain: Path, region: str, out: Path, today: date) -> list[str]:
    report: list[str] = []
    kecamatan = read_wilayah(domain / WILAYAH, region)
    bps_region = region.replace(".", "")
    with (domain / FASKES).open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["kode_kabkota_bps"] == bps_region]
    bps_names = {r["kode_kec_bps"]: r["nama_kec_bps2018"] for r in rows if r["kode_kec_bps"]}
    moved = successors(kecamatan, read_bps(BPS_KELURAHAN), bps_names, report)

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

    puskesmas = []
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

    hospitals = []
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

    sources = {
        "faskes2019": {"file": FASKES, "sha256": sha256(domain / FASKES), **FASKES_ORIGIN},
        "wilayah2025": {"file": WILAYAH, "sha256": sha256(domain / WILAYAH), **WILAYAH_ORIGIN},
        "bps2018": {"file": "tools/data/bps2018_kelurahan_1471.csv", **BPS_ORIGIN},
    }
    with_kec = {p["kecamatan"] for p in puskesmas} | {c for p in puskesmas for c in p.get("kecamatan_candidates", [])}  # type: ignore[attr-defined]
    for kec in kecamatan.values():
        if kec.code not in with_kec:
            report.append(
                f"kecamatan {kec.name} ({kec.code}): belum ada puskesmas di data 2019 (dulu bagian dari {', '.join(sorted(kec.formerly))})"
            )
    report.append(f"{len(puskesmas)} puskesmas, {len(hospitals)} rumah sakit, {len(kecamatan)} kecamatan")

    header = (
        "# Dibuat oleh tools/build_puskesmas.py dari data rujukan; boleh disunting kantor.\n"
        "# Koordinat, telepon dan jam buka yang kosong berarti belum diketahui: bot mengatakan\n"
        '# "belum tersedia", tidak menebak. Jam buka per hari, contoh: senin: "07.30-14.00",\n'
        '# sabtu: "07.30-11.00", minggu: tutup, libur: tutup (hari libur nasional), atau "24 jam".\n'
        "# Wilayah kerja: serves_basis: kecamatan = dianggap semua kelurahan di kecamatannya (belum ada data\n"
        "# pasti). Bila diketahui, tulis serves: [kode kelurahan, ...] dan serves_basis: kelurahan.\n"
        "# services: rawat_inap, 24_jam, poned, laboratorium, ugd, persalinan, gigi, imunisasi, farmasi.\n"
    )
    doc = {
        "sources": sources,
        "updated": today,
        "note": "Data 2019: nama, alamat dan koordinat perlu diverifikasi kantor. Pekanbaru kini punya sekitar "
        "21 puskesmas; daftar 2019 memuat 19.",
        "puskesmas": puskesmas,
        "hospitals": hospitals,
    }
    (out / "puskesmas.yaml").write_text(header + dump(doc), encoding="utf-8")
    wilayah = {
        "sources": {"wilayah2025": sources["wilayah2025"], "bps2018": sources["bps2018"]},
        "region": region,
        "kecamatan": [
            {
                "code": kec.code,
                "name": kec.name,
                "formerly": sorted(kec.formerly),
                "kelurahan": [{"code": c, "name": n} for c, n in kec.kelurahan],
            }
            for kec in sorted(kecamatan.values(), key=lambda k: k.code)
        ],
    }
    (out / "wilayah.yaml").write_text(
        "# Kecamatan dan kelurahan (Kemendagri 2025), dibuat oleh tools/build_puskesmas.py.\n"
        "# formerly: kecamatan BPS 2018 yang kelurahannya kini ada di kecamatan ini.\n" + dump(wilayah),
        encoding="utf-8",
    )
    return report


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True  # staff read these files: repeat a date rather than show &id001 anchors


def dump(data: object) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domain", type=Path, default=Path("/work/shared/domain"))
    parser.add_argument("--region", default="14.71", help="Kemendagri code of the city/regency")
    parser.add_argument("--out", type=Path, default=Path("content"))
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    args = parser.parse_args(argv)
    for line in build(args.domain, args.region, args.out, args.today):
        print(line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
