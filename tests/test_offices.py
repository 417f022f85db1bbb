"""The four seed offices shipped as examples (offices/README.md): Kota Pekanbaru (content/), Kota
Pangkalpinang, Kabupaten Bekasi and Kabupaten Bengkalis.

Each shipped pack is what `office new` builds today, passes `content check` with only "to verify"
warnings, and holds the same conversation through the real `chat --jsonl`, with its own local
UHC rule (FACTS.md §2) and its own puskesmas.
"""

from __future__ import annotations

import filecmp
from io import StringIO
from pathlib import Path

import pytest
import yaml

from bot.engine.requirements import CHECKS as CODE_NEEDS
from bot.knowledge.check import check_directory
from bot.knowledge.content import load_content
from bot.office.examples import rebuild, shipped
from tests.support.office_walk import walk
from tests.support.settings import CONTENT, ROOT

# The local rule each office's UHC answer must carry (FACTS.md §2), in the pack's own words.
UHC_RULE = {
    "14.71": ("28 Juli 2023", "100,76%"),
    "19.71": ("Prioritas", "15 Januari 2026"),
    "32.16": ("Agustus 2022", "99,23%", "51 puskesmas"),
    "14.03": ("Rp84 miliar", "98,65%", "84,10%"),
}
PACKS = {yaml.safe_load((d / "office.yaml").read_text(encoding="utf-8"))["region_code"]: d for d in shipped()}


def test_the_four_seed_offices_are_shipped() -> None:
    assert sorted(PACKS) == sorted(UHC_RULE)
    assert PACKS["14.71"] == CONTENT


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("code", sorted(UHC_RULE))
def test_office(code: str, tmp_path: Path) -> None:
    pack = PACKS[code]
    where = pack.relative_to(ROOT)

    # 1. What `office new` builds today, file for file.
    fresh = tmp_path / "fresh"
    rebuild(pack, fresh)
    stale = sorted(_files(fresh) ^ _files(pack)) + [
        f for f in sorted(_files(fresh) & _files(pack)) if not filecmp.cmp(fresh / f, pack / f, shallow=False)
    ]
    assert not stale, f"{where} is not what `office new` builds now: run tools/refresh_offices.py ({stale[:5]})"

    # 2. `content check`: no error, and no warning but "to verify" (and what the template itself warns).
    shown = StringIO()
    assert check_directory(pack, shown, CODE_NEEDS) == 0, shown.getvalue()
    _, template = load_content(CONTENT, CODE_NEEDS)
    known = {str(p) for p in template.warnings}
    others = [w for w in shown.getvalue().splitlines() if ": warning: " in w and "to verify:" not in w]
    assert not [w for w in others if w not in known], others

    # 3. The conversation, through `chat --jsonl`.
    office = yaml.safe_load((pack / "office.yaml").read_text(encoding="utf-8"))
    places = yaml.safe_load((pack / "puskesmas.yaml").read_text(encoding="utf-8"))
    wilayah = yaml.safe_load((pack / "wilayah.yaml").read_text(encoding="utf-8"))
    near = next(p for p in places["puskesmas"] if p["lat"] is not None and p["kecamatan"])
    kecamatan = next(k for k in wilayah["kecamatan"] if k["code"] == near["kecamatan"])
    intents, text, got = walk(pack, near, kecamatan["name"], tmp_path / "c.db")
    assert intents[0] == "greeting" and office["name"] in text[0]
    assert intents[4] == "puskesmas" and got[4]["replies"][0]["location_request"]
    first = text[5].split("\n\n")[1]
    assert f"Puskesmas {near['name']}" in first and "km" in first, text[5]  # the nearest is listed first
    assert intents[6].startswith("puskesmas") and f"Puskesmas {near['name']}" in text[6], text[6]
    assert intents[7].startswith("uhc") and all(fact in text[7] for fact in UHC_RULE[code]), text[7]


@pytest.mark.parametrize("code", sorted(set(UHC_RULE) - {"14.71"}))
def test_local_rule_has_its_source_and_date(code: str) -> None:
    uhc = yaml.safe_load((PACKS[code] / "uhc.yaml").read_text(encoding="utf-8"))
    rule = uhc["facts"]["daerah"]
    assert "FACTS.md" in rule["source"] and rule["reviewed"]
    assert all(fact in rule["text"]["id"] for fact in UHC_RULE[code])
    every = "\n".join(p.read_text(encoding="utf-8") for p in PACKS[code].rglob("*.yaml"))
    assert not [f for f in (*UHC_RULE["14.71"], "83,15%", "21.00") if f in every]  # none of Pekanbaru's facts
