"""What changes from one office to another: names in the national texts, office.yaml and uhc.yaml.

The template is the repository's own content/ (Kota Pekanbaru). Its national texts name
Pekanbaru here and there; for another office the name is replaced, and sentences that state a
Pekanbaru-only fact (office hours, puskesmas open until 21.00, the 2023 UHC targets, its UHC
figures) are dropped: nothing is carried over that the new office has not said.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

import yaml

from bot.office.reference import DATA, Region, key

TEMPLATE_REGION = "14.71"
VERIFY = "TODO-VERIFY"  # `content check` warns on every line that holds it, until staff remove it
# A sentence with one of these states something only Pekanbaru said.
PEKANBARU_ONLY = ("2023", "21.00", "21:00", "November 2025", "08.00–16.00", "08:00–16:00", "Rejosari")
# Pekanbaru's own figures (FACTS.md §2): dropped wherever they stand, named or not.
PEKANBARU_FIGURES = ("100,76", "100.76", "83,15", "83.15", "305.442", "305,442")
HOURS_ASIDE = re.compile(r"\s*\((Senin–Jumat, 08\.00–16\.00 WIB|Monday–Friday, 08:00–16:00 WIB)\)")
LOCAL_WORDS = ("ekanbaru", "Pemkot", "city", "Health Office", "Dinas Kesehatan", "Rejosari")
KECAMATAN_LIST = "# Nama kecamatan Kota Pekanbaru"


@cache
def known() -> dict[str, Any]:
    return yaml.safe_load((DATA / "known_offices.yaml").read_text(encoding="utf-8")) or {}


def city(region: Region) -> str:
    """The name residents use: 'Kota Pangkalpinang' where Kemendagri writes 'Kota Pangkal Pinang'."""
    return str(known().get(region.code, {}).get("city", region.name))


@cache  # asked for every line of every national file
def short(region: Region) -> str:
    """'Bengkalis'; but 'Kabupaten Bekasi' in full, since Kota Bekasi has the same short name."""
    from bot.office.reference import regions

    bare = re.sub(r"^(Kabupaten|Kota)\s+", "", city(region))
    same = [r for r in regions().values() if key(r.name.split(" ", 1)[-1]) == key(bare)]
    return bare if len(same) <= 1 else city(region)


def office_name(region: Region) -> str:
    return f"Dinas Kesehatan {city(region)}"


def _names(text: str, region: Region) -> str:
    en_office = f"{short(region)} {'City' if region.is_city else 'Regency'} Health Office"
    text = text.replace("Pekanbaru City Health Office", en_office)
    # The city's full name in any case first ("kota pekanbaru" in a resident's phrasing is "kabupaten bekasi",
    # not "kota kabupaten bekasi"), then the short name, each in the case it was typed in.
    text = _CITY.sub(lambda m: _cased(city(region), m.group(0)), text)
    return _SHORT.sub(lambda m: _cased(short(region), m.group(0)), _regency(text, region))


_SAID = re.compile(r'\s*- \{say: "((?:[^"\\]|\\.)*)"')  # a phrasing's line in phrasings.yaml
_CITY = re.compile(r"\bkota\s+pekanbaru\b", re.IGNORECASE)
_SHORT = re.compile(r"pekanbaru", re.IGNORECASE)


def _cased(name: str, typed: str) -> str:
    """`name` in the case `typed` is written in: "kota pekanbaru" -> "kabupaten bekasi", "PEKANBARU" -> "BEKASI"."""
    if typed.islower():
        return name.lower()
    return name.upper() if typed.isupper() else name


def _regency(text: str, region: Region) -> str:
    if not region.is_city:
        for old, new in (
            ("Pemerintah Kota", "Pemerintah Kabupaten"),
            ("Pemkot", "Pemkab"),
            ("city government", "regency government"),
            ("city-paid", "regency-paid"),
            ("the city", "the regency"),
            ("The city", "The regency"),
            ("city's", "regency's"),
            ("by the city", "by the regency"),
        ):
            text = text.replace(old, new)
    return text


HOURS_UNKNOWN = {  # Pekanbaru's office hours become "not listed", in the same language
    "08.00–16.00": "Jam layanan kantor Dinas Kesehatan belum tercantum di layanan chat ini.",
    "08:00–16:00": "The Health Office's hours are not yet listed in this chat service.",
}


def _hours(text: str) -> str:
    return next((t for t in HOURS_UNKNOWN if t in text and ("Dinas Kesehatan" in text or "Health Office" in text)), "")


def _pekanbaru_only(text: str) -> bool:
    named = any(t in text for t in PEKANBARU_ONLY) and any(w in text for w in LOCAL_WORDS)
    return named or any(f in text for f in PEKANBARU_FIGURES)


def _sentences(line: str) -> str:
    """The line without its Pekanbaru-only sentences."""
    indent = line[: len(line) - len(line.lstrip())]
    body = line.strip()
    if body.startswith("source:"):
        parts = [p for p in body[len("source:") :].split(";") if not _pekanbaru_only(p)]
        kept = ";".join(parts).strip()
        return f"{indent}source: {kept or 'BPJS Kesehatan, ketentuan JKN dan UHC'}"
    parts = [HOURS_UNKNOWN.get(t, p) if (t := _hours(p)) else p for p in re.split(r"(?<=[.!?])\s+", body)]
    kept = " ".join(p for p in parts if not _pekanbaru_only(p))
    return indent + kept if kept else ""


def localize(text: str, region: Region, kecamatan: Iterable[Any], example: str = "") -> str:
    """A national content file with the office's names instead of Pekanbaru's."""
    if region.code == TEMPLATE_REGION:
        return text
    out: list[str] = []
    phrased: set[str] = set()  # residents' phrasings (phrasings.yaml) kept so far, as `content check` compares them
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.strip().startswith(KECAMATAN_LIST):  # question variants naming the region's kecamatan
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}# Nama kecamatan {city(region)} (Kemendagri 2025), agar nama dua kata tetap dikenali.")
            while i < len(lines) and lines[i].strip().startswith("- puskesmas di kecamatan "):
                i += 1
            out.extend(f"{indent}- puskesmas di kecamatan {k.name.lower()}" for k in kecamatan)
            continue
        if line.lstrip().startswith("#"):  # comments too, but a dialect stays where it is spoken
            out.append(line if "bahasa" in line else _names(line, region))
            continue
        line = HOURS_ASIDE.sub("", line)
        if example:
            line = line.replace('"jam buka puskesmas Rejosari"', f'"jam buka puskesmas {example}"')
            line = line.replace('"opening hours puskesmas Rejosari"', f'"opening hours puskesmas {example}"')
        if _pekanbaru_only(line) and not line.lstrip().startswith("- "):
            line = _sentences(line)
            if not line:
                if out and not out[-1].strip() and i < len(lines) and not lines[i].strip():
                    i += 1  # the paragraph is gone: keep one blank line, not two
                continue
        line = _names(line, region)
        if said := _SAID.match(line):  # "dinkes pekanbaru" and "dinkes kota pekanbaru" may read alike: kept once
            key = " ".join(said.group(1).lower().split())
            if key in phrased:
                continue
            phrased.add(key)
        if line.lstrip().startswith("source:") and office_name(region) in line:
            line += f"  # {VERIFY}: sumber ini disalin dari templat; pastikan berlaku di kantor ini"
        out.append(line)
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def facilities_note(region: Region, count: int) -> str:
    if region.code == TEMPLATE_REGION:
        return "Data 2019: nama, alamat dan koordinat perlu diverifikasi kantor. Pekanbaru kini punya sekitar 21 puskesmas; daftar 2019 memuat 19."
    return f"Data 2019: nama, alamat dan koordinat perlu diverifikasi kantor. Daftar 2019 memuat {count} puskesmas."


def office_yaml(region: Region) -> str:
    return (
        "# Profil kantor: siapa yang menjalankan bot ini dan cara warga menghubungi petugas.\n"
        "# Dibuat oleh `python -m bot office new`. Baris bertanda TODO-VERIFY belum dipastikan kantor:\n"
        "# `python -m bot content check` memperingatkannya sampai petugas mengisi atau memastikannya lalu\n"
        "# menghapus tanda itu. Yang kosong tidak ditebak: bot mengatakan informasinya belum tersedia.\n"
        f"name: {office_name(region)}\n"
        f"city: {city(region)}\n"
        f'region_code: "{region.code}"          # kode Kemendagri (Kepmendagri 300.2.2-2138/2025)\n'
        f'hotline: ""                   # {VERIFY}: nomor telepon/WhatsApp layanan kantor\n'
        "hours:                        # " + VERIFY + ": jam layanan kantor\n"
        "  id: Jam layanan kantor belum dicantumkan; tanyakan ke puskesmas terdekat.\n"
        "  en: Office hours are not listed yet; ask at your nearest puskesmas.\n"
        f'address: ""                   # {VERIFY}: alamat kantor\n'
        "complaints:                   # " + VERIFY + ": saluran pengaduan kantor\n"
        "  id: Sampaikan keluhan atau saran lewat puskesmas terdekat atau langsung ke kantor Dinas Kesehatan.\n"
        "  en: Send complaints or suggestions through your nearest puskesmas or to the Health Office.\n"
        f"timezone: {region.timezone}\n"
        'emergency_number: "119"\n'
        "mental_health_line: 119 ext. 8 (SEJIWA)\n"
        f'website: ""                   # {VERIFY}: situs web kantor\n'
    )


def _local_fact(region: Region, today: str) -> str:
    facts = known().get(region.code, {})
    if facts.get("uhc"):
        id_text, en_text = facts["uhc"]["id"].rstrip(), facts["uhc"]["en"].rstrip()
        source, reviewed, mark = facts["source"], facts["reviewed"], f"  # {VERIFY}: fakta dari pemberitaan"
    else:
        id_text = f"Aturan UHC khusus {city(region)} belum dicatat di layanan chat ini; tanyakan ke puskesmas terdekat."
        en_text = (
            f"{city(region)}'s own UHC rules are not recorded in this chat service yet; ask at your nearest puskesmas."
        )
        source, reviewed, mark = "belum ada, diisi kantor", today, f"  # {VERIFY}: isi aturan UHC daerah"
    pad = "        "
    return (
        f"  daerah:{mark}\n"
        f"    title: {{id: UHC di {city(region)}, en: UHC in {city(region)}}}\n"
        "    text:\n"
        "      id: |\n" + "".join(f"{pad}{t}\n" for t in id_text.splitlines()) + "      en: |\n"
        ""
        + "".join(f"{pad}{t}\n" for t in en_text.splitlines())
        + f"    source: {json.dumps(source, ensure_ascii=False)}\n"
        f"    reviewed: {reviewed}\n"
    )


def uhc_yaml(region: Region, template: str, today: str) -> str:
    """Pekanbaru's UHC guide with the office's names, its own facts as `daerah`, Pekanbaru's dropped."""
    if region.code == TEMPLATE_REGION:
        return template
    text = localize(template, region, ())
    text = text.replace("\nfacts:\n", "\nfacts:\n" + _local_fact(region, today), 1)
    return text.replace("start: [arti]", "start: [arti, daerah]", 1)
