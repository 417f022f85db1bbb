"""The data pages: unanswered-question inbox, broadcasts, subscribers (the overview: overview.py).

No page shows a raw user id, NIK or phone number: residents appear only as counts,
redacted question texts, and areas.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, tzinfo
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.i18n import format_date, format_time, translations
from bot.reports import question_key
from bot.storage import broadcasts as broadcast_store
from bot.storage import inbox as inbox_store
from bot.storage import subscriptions
from bot.web.dashboard.auth import STAFF
from bot.web.dashboard.charts import bar_chart
from bot.web.dashboard.context import (
    AS_OF,
    REPORTS,
    SERVICE,
    content_of,
    group_key,
    lang_of,
    report_of,
    scope_of,
    viewing,
)


def _local(moment: datetime, zone: tzinfo, lang: str) -> str:
    local = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone)
    return f"{format_date(local.date(), lang, weekday=False)} {format_time(local, lang)}"


async def _groups(request: web.Request) -> list[dict[str, Any]]:
    report = await report_of(request)
    wording = request.app[REPORTS].wording(content_of(request))
    keys = [group_key(request, question_key(g.example, wording)) for g in report.unanswered]
    marks = await inbox_store.marks(request.app[SERVICE].db, keys)
    zone, lang = content_of(request).office.zone, lang_of(request)
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
                "marked_by": mark.updated_by if mark else "",
                "marked_at": _local(mark.updated_at, zone, lang) if mark else "",
            }
        )
    return rows


async def inbox(
    request: web.Request, error: tuple[str, str] | None = None, chosen: dict[str, str] | None = None
) -> web.StreamResponse:
    """Grouped unanswered questions; staff mark each group so the list becomes a to-do list.

    A mark that cannot be saved shows the page again with the message next to its group and the
    choices kept (`error` = (group key, message)), never a bare error page.
    """
    rows = await _groups(request)
    show = request.query.get("show", "open")
    if show == "open":
        rows = [r for r in rows if not r["status"] or (error and r["key"] == error[0])]
    intents = [(i.id, i.title.get(lang_of(request))) for i in content_of(request).intents.intents]
    return aiohttp_jinja2.render_template(
        "inbox.html",
        request,
        {
            "rows": rows,
            "show": show,
            "intents": intents,
            "statuses": inbox_store.STATUSES,
            "as_of": request[AS_OF].strftime("%H.%M"),
            "error_key": error[0] if error else "",
            "error": error[1] if error else "",
            "chosen": chosen or {},
        },
        status=400 if error else 200,
    )


async def inbox_mark(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    key = str(form.get("group_key", ""))[:300]
    status = str(form.get("status", ""))
    intent_id = str(form.get("intent_id", "")) or None
    t = translations(lang_of(request)).gettext
    problem = ""
    office = viewing(request)
    if office and not key.startswith(f"{office}|"):  # another office's group: not this login's to mark
        raise web.HTTPBadRequest(text="unknown group")
    if status not in inbox_store.STATUSES:
        problem = t("Pilih dulu tanda untuk kelompok ini.")
    elif status == inbox_store.ANSWERED_BY_FAQ and content_of(request).intents.get(intent_id or "") is None:
        problem = t("Pilih FAQ yang sudah menjawab pertanyaan ini, atau pilih tanda lain.")
    if problem or not key:
        chosen = {"status": status, "intent_id": intent_id or ""}
        return await inbox(
            request, (key, problem or t("Kelompok ini tidak ditemukan lagi; muat ulang halaman.")), chosen
        )
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


def _broadcast_state(status: str, pending: int) -> str:
    """What office staff read for a broadcast: scheduled, sending, done or cancelled (never the stored word)."""
    if status == broadcast_store.SCHEDULED:
        return "scheduled"
    if status == broadcast_store.CANCELLED_BROADCAST:
        return "cancelled"
    return "sending" if pending else "done"  # queued: every run is in the delivery queue


@aiohttp_jinja2.template("broadcasts.html")
async def broadcasts(request: web.Request) -> dict[str, Any]:
    """Scheduled, running and finished broadcasts with their delivery counts; times in the office's zone."""
    service = request.app[SERVICE]
    db, zone, lang = service.db, content_of(request).office.zone, lang_of(request)
    rows = []
    for b in await broadcast_store.broadcasts_of(db, None, limit=50, office=viewing(request)):
        counts = await broadcast_store.counts(db, b.id)
        next_run = b.next_run_at.astimezone(zone) if b.next_run_at else None
        rows.append(
            {
                "id": b.id,
                "text": b.text,
                "role": b.author_role,
                "audience": b.audience or "",
                "state": _broadcast_state(b.status, counts.pending),
                "next_run": f"{format_date(next_run.date(), lang, weekday=False)} {format_time(next_run, lang)} "
                f"{next_run.strftime('%Z')}"
                if next_run
                else "",
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
    offices = service.offices()
    grouped = await subscriptions.area_counts(service.db, scope_of(request))
    table: dict[tuple[str, str], list[int]] = {}
    for kec, kel, active, n in grouped:
        directory = (offices.of_area(kec) or content_of(request)).puskesmas  # each area named by its own office
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
