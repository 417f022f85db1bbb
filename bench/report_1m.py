"""The office report over a generated 1,000,000-row query log in PostgreSQL (goal: under 10 s).

    .venv/bin/python -m bench.report_1m [--rows 1000000] [--keep]

Rows are made in the database with generate_series (a month, three channels, ~25 intents,
~17% unanswered with tens of thousands of distinct wordings: spelling variants, slang, filler).
The baseline, measured in the same run, is one bare pass over the month's rows
(`SELECT count(*), sum(response_ms)`): the report's time is also given as a ratio to it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

import asyncpg

from bot.reports import Wording, build_report, render_table, write_chart
from bot.storage import migrations
from bot.storage.db import Database

ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
START, END = date(2026, 11, 1), date(2026, 11, 30)
INTENTS = [
    "imunisasi", "imunisasi_jadwal", "imunisasi_campak", "imunisasi_polio", "puskesmas", "puskesmas_jam",
    "uhc", "uhc_daftar", "uhc_syarat", "info_kesehatan", "dbd", "stunting", "tbc", "gizi_balita", "ibu_hamil",
    "posyandu", "kantor", "pengingat", "greeting", "menu", "help", "emergency", "feedback",
]  # fmt: skip
QUESTIONS = [
    "jadwal vaksin anak kapan", "cara daftar posyandu lansia", "dokter gigi di puskesmas rumbai ada",
    "harga obat batuk di apotek", "apakah bisa cabut gigi gratis", "klinik kecantikan yang bagus dimana",
    "vaksin kucing dimana", "tes covid masih ada", "surat sehat untuk kerja bayar berapa", "donor darah dimana",
    "jam buka rsud hari minggu", "cara ganti faskes bpjs", "operasi katarak gratis", "kacamata gratis untuk anak",
    "vaksin meningitis umroh dimana", "sunat gratis kapan", "khitan massal", "fogging dbd di rt kami",
    "lowongan kerja perawat", "magang di dinas kesehatan", "obat herbal untuk diabetes", "terapi autis",
    "psikolog gratis", "rehabilitasi narkoba", "cek kolesterol gratis", "mcu calon pengantin",
]  # fmt: skip
FILLER = ["", "", "kak", "ya", "min", "dong", "bu", "tolong", "mau tanya", "permisi"]


def wordings(n: int, seed: int = 7) -> list[str]:
    """n distinct unanswered wordings: each question with typos, repeated letters, filler and casing."""
    rng = random.Random(seed)
    out: set[str] = set()
    while len(out) < n:
        words = rng.choice(QUESTIONS).split()
        if rng.random() < 0.5:  # a typo: drop or double a letter
            i = rng.randrange(len(words))
            w = words[i]
            j = rng.randrange(len(w))
            words[i] = w[:j] + w[j + 1 :] if rng.random() < 0.5 else w[:j] + w[j] + w[j:]
        if rng.random() < 0.3:
            rng.shuffle(words)
        text = " ".join([rng.choice(FILLER), *words, rng.choice(FILLER)]).strip()
        if rng.random() < 0.2:
            text = text.upper()
        out.add(text + rng.choice(["", "?", "??", " ?", ".", f" {rng.randrange(1, 99)}"]))
    return sorted(out)


async def generate(conn: asyncpg.Connection, rows: int, distinct: int) -> None:
    await conn.execute("CREATE TEMP TABLE wordings (id int PRIMARY KEY, t text)")
    await conn.copy_records_to_table("wordings", records=list(enumerate(wordings(distinct))))
    await conn.execute("CREATE TEMP TABLE intents (id int PRIMARY KEY, t text)")
    await conn.copy_records_to_table("intents", records=list(enumerate(INTENTS)))
    await conn.execute(
        """
        INSERT INTO query_log (ref, at, day, channel, user_pseudonym, text, intent, confidence, answered,
                               response_ms, content_version, kelurahan_code, feedback_asked, helpful)
        SELECT md5(g::text),
               $1::timestamptz + d * interval '1 day' + (g % 86400) * interval '1 second',
               $2::date + d,
               (ARRAY['telegram','telegram','whatsapp','whatsapp','console'])[1 + ch],
               md5('u' || (g % 40000)::text),
               CASE WHEN unanswered THEN w.t ELSE 'pertanyaan ' || i.t END,
               CASE WHEN unanswered THEN (CASE WHEN g % 3 = 0 THEN 'clarify' ELSE 'fallback' END) ELSE i.t END,
               random(),
               NOT unanswered,
               (20 + 400 * power(random(), 3))::int,
               'bench',
               CASE WHEN g % 4 = 0 THEN '14.71.0' || (g % 9)::text ELSE NULL END,
               asked AND NOT unanswered,
               CASE WHEN asked AND NOT unanswered AND g % 7 <> 0 THEN g % 5 <> 0 ELSE NULL END
        FROM (
            SELECT g, random() < 0.17 AS unanswered, random() < 0.2 AS asked,
                   floor(30 * power(random(), 0.8))::int AS d, floor(5 * random())::int AS ch,
                   floor($3 * power(random(), 3))::int AS wid, floor($4 * power(random(), 2))::int AS iid
            FROM generate_series(1, $5) AS g
        ) s
        JOIN wordings w ON w.id = s.wid
        JOIN intents i ON i.id = s.iid
        """,
        START,
        START,
        distinct,
        len(INTENTS),
        rows,
    )
    await conn.execute("ANALYZE query_log")


async def timed_baseline(db: Database) -> float:
    from sqlalchemy import text

    started = time.perf_counter()
    async with db.session() as s:
        await s.execute(
            text("SELECT count(*), sum(response_ms) FROM query_log WHERE day BETWEEN :a AND :b"), {"a": START, "b": END}
        )
    return time.perf_counter() - started


def _time_cli(url: str) -> float:
    """The whole command as staff run it: start-up, content word lists, queries, workbook and chart."""
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "bot", "report", "--from", START.isoformat(), "--to", END.isoformat()]
        command += ["--format", "xlsx", "--output", f"{tmp}/r.xlsx", "--chart", f"{tmp}/r.png"]
        started = time.perf_counter()
        subprocess.run(command, check=True, env={**os.environ, "DATABASE_URL": url}, capture_output=True)
        return time.perf_counter() - started


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--distinct", type=int, default=20_000, help="distinct unanswered wordings")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--chart", type=Path, help="also write the chart here")
    args = parser.parse_args()

    name = f"bench_q7_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(ADMIN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    db = Database(f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}")
    try:
        await migrations.upgrade(db)
        conn = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:5432/{name}")
        started = time.perf_counter()
        await generate(conn, args.rows, args.distinct)
        count = await conn.fetchval("SELECT count(*) FROM query_log")
        await conn.close()
        print(f"generated {count:,} rows in {time.perf_counter() - started:.1f} s")

        wording = Wording.from_content(Path("content"))  # loaded once here; the CLI timing below loads it too
        baseline = min([await timed_baseline(db) for _ in range(3)])
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            report = await build_report(db, START, END, wording)
            render_table(report)
            runs.append(time.perf_counter() - started)
        best = min(runs)
        print(f"baseline (one bare pass over the month): {baseline:.3f} s")
        print(f"report (all sections, table): best {best:.2f} s, runs {', '.join(f'{r:.2f}' for r in runs)}")
        print(f"ratio report/baseline: {best / baseline:.1f}x")
        print(
            f"unanswered: {report.unanswered_total:,} messages in {len(report.unanswered)} top groups; "
            f"biggest group {report.unanswered[0].count:,} ({len(report.unanswered[0].variants)} wordings)"
        )
        if args.chart:
            started = time.perf_counter()
            write_chart(report, args.chart)
            print(f"chart: {time.perf_counter() - started:.2f} s -> {args.chart}")
        cli = _time_cli(f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}")
        print(f"`python -m bot report --format xlsx --chart` end to end (new process): {cli:.2f} s")
        print(f"machine: {platform.node()} {platform.machine()} {platform.python_version()}, {os.cpu_count()} cores")
        print("load average (1/5/15 min) at the end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
        assert best < 10.0 and cli < 10.0, "the report must finish in under 10 s"
    finally:
        await db.dispose()
        if not args.keep:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
