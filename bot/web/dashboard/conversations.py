"""Conversations handed over to the office: the queue, one conversation, claim, reply, close.

Residents appear by a short number and channel only, never by platform id or phone number; their
words are shown as the engine stored them (NIKs and phone numbers already redacted). Every action
is recorded with the officer's login and time (bot/storage/handover.py). The open conversation
polls `/events` for new messages (static/conversations.js, served from here: no external scripts);
every label is worded here, in the officer's language, for the page and the poll alike.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.engine.features.handover import INTENT as HANDOVER
from bot.engine.features.handover import handed_back
from bot.i18n import format_time, translations
from bot.privacy import pseudonym
from bot.reports import UNANSWERED_INTENTS
from bot.runtime import Runtime
from bot.storage import handover as store
from bot.storage import querylog
from bot.web.dashboard import relay
from bot.web.dashboard.auth import STAFF
from bot.web.dashboard.context import SERVICE, content_of, lang_of, scope_of

VIEWS = ("waiting", "mine", "closed")
MAX_REPLY = 2000
PAGE = 100  # conversations per page of the queue, longest wait first


def _waited(since: datetime | None, now: datetime, lang: str) -> str:
    if since is None:
        return ""
    minutes = max(0, int((now - since).total_seconds() // 60))
    t = translations(lang)
    if minutes < 60:
        return t.ngettext("{n} menit", "{n} menit", minutes).format(n=minutes)
    hours = minutes // 60
    return t.ngettext("{n} jam", "{n} jam", hours).format(n=hours)


@aiohttp_jinja2.template("conversations.html")
async def queue(request: web.Request) -> dict[str, Any]:
    view = request.query.get("view", "waiting")
    view = view if view in VIEWS else "waiting"
    db, lang, now = request.app[SERVICE].db, lang_of(request), datetime.now(UTC)
    page = max(0, int(request.query["page"])) if request.query.get("page", "").isdigit() else 0
    scope = scope_of(request)  # one office's residents, for staff of one office
    cases = await store.queue(db, view, request[STAFF].username, PAGE + 1, page * PAGE, scope)  # one more: a next?
    rows = [
        {"id": c.id, "channel": c.channel, "status": c.status, "officer": c.officer or "",
         "waited": _waited(c.waiting_since, now, lang) if c.status != store.CLOSED else ""}
        for c in cases[:PAGE]
    ]  # fmt: skip
    more = len(cases) > PAGE
    counts = await store.counts(db, scope)
    return {"view": view, "views": VIEWS, "rows": rows, "counts": counts, "page": page, "more": more}


async def _case(request: web.Request) -> store.Case:
    try:
        found = await store.get(request.app[SERVICE].db, int(request.match_info["id"]))
    except ValueError:
        found = None
    if found is None or not scope_of(request).holds(found.office):  # another office's resident: not here
        raise web.HTTPNotFound(text="no such conversation")
    return found


def _words(t: Callable[[str], str]) -> dict[str, Any]:
    """Every label of the thread: kinds of event, how a delivery went, notes, details."""
    return {
        "kind": {
            store.RESIDENT: t("Warga"), store.OFFICER: t("Petugas"), store.OPENED: t("Warga meminta petugas"),
            store.CLAIMED: t("Diambil"), store.CLOSED_EVENT: t("Ditutup"), store.NOTE: t("Catatan"),
            store.DANGER: t("Tanda bahaya: bot langsung memberi nomor darurat"),
        },
        "delivery": {
            store.DELIVERED: t("terkirim"), store.FAILED: t("gagal terkirim"), store.PENDING: t("mengirim…"),
            store.TEMPLATE: t("jendela 24 jam WhatsApp tertutup: warga diundang membalas; pesan ini terkirim "
                              "begitu warga membalas"),
            store.WINDOW: t("jendela 24 jam WhatsApp tertutup dan warga ini tidak boleh dihubungi lebih dulu "
                            "(bukan pelanggan): pesan ini terkirim bila warga menulis lagi"),
        },
        "note": {store.CLOSING_NOT_SENT: t("Pesan penutup tidak sampai ke warga.")},
        "retry": {"": t("belum terkirim, dicoba lagi otomatis")},
        "detail": {
            store.TIMEOUT: t("otomatis: lama tidak ada pesan (batas waktu kantor)"),
            store.AFTER_REPLY: t("setelah warga membalas"),
        },
    }  # fmt: skip


def _event_rows(events: list[store.Event], zone: Any, lang: str) -> list[dict[str, Any]]:
    words = _words(translations(lang).gettext)
    rows = []
    for e in events:
        text = words["note"].get(e.text, e.text) if e.kind == store.NOTE else e.text
        rows.append(
            {"id": e.id, "kind": e.kind, "label": words["kind"].get(e.kind, e.kind), "text": text,
             "officer": e.officer or "", "delivery": e.delivery,
             "delivery_label": words["retry"][""] if e.delivery == store.PENDING and e.detail
                               else words["delivery"].get(e.delivery, "") if e.delivery else "",
             "detail": words["detail"].get(e.detail, e.detail), "at": format_time(e.at.astimezone(zone), lang)}
        )  # fmt: skip
    return rows


async def earlier_turns(runtime: Runtime, case: store.Case, lang: str, limit: int = 6) -> list[dict[str, Any]]:
    """The resident's last turns with the bot before asking for a person, as the query log keeps them
    (redacted, by pseudonym), each with what the bot made of it: a topic's title or "not answered"."""
    who = pseudonym(case.user_key, runtime.settings.pseudonym_secret())
    rows = await querylog.recent(runtime.db, who, case.opened_at, limit + 1)
    t = translations(lang).gettext
    office = runtime.offices().get(case.office) or runtime.holder.current  # the resident's office
    titles = {i.id: i.title.get(lang) for i in office.intents.intents}
    zone = office.office.zone
    found = []
    for row in rows:
        if not row.text or row.intent == HANDOVER:
            continue  # a button or a location: nothing to read; the request for a person opens the thread
        unanswered = row.intent in UNANSWERED_INTENTS
        label = t("belum terjawab oleh bot") if unanswered else titles.get(row.intent, "")
        at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
        found.append({"text": row.text, "label": label, "unanswered": unanswered,
                      "at": format_time(at.astimezone(zone), lang)})  # fmt: skip
    return found[-limit:]


async def conversation(request: web.Request) -> web.StreamResponse:
    case = await _case(request)
    service, lang = request.app[SERVICE], lang_of(request)
    events = await relay.settle(service, case, await store.events(service.db, case.id))
    context = {
        "earlier": await earlier_turns(service, case, lang),
        "case": case,
        "events": _event_rows(events, content_of(request).office.zone, lang),
        "last": events[-1].id if events else 0,
        "mine": case.status == store.HELD and case.officer == request[STAFF].username,
        "waited": _waited(case.waiting_since, datetime.now(UTC), lang),
        "error": request.query.get("error", ""),
    }
    return aiohttp_jinja2.render_template("conversation.html", request, context)


async def events_json(request: web.Request) -> web.StreamResponse:
    """New events after `?after=<id>`, and how earlier replies went since (`?pending=1,2`), for the poll;
    the status too, so a claim elsewhere shows."""
    case = await _case(request)
    service, lang = request.app[SERVICE], lang_of(request)
    try:
        after = int(request.query.get("after", "0"))
    except ValueError:
        after = 0
    pending = [int(i) for i in request.query.get("pending", "").split(",") if i.isdigit()]
    zone = content_of(request).office.zone
    events = await relay.settle(service, case, await store.events(service.db, case.id, after=after))
    changed = await relay.settle(service, case, await store.events_by_id(service.db, case.id, pending))
    return web.json_response(
        {"status": case.status, "officer": case.officer or "", "events": _event_rows(events, zone, lang),
         "updates": _event_rows(changed, zone, lang)}
    )  # fmt: skip


def _back(case: store.Case, error: str = "") -> web.HTTPFound:
    return web.HTTPFound(f"/dashboard/conversations/{case.id}" + (f"?error={error}" if error else ""))


async def claim(request: web.Request) -> web.StreamResponse:
    case = await _case(request)
    taken = await store.claim(request.app[SERVICE].db, case.id, request[STAFF].username)
    raise _back(case, "" if taken else "taken")


async def reply(request: web.Request) -> web.StreamResponse:
    case = await _case(request)
    officer = request[STAFF].username
    text = str((await request.post()).get("text", "")).strip()[:MAX_REPLY]
    if case.status != store.HELD or case.officer != officer:
        raise _back(case, "not_yours")
    if not text:
        raise _back(case, "empty")
    runtime = request.app[SERVICE]
    event_id = await store.officer_said(runtime.db, case, officer, text)
    await relay.send(runtime, case, relay.officer_text(case, text), event_id, relay.answer_path(request, case.channel))
    raise _back(case)


async def close(request: web.Request) -> web.StreamResponse:
    case = await _case(request)
    runtime = request.app[SERVICE]
    closed = await store.close(runtime.db, case.id, request[STAFF].username)
    if closed is None:
        raise _back(case, "not_yours")
    how, detail = await relay.send(
        runtime, closed, handed_back(closed.lang), None, relay.answer_path(request, closed.channel)
    )
    if how not in (store.DELIVERED, store.PENDING):
        await store.note(runtime.db, closed, request[STAFF].username, store.CLOSING_NOT_SENT, detail)
    raise _back(closed)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/conversations", queue)
    app.router.add_get("/conversations/{id:\\d+}", conversation)
    app.router.add_get("/conversations/{id:\\d+}/events", events_json)
    app.router.add_post("/conversations/{id:\\d+}/claim", claim)
    app.router.add_post("/conversations/{id:\\d+}/reply", reply)
    app.router.add_post("/conversations/{id:\\d+}/close", close)
