"""`python -m bot report`: the report for a period as a table, CSV or workbook, and a chart."""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from functools import partial
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.reports.chart import write_chart
from bot.reports.grouping import Wording
from bot.reports.report import build_report
from bot.reports.tables import render_table, write_csv, write_xlsx
from bot.storage.db import Database


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
