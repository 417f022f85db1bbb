"""A deployment of two neighbouring offices for tests: Kota Pekanbaru (content/) and Kabupaten Kampar
(built by `office new` from the shipped reference data), and what the tests derive from their files."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.config import Settings
from bot.office.pack import build
from bot.office.reference import regions
from tests.support.settings import CONTENT

KAMPAR = "14.01"
PEKANBARU = "14.71"


def build_kampar(root: Path) -> Path:
    """Kabupaten Kampar's pack, as `office new --region 14.01` writes it."""
    out = root / "kampar"
    if not (out / "office.yaml").exists():
        build(regions()[KAMPAR], out, date(2026, 11, 30))
    return out


def two_offices(tmp_path: Path, kampar: Path, database_url: str | None = None) -> Settings:
    """Pekanbaru first (the default office), Kampar second, in one bot."""
    return Settings.from_env(
        {
            "DATABASE_URL": database_url or f"sqlite+aiosqlite:///{tmp_path}/bot.db",
            "CONTENT_DIRS": f"{CONTENT},{kampar}",
            "PSEUDONYM_KEY": "test-key",
        }
    )


def read(pack: Path, name: str) -> Any:
    return yaml.safe_load((pack / name).read_text(encoding="utf-8"))


def located(pack: Path) -> list[tuple[str, float, float]]:
    """(name, lat, lon) of every puskesmas of the pack with coordinates."""
    return [(p["name"], p["lat"], p["lon"]) for p in read(pack, "puskesmas.yaml")["puskesmas"] if p["lat"] is not None]


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def nearest(packs: dict[str, Path], lat: float, lon: float, k: int = 3) -> list[tuple[str, str]]:
    """(office code, puskesmas name) of the k nearest puskesmas of every pack, by brute force."""
    found = [(km(lat, lon, la, lo), code, name) for code, pack in packs.items() for name, la, lo in located(pack)]
    return [(code, name) for _d, code, name in sorted(found)[:k]]
