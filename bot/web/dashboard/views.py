"""The data pages: overview, unanswered-question inbox, broadcasts, subscribers.

No page shows a raw user id, NIK or phone number: residents appear only as counts,
redacted question texts, and areas.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.i18n import format_date, translations
from bot.reports import Report, question_key
from bot.storage import broadcasts as broadcast_store
from bot.storage import inbox as inbox_store
from bot.storage import subscriptions
from bot.web.dashboard.auth import STAFF
from bot.web.dashboard.charts import bar_chart, line_chart
from bot.web.dashboard.context import REPORTS, SERVICE, lang_of

AS_OF: web.RequestKey[datetime] = web.RequestKey("dashboard_as_of", datetime)


async def _report(request: web.Request) -> Report:
    snapshot = await request.app[REPORTS].latest()
    request[AS_OF] = snapshot.built_at.astimezone(request.app[SERVICE].holder.current.office.zone)
    return snapshot.report


@aiohttp_jinja2.template("overview.html")
async def overview(request: web.Request) -> dict[str, Any]:
    """Messages per day and channel, top topics, helpfulness and response times, as charts."""
    report = await _report(request)
    lang = lang_of(request)
    t = translations(lang).gettext
    days = sorted({d for d, *_ in report.per_day})
    per_channel: dict[str, list[float]] = {c: [0.0] * len(days) for c in report.channels}
    index = {d: i for i, d in enumerate(days)}
    for day, channel, total, _answered in report.per_day:
        per_channel[channel][index[day]] += total
    titles = {i.id: i.title.get(lang) for i in request.app[SERVICE].holder.current.intents.intents}
    helpful_rows = [(titles.get(i, i), yes, no, asked) for i, asked, yes, no in report.helpfulness if asked]
    return {
        "report": report,
        "period": f"{format_date(report.start, lang, weekday=False)} – {format_date(report.end, lang, weekday=False)}",
        "answered_pct": round(100 * report.answered / report.total) if report.total else 0,
        "chart_days": line_chart([d.strftime("%d/%m") for d in days], per_channel, t("Pesan per hari menurut saluran")),
        "chart_topics": bar_chart(
            [titles.get(i, i) for i, _ in report.topics], [n for _, n in report.topics], t("Topik teratas")
        ),
        "chart_helpful": bar_chart(
            [label for label, *_ in helpful_rows],
            [round(100 * yes / (yes + no)) if yes + no else 0 for _, yes, no, _ in helpful_rows],
            t("Jawaban yang membantu (%)"),
            unit="%",
        ),
        "helpful_rows": helpful_rows,
        "response_ms": sorted(report.response_ms.items()),
        "as_of": request[AS_OF].strftime("%H.%M"),
    }


async def _groups(request: web.Request) -> list[dict[str, Any]]:
    report = await _report(request)
    wording = request.app[REPORTS].wording(request.app[SERVICE].holder.current)
    keys = [question_key(g.example, wording) for g in report.unanswered]
    marks = await inbox_store.marks(request.app[SERVICE].db, keys)
    rows = []
    for key, group in zip(keys, report.unanswered, strict=True):
        mark = marks.get(key)
        rows.append(
            {
                "key": key,
                "count": group.count,
                "example": group.example,
                "variants": group.variants[:5],
                "status": mark.status if mark else "",
                "intent_id": mark.intent_id if mark else "",
            }
        )
    return rows


async def inbox(request: web.Request) -> web.StreamResponse:
    """Grouped unanswered questions; staff mark each group so the list becomes a to-do list."""
    rows = await _groups(request)
    show = request.query.get("show", "open")
    if show == "open":
        rows = [r for r in rows if not r["status"]]
    intents = [(i.id, i.title.get(lang_of(request))) for i in request.app[SERVICE].holder.current.intents.intents]
    return aiohttp_jinja2.render_template(
        "inbox.html",
        request,
        {
            "rows": rows,
            "show": show,
            "intents": intents,
            "statuses": inbox_store.STATUSES,
            "as_of": request[AS_OF].strftime("%H.%M"),
        },
    )


async def inbox_mark(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    key = str(form.get("group_key", ""))[:300]
    status = str(form.get("status", ""))
    intent_id = str(form.get("intent_id", "")) or None
    if not key or status not in inbox_store.STATUSES:
        raise web.HTTPBadRequest(text="unknown group or status")
    if (
        status == inbox_store.ANSWERED_BY_FAQ
        and request.app[SERVICE].holder.current.intents.get(intent_id or "") is None
    ):
        raise web.HTTPBadRequest(text="choose the FAQ entry that answers this question")
    await inbox_store.mark(request.app[SERVICE].db, key, status, intent_id, request[STAFF].username)
    raise web.HTTPFound("/dashboard/inbox")


async def inbox_csv(request: web.Request) -> web.StreamResponse:
    """The content-gap list as CSV for a spreadsheet (redacted texts and counts only)."""
    rows = await _groups(request)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["count", "example", "status", "faq", "variants"])
    for r in rows:
        writer.writerow(
            [r["count"], r["example"], r["status"], r["intent_id"], " | ".join(v for v, _ in r["variants"])]
        )
    return web.Response(
        body=out.getvalue().encode("utf-8-sig"),  # the BOM makes Excel read Indonesian text correctly
        content_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="pertanyaan-belum-terjawab.csv"'},
    )


@aiohttp_jinja2.template("broadcasts.html")
async def broadcasts(request: web.Request) -> dict[str, Any]:
    """Scheduled, running and finished broadcasts with their delivery counts."""
    db = request.app[SERVICE].db
    rows = []
    for b in await broadcast_store.broadcasts_of(db, None, limit=50):
        counts = await broadcast_store.counts(db, b.id)
        rows.append(
            {
                "id": b.id,
                "text": b.text,
                "role": b.author_role,
                "audience": b.audience or "",
                "status": b.status,
                "next_run_at": b.next_run_at,
                "repeat": b.repeat or "",
                "counts": counts,
                "progress": round(100 * (counts.total - counts.pending) / counts.total) if counts.total else 0,
            }
        )
    return {"rows": rows}


@aiohttp_jinja2.template("subscribers.html")
async def subscribers(request: web.Request) -> dict[str, Any]:
    """Subscribers per kecamatan and kelurahan (counts only)."""
    service = request.app[SERVICE]
    directory = service.holder.current.puskesmas
    grouped = await subscriptions.area_counts(service.db)
    table: dict[tuple[str, str], list[int]] = {}
    for kec, kel, active, n in grouped:
        kec_obj = directory.kecamatan_by_code(kec) if kec else None
        kec_name = (kec_obj.name if kec_obj else kec) or "–"
        kel_obj = directory.kelurahan_by_code(kel) if kel else None
        kel_name = (kel_obj.name if kel_obj else kel) or "–"
        counts = table.setdefault((kec_name, kel_name), [0, 0])
        counts[0 if active else 1] += int(n)
    rows = sorted(((k, v) for k, v in table.items()), key=lambda item: (-item[1][0], item[0]))
    return {
        "rows": rows,
        "active": sum(v[0] for _, v in rows),
        "inactive": sum(v[1] for _, v in rows),
        "chart": bar_chart(
            [kel if kel != "–" else kec for (kec, kel), _ in rows[:15]],
            [v[0] for _, v in rows[:15]],
            translations(lang_of(request)).gettext("Pelanggan aktif per wilayah"),
        ),
    }
