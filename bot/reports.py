"""The office's query-log report: traffic per day and channel, top topics, the content-gap list
(unanswered questions grouped by similar wording), helpfulness per topic, response times.

`python -m bot report --from 2026-11-01 --to 2026-11-30 [--format table|csv|xlsx] [--output FILE]
[--chart FILE.png]`. The heavy lifting is GROUP BY in the database; only the distinct
unanswered texts come to Python, where spelling variants are grouped together.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import logging
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import TextIO

from rapidfuzz import fuzz, process
from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.engine import answers
from bot.engine.types import ANSWER
from bot.storage.db import Database
from bot.storage.querylog import QueryDailyCount, QueryLog

log = logging.getLogger(__name__)

UNANSWERED_INTENTS = ("fallback", "clarify")
PERCENTILES = (0.5, 0.9, 0.95, 0.99)
SIMILAR = 85.0  # rapidfuzz ratio between two sorted-word keys that counts as "the same question"
_FUZZY_SEEDS = 2000  # the most frequent wordings are clustered one by one; the long tail joins their groups


@dataclass(frozen=True)
class Wording:
    """How to normalise a question before grouping: slang replacements and meaningless words."""

    replacements: dict[str, str] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()
    _seen: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def standard(self, word: str) -> str:
        """The standard word(s) for a chat word, also when it is misspelt ("vaksinn" -> like "vaksin")."""
        known = self.replacements.get(word) or self._seen.get(word)
        if known is not None:
            return known
        out = word
        if len(word) >= 5 and self.replacements:
            near = process.extractOne(word, self.replacements.keys(), scorer=fuzz.ratio, score_cutoff=SIMILAR)
            if near is not None:
                out = self.replacements[near[0]]
        self._seen[word] = out
        return out

    @classmethod
    def from_content(cls, directory: Path) -> Wording:
        """The content's slang list and stopwords; plain normalisation if the content cannot be read."""
        try:
            from bot.knowledge.content import load_content

            content, _problems = load_content(directory)
            if content is None:
                return cls()
            language = content.language
            return cls(dict(language.replacements), frozenset(language.stopwords))
        except Exception as exc:  # a report must still run while content is being edited
            log.warning("report: content not readable (%s); grouping without its word lists", exc)
            return cls()


_NON_WORD = re.compile(r"[^\w\[\]]+")
_REPEATS = re.compile(r"(\w)\1{2,}")


def question_key(text: str, wording: Wording) -> str:
    """The words that carry the question, lower-cased, slang replaced, sorted: word order and filler don't matter."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _REPEATS.sub(r"\1", _NON_WORD.sub(" ", text))
    words: set[str] = set()
    for raw in text.split():
        for word in wording.standard(raw).split():
            if word not in wording.stopwords:
                words.add(word)
    return " ".join(sorted(words)) or " ".join(text.split())


@dataclass
class QuestionGroup:
    """Unanswered questions that say the same thing: shown by their most frequent wording."""

    count: int
    variants: list[tuple[str, int]]  # (text, count), most frequent first

    @property
    def example(self) -> str:
        return self.variants[0][0]


def group_questions(counts: Iterable[tuple[str, int]], wording: Wording | None = None) -> list[QuestionGroup]:
    """Group texts by similar wording (spelling variants, word order, slang), biggest group first."""
    wording = wording or Wording()
    by_key: dict[str, dict[str, int]] = defaultdict(dict)
    for text, n in counts:
        if text and text.strip():
            seen = by_key[question_key(text, wording)]
            seen[text.strip()] = seen.get(text.strip(), 0) + int(n)
    keys = sorted(by_key, key=lambda k: -sum(by_key[k].values()))
    seeds, tail = keys[:_FUZZY_SEEDS], keys[_FUZZY_SEEDS:]
    reps: list[str] = []  # one key per group
    members: list[list[str]] = []
    for key in seeds:
        best = process.extractOne(key, reps, scorer=fuzz.ratio, score_cutoff=SIMILAR) if reps else None
        if best is None:
            reps.append(key)
            members.append([key])
        else:
            members[best[2]].append(key)
    # The long tail joins the nearest frequent group in one vectorised pass; what matches none stays
    # grouped by its exact key (rare wordings are compared with the frequent ones, not each other).
    seeded = len(reps)
    for start in range(0, len(tail), 5000):
        part = tail[start : start + 5000]
        scores = process.cdist(part, reps[:seeded], scorer=fuzz.ratio, score_cutoff=SIMILAR, dtype="uint8")
        for key, row in zip(part, scores, strict=True):
            index = int(row.argmax()) if seeded else 0
            if seeded and row[index] >= SIMILAR:
                members[index].append(key)
            else:
                reps.append(key)
                members.append([key])
    groups = []
    for keys_of_group in members:
        merged: dict[str, int] = defaultdict(int)
        for key in keys_of_group:
            for text, n in by_key[key].items():
                merged[text] += n
        ordered = sorted(merged.items(), key=lambda item: (-item[1], item[0]))
        groups.append(QuestionGroup(sum(merged.values()), ordered))
    groups.sort(key=lambda g: (-g.count, g.example))
    return groups


@dataclass
class Report:
    start: date
    end: date
    per_day: list[tuple[date, str, int, int]]  # day, channel, messages, answered
    topics: list[tuple[str, int]]  # intent, messages
    unanswered: list[QuestionGroup]
    helpfulness: list[tuple[str, int, int, int]]  # intent, asked, 👍, 👎
    response_ms: dict[float, float]  # percentile -> milliseconds
    unanswered_total: int = 0
    kelurahan: list[tuple[str, int]] = field(default_factory=list)  # where residents who told us ask from

    @property
    def total(self) -> int:
        return sum(r[2] for r in self.per_day)

    @property
    def answered(self) -> int:
        return sum(r[3] for r in self.per_day)

    @property
    def channels(self) -> list[str]:
        return sorted({r[1] for r in self.per_day})


async def build_report(
    db: Database,
    start: date,
    end: date,
    wording: Wording | Callable[[], Wording] | None = None,
    top: int = 15,
    groups: int = 30,
) -> Report:
    """The report for the days start..end (inclusive), from the log and the counts kept after retention.

    Four independent scans run at once, each on its own connection (PostgreSQL uses a core for each);
    `wording` may be a loader, then it runs in a thread meanwhile.
    """
    load = asyncio.to_thread(wording) if callable(wording) else asyncio.sleep(0, wording)
    counts, texts, histogram, areas, words = await asyncio.gather(
        _counts(db, start, end),
        _unanswered(db, start, end),
        _histogram(db, start, end),
        _areas(db, start, end),
        load,
    )
    days: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0])
    topics: dict[str, int] = defaultdict(int)
    helpful: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for day, channel, intent, n, ok, asked, yes, no in counts:
        days[(day, channel)][0] += n
        days[(day, channel)][1] += ok
        if answers.kind_of(intent) == ANSWER:  # residents' answers only: no menus, settings or staff commands
            topics[intent] += n
        if asked or yes or no:
            for i, value in enumerate((asked, yes, no)):
                helpful[intent][i] += value
    return Report(
        start=start,
        end=end,
        per_day=sorted((d, c, v[0], v[1]) for (d, c), v in days.items()),
        topics=sorted(topics.items(), key=lambda item: (-item[1], item[0]))[:top],
        unanswered=group_questions(texts, words)[:groups],
        helpfulness=sorted(((i, *v) for i, v in helpful.items()), key=lambda r: (-r[1], r[0])),  # type: ignore[misc]
        response_ms=percentiles(histogram),
        unanswered_total=sum(n for _t, n in texts),
        kelurahan=areas[:top],
    )


def _period(start: date, end: date) -> ColumnElement[bool]:
    return and_(QueryLog.day >= start, QueryLog.day <= end)


def _sum_of(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


async def _counts(db: Database, start: date, end: date) -> list[tuple[date, str, str, int, int, int, int, int]]:
    """Messages, answered, asked for feedback, 👍, 👎 per day, channel and intent (log + kept counts)."""
    q = QueryLog
    kept = QueryDailyCount
    async with db.session() as s:
        logged = await s.execute(
            select(
                q.day,
                q.channel,
                q.intent,
                func.count(),
                _sum_of(q.answered.is_(True)),
                _sum_of(q.feedback_asked.is_(True)),
                _sum_of(q.helpful.is_(True)),
                _sum_of(q.helpful.is_(False)),
            )
            .where(_period(start, end))
            .group_by(q.day, q.channel, q.intent)
        )
        folded = await s.execute(
            select(
                kept.day, kept.channel, kept.intent, kept.total, kept.answered, kept.helpful_yes, kept.helpful_no
            ).where(kept.day >= start, kept.day <= end)
        )
        rows = [
            (_as_date(d), c, i, int(n), int(ok or 0), int(a or 0), int(y or 0), int(no or 0))
            for d, c, i, n, ok, a, y, no in logged.all()
        ]
        rows += [(_as_date(d), c, i, int(n), int(ok), 0, int(y), int(no)) for d, c, i, n, ok, y, no in folded.all()]
    return rows


async def _unanswered(db: Database, start: date, end: date) -> list[tuple[str, int]]:
    """Each distinct unanswered text with how often it was sent."""
    async with db.session() as s:
        result = await s.execute(
            select(QueryLog.text, func.count())
            .where(_period(start, end), QueryLog.intent.in_(UNANSWERED_INTENTS), QueryLog.text.is_not(None))
            .group_by(QueryLog.text)
        )
        return [(t, int(n)) for t, n in result.all() if t]


async def _histogram(db: Database, start: date, end: date) -> list[tuple[int, int]]:
    """How many answers took each number of milliseconds: percentiles without sorting a million rows."""
    async with db.session() as s:
        result = await s.execute(
            select(QueryLog.response_ms, func.count()).where(_period(start, end)).group_by(QueryLog.response_ms)
        )
        return sorted((int(ms), int(n)) for ms, n in result.all())


async def _areas(db: Database, start: date, end: date) -> list[tuple[str, int]]:
    async with db.session() as s:
        result = await s.execute(
            select(QueryLog.kelurahan_code, func.count())
            .where(_period(start, end), QueryLog.kelurahan_code.is_not(None))
            .group_by(QueryLog.kelurahan_code)
        )
        return sorted(((str(k), int(n)) for k, n in result.all()), key=lambda r: (-r[1], r[0]))


def percentiles(histogram: Sequence[tuple[int, int]], points: Sequence[float] = PERCENTILES) -> dict[float, float]:
    """Percentiles (linear interpolation, as PostgreSQL's percentile_cont) from sorted (value, count) pairs."""
    total = sum(n for _v, n in histogram)
    if not total:
        return {}

    def value_at(position: int) -> int:
        seen = 0
        for value, n in histogram:
            seen += n
            if position < seen:
                return value
        return histogram[-1][0]

    out: dict[float, float] = {}
    for p in points:
        rank = p * (total - 1)  # 0-based position in the sorted values
        below = int(rank)
        lower, upper = value_at(below), value_at(min(below + 1, total - 1))
        out[p] = lower + (upper - lower) * (rank - below)
    return out


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


# ---- output ---------------------------------------------------------------------------------


def sections(report: Report) -> list[tuple[str, list[str], list[Sequence[object]]]]:
    """The report as titled tables: the same rows feed the text table, CSV and the workbook."""
    share = f"{100 * report.answered / report.total:.1f}%" if report.total else "-"
    summary: list[Sequence[object]] = [
        ("Periode", f"{report.start.isoformat()} s.d. {report.end.isoformat()}"),
        ("Pesan", report.total),
        ("Terjawab", f"{report.answered} ({share})"),
        ("Tidak terjawab (fallback/clarify)", report.unanswered_total),
    ]
    summary += [(f"Waktu respons p{round(p * 100)} (ms)", round(v)) for p, v in report.response_ms.items()]
    return [
        ("Ringkasan", ["Ukuran", "Nilai"], summary),
        ("Pesan per hari dan kanal", ["Tanggal", "Kanal", "Pesan", "Terjawab"], [
            (d.isoformat(), c, n, ok) for d, c, n, ok in report.per_day
        ]),
        ("Topik teratas", ["Topik", "Pesan"], list(report.topics)),
        ("Pertanyaan belum terjawab (dikelompokkan)", ["Jumlah", "Contoh pertanyaan", "Variasi lain"], [
            (g.count, g.example, " | ".join(f"{t} ({n})" for t, n in g.variants[1:4])) for g in report.unanswered
        ]),
        ("Apakah jawaban membantu?", ["Topik", "Ditanya", "👍", "👎", "% membantu"], [
            (i, n, y, no, f"{100 * y / (y + no):.0f}%" if y + no else "-") for i, n, y, no in report.helpfulness
        ]),
        ("Pesan per kelurahan (yang menyebutkan)", ["Kode kelurahan", "Pesan"], list(report.kelurahan)),
    ]  # fmt: skip


def render_table(report: Report) -> str:
    out = io.StringIO()
    for title, header, rows in sections(report):
        out.write(f"\n== {title} ==\n")
        table = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
        widths = [min(60, max(len(r[i]) for r in table)) for i in range(len(header))]
        for n, row in enumerate(table):
            out.write("  ".join(cell[:60].ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() + "\n")
            if n == 0:
                out.write("  ".join("-" * w for w in widths) + "\n")
        if not rows:
            out.write("(tidak ada data)\n")
    return out.getvalue()


def write_csv(report: Report, sink: TextIO) -> None:
    """One CSV, sections one after another: a title row, a header row, the rows, a blank row."""
    writer = csv.writer(sink)
    for title, header, rows in sections(report):
        writer.writerow([title])
        writer.writerow(header)
        writer.writerows(rows)
        writer.writerow([])


def write_xlsx(report: Report, path: Path) -> None:
    """A workbook with one sheet per section."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sections(report):
        sheet = book.create_sheet(_sheet_name(title))
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(list(row))
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(70, max(10, width + 2))
    book.save(path)


def _sheet_name(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "", title)[:31]


_CHANNEL_NAMES = {"telegram": "Telegram", "whatsapp": "WhatsApp", "console": "Konsol"}


def write_chart(report: Report, path: Path, office: str = "") -> None:
    """A PNG for the monthly report: messages per day by channel, answered share, and the top topics."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    days = [report.start + timedelta(days=i) for i in range((report.end - report.start).days + 1)]
    per = {(d, c): (n, ok) for d, c, n, ok in report.per_day}
    fig, (top_ax, bottom_ax) = plt.subplots(2, 1, figsize=(11, 9), gridspec_kw={"height_ratios": [3, 2]})
    bottom = [0] * len(days)
    for channel in report.channels:
        values = [per.get((d, channel), (0, 0))[0] for d in days]
        top_ax.bar(days, values, bottom=bottom, label=_CHANNEL_NAMES.get(channel, channel), width=0.8)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    top_ax.set_ylabel("Pesan per hari")
    title = f"Pertanyaan warga {report.start:%d/%m/%Y}–{report.end:%d/%m/%Y}"
    top_ax.set_title(f"{title} ({office})" if office else title, fontsize=13)
    top_ax.xaxis.set_major_formatter(mdates.DateFormatter("%d/%m"))
    top_ax.grid(axis="y", alpha=0.3)
    share_ax = top_ax.twinx()
    shares = []
    for d in days:
        n = sum(per.get((d, c), (0, 0))[0] for c in report.channels)
        ok = sum(per.get((d, c), (0, 0))[1] for c in report.channels)
        shares.append(100 * ok / n if n else float("nan"))
    share_ax.plot(days, shares, color="black", marker=".", linewidth=1.5, label="% terjawab")
    share_ax.set_ylim(0, 105)
    share_ax.set_ylabel("% terjawab")
    handles = top_ax.get_legend_handles_labels()[0] + share_ax.get_legend_handles_labels()[0]
    labels = top_ax.get_legend_handles_labels()[1] + share_ax.get_legend_handles_labels()[1]
    top_ax.set_ylim(0, max([*bottom, 1]) * 1.25)  # headroom for the legend
    top_ax.legend(handles, labels, loc="upper left", ncol=len(labels), fontsize=9, framealpha=0.9)

    topics = list(reversed(report.topics[:10]))
    bottom_ax.barh([t for t, _n in topics], [n for _t, n in topics], color="#2e7d32")
    bottom_ax.set_title("Topik teratas", fontsize=12)
    bottom_ax.set_xlabel("Pesan")
    for i, (_t, n) in enumerate(topics):
        bottom_ax.text(n, i, f" {n}", va="center", fontsize=9)
    bottom_ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


# ---- command line ----------------------------------------------------------------------------


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("use YYYY-MM-DD") from exc


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = sub.add_parser("report", help="query-log report: traffic, top topics, unanswered questions")
    report.add_argument("--from", dest="start", type=_date, help="first day (default: 30 days ago)")
    report.add_argument("--to", dest="end", type=_date, help="last day (default: today)")
    report.add_argument("--format", choices=("table", "csv", "xlsx"), default="table")
    report.add_argument("--output", type=Path, help="file to write (xlsx default: laporan-FROM-TO.xlsx)")
    report.add_argument("--chart", type=Path, help="also write a PNG chart here")
    report.add_argument("--top", type=int, default=15, help="topics to list (default 15)")
    report.add_argument("--groups", type=int, default=30, help="unanswered question groups to list (default 30)")


async def run(args: argparse.Namespace, settings: Settings) -> int:
    end = args.end or date.today()
    start = args.start or end - timedelta(days=29)
    if start > end:
        print("report: --from is after --to", file=sys.stderr)
        return 2
    db = Database(settings.database_url)
    wording = partial(Wording.from_content, settings.content_dir)
    try:
        report = await build_report(db, start, end, wording, top=args.top, groups=args.groups)
    except SQLAlchemyError as exc:  # read-only: a report never migrates; say what to do instead
        print(
            f"report: cannot read the query log ({type(exc).__name__}); run `python -m bot db upgrade`", file=sys.stderr
        )
        return 1
    finally:
        await db.dispose()
    if args.format == "xlsx":
        path = args.output or Path(f"laporan-{start.isoformat()}-{end.isoformat()}.xlsx")
        write_xlsx(report, path)
        print(f"report written to {path}", file=sys.stderr)
    elif args.output:
        with args.output.open("w", newline="", encoding="utf-8") as fh:
            write_csv(report, fh) if args.format == "csv" else fh.write(render_table(report))
    elif args.format == "csv":
        write_csv(report, sys.stdout)
    else:
        sys.stdout.write(render_table(report))
    if args.chart:
        write_chart(report, args.chart)
        print(f"chart written to {args.chart}", file=sys.stderr)
    return 0
