"""`python -m bot office new`: a pack for any region, from the reference data shipped in the project.

Each pack must pass `content check` with only "to verify" warnings (and whatever the template
itself warns about), and hold a conversation through the real `chat --jsonl` process.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
import yaml

from bot.engine.requirements import CHECKS as CODE_NEEDS
from bot.knowledge.check import check_directory
from bot.knowledge.content import load_content
from tests.support.cli import run_bot
from tests.support.office_walk import walk
from tests.support.settings import ROOT

TODAY = "2026-11-30"
REGIONS = {  # code: (office, a kecamatan, a UHC fact from FACTS.md)
    "14.03": ("Dinas Kesehatan Kabupaten Bengkalis", "Mandau", "Rp84 miliar"),
    "19.71": ("Dinas Kesehatan Kota Pangkalpinang", "Girimaya", "15 Januari 2026"),
    "32.16": ("Dinas Kesehatan Kabupaten Bekasi", "Cikarang Utara", "Agustus 2022"),
}


@pytest.fixture(scope="module", params=sorted(REGIONS))
def pack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, str]:
    out = tmp_path_factory.mktemp(f"pack-{request.param}") / "content"
    done = run_bot(
        "office", "new", "--region", request.param, "--out", str(out), "--today", TODAY, input="", timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return request.param, out, done.stderr


def template_warnings() -> set[str]:
    _, problems = load_content(ROOT / "content", CODE_NEEDS)
    return {str(p) for p in problems.warnings}


def test_pack_passes_content_check_with_only_to_verify_warnings(pack: tuple[str, Path, str]) -> None:
    _, out, _ = pack
    shown = StringIO()
    assert check_directory(out, shown, CODE_NEEDS) == 0, shown.getvalue()
    warnings = [line for line in shown.getvalue().splitlines() if ": warning: " in line]
    others = [w for w in warnings if "to verify:" not in w and w not in template_warnings()]
    assert not others
    assert any("office.yaml" in w and "to verify:" in w for w in warnings)  # hotline, hours... wait for staff


def test_pack_is_the_offices_and_invents_nothing(pack: tuple[str, Path, str]) -> None:
    code, out, report = pack
    office = yaml.safe_load((out / "office.yaml").read_text(encoding="utf-8"))
    assert office["name"] == REGIONS[code][0] and office["region_code"] == code
    assert office["hotline"] == "" and office["address"] == ""  # not known: never invented
    every = "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*.yaml") if p.name != "language.yaml")
    assert "Pekanbaru" not in every and "pekanbaru" not in every
    assert "21.00" not in every and "08.00–16.00" not in every  # Pekanbaru's hours are not this office's
    places = yaml.safe_load((out / "puskesmas.yaml").read_text(encoding="utf-8"))
    assert places["puskesmas"] and all(p["phone"] == "" and p["hours"] == {} for p in places["puskesmas"])
    assert "puskesmas" in report and "kecamatan" in report  # what could not be matched is printed
    uhc = (out / "uhc.yaml").read_text(encoding="utf-8")
    assert REGIONS[code][2] in uhc and "FACTS.md" in uhc  # the office's own UHC facts, with their source


def test_conversation_suite(pack: tuple[str, Path, str], tmp_path: Path) -> None:
    code, out, _ = pack
    places = yaml.safe_load((out / "puskesmas.yaml").read_text(encoding="utf-8"))
    near = next(p for p in places["puskesmas"] if p["lat"] is not None)
    office, kecamatan, uhc_fact = REGIONS[code]
    intents, text, _ = walk(out, near, kecamatan, tmp_path / "chat.db")
    assert intents[0] == "greeting" and office in text[0]
    assert near["name"] in text[5] and "km" in text[5]
    assert intents[6].startswith("puskesmas") and kecamatan in text[6], text[6]
    assert intents[7].startswith("uhc") and uhc_fact in text[7], text[7]
