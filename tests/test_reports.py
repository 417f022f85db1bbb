"""The office report: traffic, topics, the content-gap list, helpfulness, response times; table, CSV, xlsx, chart."""

from __future__ import annotations

import csv
import io
import uuid
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.reports import Wording, build_report, group_questions, render_table, write_chart, write_csv, write_xlsx
from bot.storage import migrations, querylog
from bot.storage.db import Database
from bot.storage.querylog import Feedback, QueryRow
from tests.support.settings import CONTENT

VARIANTS = {
    "jadwal": [
        ("Jadwal vaksin anak saya kapan?", 5),
        ("kapan jadwal vaksin anak", 4),
        ("jadwal vaksin anak sy kapan ya", 3),
        ("JADWAL VAKSIN ANAK KAPAN??", 2),
        ("jdwal vaksin anak kapan", 1),
        ("jadwal vaksinn anak kapan kak", 1),
    ],
    "posyandu": [
        ("cara daftar posyandu lansia", 3),
        ("gimana cara daftar posyandu lansia", 2),
        ("cara dafar posyandu lansia", 1),
    ],
    "gigi": [("apakah ada dokter gigi di puskesmas rumbai", 2), ("dokter gigi puskesmas rumbai ada?", 1)],
}
OTHERS = [("cara daftar posyandu balita", 2), ("harga masker di apotek", 1), ("jadwal vaksin kucing", 1)]


def test_spelling_variants_of_one_question_are_grouped_together() -> None:
    wording = Wording.from_content(CONTENT)
    counts = [c for group in VARIANTS.values() for c in group] + OTHERS
    groups = group_questions(counts, wording)
    by_text = {text: g for g in groups for text, _n in g.variants}
    for name, variants in VARIANTS.items():
        group = by_text[variants[0][0]]
        assert {t for t, _n in group.variants} == {t for t, _n in variants}, name
        assert group.count == sum(n for _t, n in variants)
    for text, _n in OTHERS:  # near but different questions stay apart
        assert len(by_text[text].variants) == 1
    assert groups[0].example == "Jadwal vaksin anak saya kapan?" and groups[0].count == 16


def test_grouping_scales_to_many_distinct_wordings() -> None:
    import random
    import string

    rng = random.Random(7)
    words = ["".join(rng.choices(string.ascii_lowercase, k=7)) for _ in range(3000)]
    counts = [(" ".join(rng.sample(words, 3)), 1) for _ in range(30_000)]
    counts += [("jadwal vaksin anak kapan", 50), ("jadwal vaksinn anak kapan", 3)]
    groups = group_questions(counts)
    assert groups[0].count == 53
    assert sum(g.count for g in groups) == 30_053
    assert len(groups) > 25_000  # unrelated questions are not lumped together


def _row(
    day: date, channel: str, intent: str, answered: bool, text: str | None, ms: int, asked: bool = False
) -> QueryRow:
    return QueryRow(
        ref=uuid.uuid4().hex,
        at=datetime(day.year, day.month, day.day, 2, tzinfo=UTC),
        day=day,
        channel=channel,
        user_pseudonym="p" + str(ms % 7),
        text=text,
        intent=intent,
        confidence=0.8,
        answered=answered,
        response_ms=ms,
        content_version="v1",
        feedback_asked=asked,
    )


@pytest.fixture
async def filled(database: Database) -> Database:
    start = date(2026, 11, 1)
    items: list[QueryRow | Feedback] = []
    ms = 1
    for d in range(3):
        day = start + timedelta(days=d)
        for _ in range(4):
            items.append(_row(day, "telegram", "imunisasi", True, "jadwal imunisasi", ms, asked=True))
            ms += 1
        for _ in range(2):
            items.append(_row(day, "whatsapp", "uhc", True, "apa itu uhc", ms))
            ms += 1
        items.append(replace(_row(day, "whatsapp", "greeting", True, "halo", ms), kelurahan_code="14.71.01.1002"))
        ms += 1
    for group in VARIANTS.values():
        for text, n in group:
            for _ in range(n):
                items.append(_row(start, "telegram", "fallback", False, text, ms))
                ms += 1
    asked = [i for i in items if isinstance(i, QueryRow) and i.feedback_asked]
    items += [
        Feedback(asked[0].ref, asked[0].user_pseudonym, True),
        Feedback(asked[1].ref, asked[1].user_pseudonym, True),
    ]
    items.append(Feedback(asked[2].ref, asked[2].user_pseudonym, False))
    await querylog.write_batch(database, items)
    return database


async def test_report_numbers(filled: Database) -> None:
    report = await build_report(filled, date(2026, 11, 1), date(2026, 11, 30), Wording.from_content(CONTENT))
    assert report.total == 3 * 7 + 25
    day1 = {(c): (n, ok) for d, c, n, ok in report.per_day if d == date(2026, 11, 1)}
    assert day1 == {"telegram": (4 + 25, 4), "whatsapp": (3, 3)}
    assert report.topics[:2] == [("imunisasi", 12), ("uhc", 6)]
    assert "greeting" not in dict(report.topics) and "fallback" not in dict(report.topics)
    assert [g.count for g in report.unanswered] == [16, 6, 3] and report.unanswered_total == 25
    assert report.helpfulness == [("imunisasi", 12, 2, 1)]
    assert report.kelurahan == [("14.71.01.1002", 3)]
    assert report.response_ms[0.5] == pytest.approx(23, abs=1)  # response_ms runs 1..46
    assert report.response_ms[0.99] == pytest.approx(46, abs=1)
    empty = await build_report(filled, date(2025, 1, 1), date(2025, 1, 31))
    assert (empty.total, empty.topics, empty.unanswered, empty.response_ms) == (0, [], [], {})


async def test_counts_survive_retention(filled: Database) -> None:
    before = await build_report(filled, date(2026, 11, 1), date(2026, 11, 30))
    await querylog.apply_retention(filled, days=180, today=date(2027, 6, 1))
    after = await build_report(filled, date(2026, 11, 1), date(2026, 11, 30))
    assert (after.total, after.answered, after.per_day, after.topics) == (
        before.total,
        before.answered,
        before.per_day,
        before.topics,
    )
    assert after.unanswered == []  # the texts are gone, as promised


async def test_outputs(filled: Database, tmp_path: Path) -> None:
    report = await build_report(filled, date(2026, 11, 1), date(2026, 11, 30), Wording.from_content(CONTENT))
    table = render_table(report)
    assert "Topik teratas" in table and "Jadwal vaksin anak saya kapan?" in table
    sink = io.StringIO()
    write_csv(report, sink)
    rows = list(csv.reader(io.StringIO(sink.getvalue())))
    assert rows[rows.index(["Jumlah", "Contoh pertanyaan", "Variasi lain"]) + 1][:2] == [
        "16",
        "Jadwal vaksin anak saya kapan?",
    ]
    from openpyxl import load_workbook

    write_xlsx(report, tmp_path / "r.xlsx")
    book = load_workbook(tmp_path / "r.xlsx")
    assert len(book.sheetnames) == 6 and book[book.sheetnames[2]]["A2"].value == "imunisasi"
    write_chart(report, tmp_path / "r.png", office="Dinkes Kota Pekanbaru")
    png = (tmp_path / "r.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1650, 1350)  # 11 x 9 inches at 150 dpi: sharp on an A4 page


def test_report_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import asyncio

    from bot.__main__ import main

    url = f"sqlite+aiosqlite:///{tmp_path}/bot.db"

    async def fill() -> None:
        db = Database(url)
        await migrations.upgrade(db)
        await querylog.write_batch(db, [_row(date(2026, 11, 2), "telegram", "fallback", False, "harga masker", 5)])
        await db.dispose()

    asyncio.run(fill())
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("CONTENT_DIR", str(CONTENT))
    args = ["report", "--from", "2026-11-01", "--to", "2026-11-30"]
    assert main([*args, "--format", "csv", "--chart", str(tmp_path / "c.png")]) == 0
    assert "harga masker" in capsys.readouterr().out and (tmp_path / "c.png").exists()
    assert main([*args, "--format", "xlsx", "--output", str(tmp_path / "r.xlsx")]) == 0
    assert (tmp_path / "r.xlsx").stat().st_size > 0
    assert main(["report", "--from", "2026-12-01", "--to", "2026-11-01"]) == 2
    with pytest.raises(SystemExit):
        main(["report", "--from", "kemarin"])
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/empty.db")
    assert main(args) == 1  # no schema yet: a clear message, not a traceback
    assert "db upgrade" in capsys.readouterr().err


def test_percentiles_from_a_histogram_match_a_plain_sort() -> None:
    import random

    import numpy as np

    from bot.reports import percentiles

    rng = random.Random(3)
    values = [int(20 + 400 * rng.random() ** 3) for _ in range(5000)]
    histogram = sorted(Counter(values).items())
    got = percentiles(histogram, (0.0, 0.5, 0.9, 0.95, 0.99, 1.0))
    for p, value in got.items():
        assert value == pytest.approx(float(np.percentile(values, p * 100)))
    assert percentiles([]) == {} and percentiles([(7, 1)]) == {0.5: 7, 0.9: 7, 0.95: 7, 0.99: 7}


async def test_topics_are_residents_answers_as_the_feedback_question_sees_them(database: Database) -> None:
    """One definition: a staff command or a language switch is no topic, as it gets no feedback question."""
    from bot.engine import answers
    from bot.engine.types import ANSWER

    day = date(2026, 11, 3)
    intents = ["imunisasi", "kader", "bahasa", "siaran", "feedback", "erase.ask", "menu", "unsubscribe"]
    await querylog.write_batch(database, [_row(day, "telegram", i, True, None, 5) for i in intents])
    report = await build_report(database, day, day)
    assert [t for t, _n in report.topics] == ["imunisasi"]
    assert [i for i in intents if answers.kind_of(i) == ANSWER] == ["imunisasi"]
