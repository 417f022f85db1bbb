"""The national reference data shipped in bot/office/data/: regions (Kemendagri 2025) and facilities (2019)."""

from __future__ import annotations

import csv
import gzip
import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
FASKES = DATA / "faskes_2019.csv.gz"
WILAYAH = DATA / "wilayah_kemendagri_2025.csv.gz"
BPS_KELURAHAN = {"14.71": DATA / "bps2018_kelurahan_1471.csv"}  # 2018 BPS kelurahan lists we have

# Where the files came from; `sha256` is the original full file's (see data/PROVENANCE.md).
FASKES_ORIGIN = {
    "file": "faskes_indonesia_2019.csv",
    "sha256": "8915cdfbb3a15955fd1bdbad206c8e86446a57163ea45f4ff9a9e64b795b0682",
    "origin": "Kemenkes BPPSDMK peta fasilitas kesehatan, dikumpulkan Januari 2020 (data 2019); "
    "repositori akirawisnu/faskes-indonesia-2019-scrapper, berkas finfile_faskes_indonesia_2019.v3.xlsx",
    "commit": "b440d954b819706205bcde586be2cb97d199d8b1",
    "year": 2019,
    "licence": "tidak dinyatakan oleh repositori; data pemerintah yang terbuka untuk umum — verifikasi sebelum dipakai",
}
WILAYAH_ORIGIN = {
    "file": "wilayah_kemendagri_2025.csv",
    "sha256": "257e75c2e3838b239f2a85a123e48659f435b6c06ae7a59b92fdd9c8082bf4fe",
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
# Provinces outside WIB (Kemendagri province codes).
WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
WIT = {"81", "82", "91", "92", "93", "94", "95", "96"}


def key(text: str) -> str:
    """Letters only, lower case: 'Simpang Baru' and 'Simpangbaru' are the same place."""
    return re.sub(r"[^a-z]", "", text.lower())


@dataclass(frozen=True, slots=True)
class Region:
    code: str  # Kemendagri, e.g. "14.03"
    name: str  # "Kabupaten Bengkalis"
    province: str  # "Riau"

    @property
    def is_city(self) -> bool:
        return self.name.startswith("Kota ")

    @property
    def short(self) -> str:
        """'Bengkalis' from 'Kabupaten Bengkalis'."""
        return re.sub(r"^(Kabupaten|Kota)\s+", "", self.name)

    @property
    def timezone(self) -> str:
        prov = self.code[:2]
        return "WITA" if prov in WITA else "WIT" if prov in WIT else "WIB"


def _rows(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(io.StringIO(fh.read())))


@cache
def wilayah_rows() -> tuple[dict[str, str], ...]:
    return tuple(_rows(WILAYAH))


@cache
def faskes_rows() -> tuple[dict[str, str], ...]:
    return tuple(_rows(FASKES))


@cache
def regions() -> dict[str, Region]:
    """Every city and regency by Kemendagri code."""
    provinces = {r["kode"]: r["nama"] for r in wilayah_rows() if r["level"] == "provinsi"}
    return {
        r["kode"]: Region(r["kode"], r["nama"], provinces.get(r["kode_prov"], ""))
        for r in wilayah_rows()
        if r["level"] == "kabkota"
    }


def region_rows(code: str) -> list[dict[str, str]]:
    """Kecamatan and kelurahan/desa rows of one city or regency."""
    return [r for r in wilayah_rows() if r["kode_kabkota"] == code and r["level"] not in {"kabkota", "provinsi"}]


# Regencies renamed since the 2018 BPS names the 2019 facility list uses (Kemendagri 2025 code: BPS 2018 name).
FORMERLY = {
    "12.12": "KABUPATEN TOBA SAMOSIR",  # Kabupaten Toba since 2020 (PP 34/2020)
    "64.11": "KABUPATEN MAHAKAM HULU",  # spelled Mahakam Ulu by Kemendagri
    "71.09": "KABUPATEN SIAU TAGULANDANG BIARO",  # "Kep." in Kemendagri's name
    "76.01": "KABUPATEN MAMUJU UTARA",  # Kabupaten Pasangkayu since 2017 (PP 61/2017)
    "81.03": "KABUPATEN MALUKU TENGGARA BARAT",  # Kabupaten Kepulauan Tanimbar since 2019 (PP 2/2019)
}


def region_key(name: str) -> str:
    """'Kota Administrasi Jakarta Pusat' and 'KOTA JAKARTA PUSAT' alike; 'Kep.' is 'Kepulauan'."""
    name = re.sub(r"\bkep\.\s*", "kepulauan ", name.lower())
    return key(re.sub(r"\badministrasi\b", "", name))


def facilities(region: Region) -> list[dict[str, str]]:
    """The region's 2019 facilities, matched by the regency's name (BPS codes differ from Kemendagri's):
    in its own province, then under its 2018 name if it was renamed, then anywhere in the country when
    only one regency has that name (the 2022 Papua provinces were Papua and Papua Barat, whose BPS
    and Kemendagri codes are swapped). A region found nowhere has none: never another region's."""
    rows = faskes_rows()
    want = region_key(FORMERLY.get(region.code, region.name))
    same = [r for r in rows if r["kode_prov_bps"] == region.code[:2] and region_key(r["nama_kabkota_bps2018"]) == want]
    if same:
        return same
    anywhere = [r for r in rows if region_key(r["nama_kabkota_bps2018"]) == want]
    return anywhere if len({r["kode_kabkota_bps"] for r in anywhere}) == 1 else []
