"""The conversation every office pack must hold up to, through `chat --jsonl` (tests of `office new` and of the
shipped packs): a greeting, immunization by age and by birth date, the nearest puskesmas by location and by
kecamatan, UHC and a danger sign. The checks every pack shares are here; each test adds its own."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tests.support.chat import text_of
from tests.support.cli import chat_jsonl


def walk(pack: Path, near: dict[str, Any], kecamatan: str, db: Path) -> tuple[list[str], list[str], list[dict]]:
    """(intents, texts, answers) of the walk in `pack`, near the puskesmas `near` and in `kecamatan`."""
    lines = [
        "halo",
        "imunisasi bayi 2 bulan apa saja",
        "anak saya lahir 3 agustus 2026, imunisasi apa saja",
        "tidak",
        "puskesmas terdekat",
        f"@loc {near['lat'] + 0.001} {near['lon'] + 0.001}",  # about 150 m from it, inside the region
        f"puskesmas di kecamatan {kecamatan.lower()}",
        "apa itu uhc",
        "anak saya kejang dan tidak sadar",
    ]
    env = dict(os.environ, DATABASE_URL=f"sqlite+aiosqlite:///{db}", PSEUDONYM_KEY="k", CONTENT_DIR=str(pack))
    env.pop("CONTENT_DIRS", None)
    got = chat_jsonl(lines, env, user=f"office-{pack.name}")
    intents, texts = [o["intent"] for o in got], [text_of(o) for o in got]
    assert intents[1] == "imunisasi_usia" and "DPT-HB-Hib 1" in texts[1]
    assert intents[2] == "imunisasi_pribadi" and "2026" in texts[2]
    assert intents[8] == "emergency" and "119" in texts[8]
    return intents, texts, got
