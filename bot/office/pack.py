"""Write a whole content pack for one region: facilities, regions, office profile, UHC, national content."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import yaml

from bot.office import local
from bot.office.facilities import Facilities, collect
from bot.office.reference import BPS_ORIGIN, FASKES_ORIGIN, WILAYAH_ORIGIN, Region

# The content the repository ships (Kota Pekanbaru's pack): its national files are every office's.
TEMPLATE = Path(__file__).resolve().parent.parent.parent / "content"
OFFICE_FILES = {"office.yaml", "uhc.yaml", "puskesmas.yaml", "wilayah.yaml"}  # written for the office
# Read from the template by every pack that has none (bot/knowledge/danger_model.py SHARED): never copied. The learned
# danger net's weights (tools/train_danger_net.py) name no office's places, and are 0.7 MB; the topic model's
# (tools/train_topic_net.py) name Pekanbaru's places only as features another office's residents never write
SHARED = {"danger_model.json", "topic_model.json"}
HEADER = (
    "# Dibuat oleh `python -m bot office new` dari data rujukan; boleh disunting kantor.\n"
    "# Koordinat, telepon dan jam buka yang kosong berarti belum diketahui: bot mengatakan\n"
    '# "belum tersedia", tidak menebak. Jam buka per hari, contoh: senin: "07.30-14.00",\n'
    '# sabtu: "07.30-11.00", minggu: tutup, libur: tutup (hari libur nasional), atau "24 jam".\n'
    "# Wilayah kerja: serves_basis: kecamatan = dianggap semua kelurahan di kecamatannya (belum ada data\n"
    "# pasti). Bila diketahui, tulis serves: [kode kelurahan, ...] dan serves_basis: kelurahan.\n"
    "# hours_notes: yang diumumkan sumber tentang jam layanan tanpa jadwal lengkap (teks apa adanya, sumber, tanggal).\n"
    "# services: rawat_inap, 24_jam, poned, laboratorium, ugd, persalinan, gigi, imunisasi, farmasi.\n"
)


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True  # staff read these files: repeat a date rather than show &id001 anchors


def dump(data: object) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


def sources(region: Region) -> dict[str, dict[str, object]]:
    found = {"faskes2019": dict(FASKES_ORIGIN), "wilayah2025": dict(WILAYAH_ORIGIN)}
    if region.code == "14.71":
        found["bps2018"] = {"file": "bot/office/data/bps2018_kelurahan_1471.csv", **BPS_ORIGIN}
    return found


def write_facilities(region: Region, found: Facilities, out: Path, today: date) -> None:
    src = sources(region)
    doc = {
        "sources": src,
        "updated": today,
        "note": local.facilities_note(region, len(found.puskesmas)),
        **({"hours_notes": notes} if (notes := local.known().get(region.code, {}).get("hours_notes")) else {}),
        "puskesmas": found.puskesmas,
        "hospitals": found.hospitals,
    }
    (out / "puskesmas.yaml").write_text(HEADER + dump(doc), encoding="utf-8")
    wilayah = {
        "sources": {k: v for k, v in src.items() if k != "faskes2019"},
        "region": region.code,
        "kecamatan": [
            {
                "code": kec.code,
                "name": kec.name,
                "formerly": sorted(kec.formerly),
                "kelurahan": [{"code": c, "name": n} for c, n in kec.kelurahan],
            }
            for kec in sorted(found.kecamatan.values(), key=lambda k: k.code)
        ],
    }
    (out / "wilayah.yaml").write_text(
        "# Kecamatan dan kelurahan (Kemendagri 2025), dibuat oleh `python -m bot office new`.\n"
        "# formerly: kecamatan BPS 2018 yang kelurahannya kini ada di kecamatan ini.\n" + dump(wilayah),
        encoding="utf-8",
    )


def copy_national(region: Region, found: Facilities, out: Path) -> None:
    """Every template file that is not the office's own, with the office's name put in."""
    example = next((str(p["name"]) for p in found.puskesmas), "")
    if out.resolve() == TEMPLATE.resolve():
        return
    for path in sorted(TEMPLATE.rglob("*")):
        rel = path.relative_to(TEMPLATE)
        if not path.is_file() or str(rel) in OFFICE_FILES or str(rel) in SHARED:
            continue
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix in {".yaml", ".yml"}:
            text = path.read_text(encoding="utf-8")
            target.write_text(local.localize(text, region, found.kecamatan.values(), example), encoding="utf-8")
        else:
            shutil.copyfile(path, target)


def build(region: Region, out: Path, today: date) -> list[str]:
    """Write the pack into `out`; returns what could not be matched or was left empty, one line each."""
    out.mkdir(parents=True, exist_ok=True)
    found = collect(region, today)
    write_facilities(region, found, out, today)
    copy_national(region, found, out)
    if out.resolve() != TEMPLATE.resolve():  # the template's own office files are Pekanbaru's, kept as they are
        office = (TEMPLATE / "office.yaml").read_text(encoding="utf-8")
        if region.code != local.TEMPLATE_REGION:
            office = local.office_yaml(region)
        (out / "office.yaml").write_text(office, encoding="utf-8")
        uhc = local.uhc_yaml(region, (TEMPLATE / "uhc.yaml").read_text(encoding="utf-8"), today.isoformat())
        (out / "uhc.yaml").write_text(uhc, encoding="utf-8")
    return found.report
