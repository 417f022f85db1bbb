"""The office's query-log report: traffic per day and channel, top topics, the content-gap list
(unanswered questions grouped by similar wording), helpfulness per topic, response times.

`python -m bot report --from 2026-11-01 --to 2026-11-30 [--format table|csv|xlsx] [--output FILE]
[--chart FILE.png]`. One job per module: `grouping` (similar questions), `report` (building the
numbers from storage's queries), `percentiles`, `tables` (text, CSV, workbook), `chart`, `cli`.
"""

from __future__ import annotations

from bot.reports.chart import write_chart
from bot.reports.cli import add_parser, run
from bot.reports.grouping import QuestionGroup, Wording, group_questions, question_key
from bot.reports.percentiles import PERCENTILES, percentiles
from bot.reports.report import UNANSWERED_INTENTS, Report, build_report
from bot.reports.tables import render_table, sections, write_csv, write_xlsx

__all__ = [
    "PERCENTILES",
    "UNANSWERED_INTENTS",
    "QuestionGroup",
    "Report",
    "Wording",
    "add_parser",
    "build_report",
    "group_questions",
    "percentiles",
    "question_key",
    "render_table",
    "run",
    "sections",
    "write_chart",
    "write_csv",
    "write_xlsx",
]
