"""The offices shipped as examples: Kota Pekanbaru's live `content/` and the packs under `offices/`.

Each is exactly what `python -m bot office new` builds for its region on the date in its
puskesmas.yaml (`updated:`): `rebuild` makes that pack again elsewhere (the tests compare), and
`refresh` rewrites a shipped pack in place after the template (`content/`) or the reference data
changed. Nothing in a shipped example is edited by hand: an office's own edits go into its copy.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import yaml

from bot.office import pack
from bot.office.reference import Region, regions

OFFICES = pack.TEMPLATE.parent / "offices"


def shipped() -> list[Path]:
    """Kota Pekanbaru's content/ first, then every pack under offices/."""
    found = sorted(p.parent for p in OFFICES.glob("*/office.yaml"))
    return [pack.TEMPLATE, *found]


def region_of(directory: Path) -> Region:
    office = yaml.safe_load((directory / "office.yaml").read_text(encoding="utf-8"))
    return regions()[str(office["region_code"])]


def built_on(directory: Path) -> date:
    """The date the pack was built for: its puskesmas.yaml `updated:`."""
    facilities = yaml.safe_load((directory / "puskesmas.yaml").read_text(encoding="utf-8"))
    value = facilities["updated"]
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def rebuild(directory: Path, out: Path) -> list[str]:
    """Build the pack of `directory`'s region into `out`, as `office new` would; returns its report. The template's
    own shared files (pack.SHARED, which no pack gets) are copied along when `directory` is the template."""
    report = pack.build(region_of(directory), out, built_on(directory))
    if directory.resolve() == pack.TEMPLATE.resolve():
        for name in sorted(pack.SHARED):
            if (directory / name).is_file():
                shutil.copyfile(directory / name, out / name)
    return report


def refresh(directory: Path) -> list[str]:
    """Rewrite a shipped pack from the current template and reference data (files it no longer has go)."""
    region, when = region_of(directory), built_on(directory)
    if directory.resolve() != pack.TEMPLATE.resolve():
        for child in directory.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()
    return pack.build(region, directory, when)
