"""One home for each vocabulary: month and day names, the default language, the area and point types."""

from __future__ import annotations

import ast
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.topics.dates import find_date
from bot.topics.schedule import parse_when

BOT = Path(__file__).resolve().parent.parent / "bot"
WIB = timezone(timedelta(hours=7))


def _sources() -> dict[str, str]:
    return {str(p.relative_to(BOT)): p.read_text(encoding="utf-8") for p in sorted(BOT.rglob("*.py"))}


@pytest.mark.parametrize("typed", ["17 agus 2027 jam 9", "17 agustus 2027 jam 09.00", "17 agsutus 2027 pukul 9"])
def test_a_month_a_birth_date_knows_is_a_broadcast_time(typed: str) -> None:
    now = datetime(2026, 11, 30, 10, 0, tzinfo=WIB)
    assert find_date(typed, now.date()) is not None
    assert find_date(typed, now.date()).day == date(2027, 8, 17)  # type: ignore[union-attr]
    assert parse_when(typed, now).first == datetime(2027, 8, 17, 9, 0, tzinfo=WIB)


def test_month_names_are_listed_once() -> None:
    """A second month table (the one that drifted) is caught: only one module spells out the months."""
    holders = [name for name, text in _sources().items() if re.search(r"[\"']desember[\"']\s*:\s*\d", text)]
    assert holders == ["knowledge/language.py"], holders


def test_day_names_are_listed_once() -> None:
    holders = [name for name, text in _sources().items() if re.search(r"[\"']selasa[\"']\s*:\s*\d", text)]
    assert holders == ["knowledge/language.py"], holders


def test_the_default_language_is_defined_once() -> None:
    holders = [name for name, text in _sources().items() if re.search(r"^DEFAULT_LANG\s*[:=]", text, re.M)]
    assert holders == ["i18n.py"], holders


@pytest.mark.parametrize("names", ["Area", "Location|Point"])
def test_one_class_per_concept(names: str) -> None:
    holders = [path for path, text in _sources().items() if re.search(rf"^class ({names})\b", text, re.M)]
    assert len(holders) == 1, holders


def test_parsing_of_areas_and_times_lives_in_topics() -> None:
    assert not (BOT / "broadcast" / "schedule.py").exists()
    assert not (BOT / "broadcast" / "areas.py").exists()
    offenders = [
        name for name, text in _sources().items() if name.startswith("engine/") and "from bot.broadcast" in text
    ]
    assert offenders == [], offenders


def test_yes_and_no_words_live_in_content_only() -> None:
    """No list, set or tuple in the code spells out yes/no replies: content/language.yaml has them."""

    def has_yes_no_words(tree: ast.AST) -> bool:
        for node in ast.walk(tree):
            if isinstance(node, ast.List | ast.Set | ast.Tuple):
                words = {e.value for e in node.elts if isinstance(e, ast.Constant)}
                if {"iya", "tidak"} & words:
                    return True
        return False

    holders = [name for name, text in _sources().items() if has_yes_no_words(ast.parse(text))]
    assert holders == [], holders


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("ya", True), ("Iya, tolong ingatkan", True), ("tolong ya", True), ("oke", True), ("tidak", False),
        ("tidak usah", False), ("tidak mau, makasih", False), ("nanti saja", False), ("kapan jadwalnya?", None),
    ],
)  # fmt: skip
def test_yes_or_no_reads_the_shipped_words(typed: str, meant: bool | None) -> None:
    from bot.knowledge.content import load_content
    from bot.topics.yes_no import yes_or_no
    from tests.support.settings import CONTENT

    content, problems = load_content(CONTENT)
    assert content is not None, problems.errors
    assert yes_or_no(typed, content.language) is meant


def test_staff_can_add_a_yes_word(content_dir: Path) -> None:
    from bot.knowledge.content import load_content
    from bot.topics.yes_no import yes_or_no

    path = content_dir / "language.yaml"
    path.write_text(path.read_text().replace("yes_words: [ya,", "yes_words: [gas, ya,"))
    content, _ = load_content(content_dir)
    assert content is not None
    assert yes_or_no("gas", content.language) is True
    assert yes_or_no("gas", content.language, exact=True) is True
    assert yes_or_no("ya kirim sekarang", content.language, exact=True) is None
