"""Make bot/office/data/*.csv.gz from the full reference CSVs (see bot/office/data/PROVENANCE.md).

.venv/bin/python tools/compact_reference.py --domain /work/shared/domain
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "bot" / "office" / "data"
FASKES_COLUMNS = [
    "kode_faskes",
    "jenis_faskes",
    "nama_faskes",
    "alamat",
    "kode_prov_bps",
    "kode_kabkota_bps",
    "nama_kabkota_bps2018",
    "kode_kec_bps",
    "nama_kec_bps2018",
    "lat",
    "lon",
    "coord_suspect",
]


def compact(source: Path, target: Path, columns: list[str] | None = None) -> None:
    with source.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer, columns or list(reader.fieldnames or []), extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(reader)
    target.write_bytes(gzip.compress(buffer.getvalue().encode("utf-8"), 9, mtime=0))  # same input, same bytes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domain", type=Path, required=True)
    args = parser.parse_args()
    compact(args.domain / "faskes_indonesia_2019.csv", OUT / "faskes_2019.csv.gz", FASKES_COLUMNS)
    compact(args.domain / "wilayah_kemendagri_2025.csv", OUT / "wilayah_kemendagri_2025.csv.gz")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
