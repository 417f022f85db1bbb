"""The overview page: messages per day and channel, residents' top topics, helpfulness, answer times.

Everything here is in words office staff use: topics by their titles in the content (never an
intent id; the bot's own replies and staff commands are not residents' topics), answer times as
"half of the answers" and "99 of 100 answers" instead of percentiles, every day of the period on
the chart (a day without messages is a zero, not a gap).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.i18n import format_date, format_decimal, translations
from bot.web.dashboard.charts import bar_chart, line_chart
from bot.web.dashboard.context import AS_OF, content_of, lang_of, report_of


def _times(t: Callable[[str], str]) -> tuple[tuple[float, str], ...]:
    """The answer-time cards: percentile -> what it means, in words."""
    return (
        (0.5, t("Separuh jawaban terkirim secepat ini atau lebih cepat")),
        (0.99, t("99 dari 100 jawaban terkirim secepat ini atau lebih cepat")),
    )


def by_title(rows: Iterable[tuple[str, int]], titles: dict[str, str], other: str) -> list[tuple[str, int]]:
    """Counts per intent as counts per title; intents the content no longer names are summed as `other`."""
    named: dict[str, int] = {}
    rest = 0
    for intent, n in rows:
        if intent in titles:
            named[titles[intent]] = named.get(titles[intent], 0) + n
        else:
            rest += n
    found = sorted(named.items(), key=lambda item: (-item[1], item[0]))
    return found + ([(other, rest)] if rest else [])


def seconds(ms: float, lang: str) -> str:
    t = translations(lang).gettext
    return t("{n} detik").format(n=format_decimal(ms / 1000, lang, 2 if ms < 1000 else 1))


@aiohttp_jinja2.template("overview.html")
async def overview(request: web.Request) -> dict[str, Any]:
    report = await report_of(request)
    lang = lang_of(request)
    t = translations(lang).gettext
    days = [report.start + timedelta(days=n) for n in range((report.end - report.start).days + 1)]
    per_channel: dict[str, list[float]] = {c: [0.0] * len(days) for c in report.channels}
    index = {d: i for i, d in enumerate(days)}
    for day, channel, total, _answered in report.per_day:
        per_channel[channel][index[day]] += total
    titles = {i.id: i.title.get(lang) for i in content_of(request).intents.intents}
    other = t("Topik lain (sudah tidak ada di konten)")
    topics = by_title(report.topics, titles, other)
    helpful: dict[str, list[int]] = {}
    for intent, asked, yes, no in report.helpfulness:
        if asked:
            counts = helpful.setdefault(titles.get(intent, other), [0, 0, 0])
            for k, v in enumerate((yes, no, asked)):
                counts[k] += v
    helpful_rows = [(label, yes, no, asked) for label, (yes, no, asked) in helpful.items()]
    return {
        "report": report,
        "period": f"{format_date(report.start, lang, weekday=False)} – {format_date(report.end, lang, weekday=False)}",
        "answered_pct": round(100 * report.answered / report.total) if report.total else 0,
        "chart_days": line_chart(
            [d.strftime("%d/%m") for d in days], per_channel, t("Pesan per hari menurut saluran"), t("Belum ada pesan.")
        ),
        "chart_topics": bar_chart([label for label, _ in topics], [n for _, n in topics], t("Topik teratas")),
        "chart_helpful": bar_chart(  # topics someone rated: an unrated topic is no 0%
            [label for label, yes, no, _ in helpful_rows if yes + no],
            [round(100 * yes / (yes + no)) for _, yes, no, _ in helpful_rows if yes + no],
            t("Jawaban yang membantu (%)"),
            unit="%",
        ),
        "helpful_rows": helpful_rows,
        "times": [
            (seconds(report.response_ms[q], lang), caption) for q, caption in _times(t) if q in report.response_ms
        ],
        "as_of": request[AS_OF].strftime("%H.%M"),
    }
