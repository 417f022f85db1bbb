"""Dashboard pages: each handler gathers data and renders one template."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.engine.types import Inbound
from bot.i18n import format_date, format_time, translations
from bot.querylog.recorder import TRIAL_CHANNEL
from bot.storage import staff
from bot.web.dashboard.auth import COOKIE, DB_KEY, LOGIN_CSRF_COOKIE, STAFF, client_ip, set_cookie
from bot.web.dashboard.context import LIMITER, SERVICE, content_of, lang_of, viewing
from bot.web.dashboard.problems import explain


async def login_form(request: web.Request) -> web.StreamResponse:
    import secrets

    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
    response = aiohttp_jinja2.render_template("login.html", request, {"login_csrf": token, "error": ""})
    set_cookie(request, response, LOGIN_CSRF_COOKIE, token, 3600)
    return response


async def login(request: web.Request) -> web.StreamResponse:
    import secrets

    form = await request.post()
    username = str(form.get("username", "")).strip()[:64]
    password = str(form.get("password", ""))[:256]
    cookie_token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    sent = str(form.get("csrf_token", ""))
    t = translations(lang_of(request)).gettext
    if not cookie_token or not secrets.compare_digest(sent, cookie_token):
        raise web.HTTPForbidden(text="invalid CSRF token")
    limiter, ip = request.app[LIMITER], client_ip(request)
    if limiter.blocked(ip, username):
        response = aiohttp_jinja2.render_template(
            "login.html",
            request,
            {"login_csrf": cookie_token, "error": t("Terlalu banyak percobaan. Coba lagi 15 menit lagi.")},
            status=429,
        )
        return response
    if not username or not await staff.verify_password(request.app[DB_KEY], username, password):
        limiter.failed(ip, username)
        return aiohttp_jinja2.render_template(
            "login.html",
            request,
            {"login_csrf": cookie_token, "error": t("Nama pengguna atau kata sandi salah.")},
            status=401,
        )
    limiter.succeeded(username)
    token, _session = await staff.open_session(request.app[DB_KEY], username)
    response = web.HTTPFound("/dashboard/")
    set_cookie(request, response, COOKIE, token, staff.SESSION_HOURS * 3600)
    response.del_cookie(LOGIN_CSRF_COOKIE, path="/dashboard")
    raise response


async def logout(request: web.Request) -> web.StreamResponse:
    await staff.close_session(request.app[DB_KEY], request.cookies.get(COOKIE, ""))
    response = web.HTTPFound("/dashboard/login")
    response.del_cookie(COOKIE, path="/dashboard")
    raise response


@aiohttp_jinja2.template("content.html")
async def content_health(request: web.Request) -> dict[str, Any]:
    """Content version, last reload (office time), problems in the staff's words, answers past their review."""
    service = request.app[SERVICE]
    content = content_of(request)
    lang = lang_of(request)
    zone = content.office.zone
    today = datetime.now(zone).date()
    stale = [
        {"id": i.id, "file": i.file, "line": i.line, "reviewed": format_date(i.reviewed, lang, weekday=False)}
        for i in content.intents.intents
        if i.answer is not None and i.reviewed is not None and (today - i.reviewed).days > REVIEW_DAYS
    ]
    reloaded = service.holder.last_reload.astimezone(zone)
    return {
        "version": content.version,
        "reloaded": f"{format_date(reloaded.date(), lang, weekday=False)}, {format_time(reloaded, lang)} "
        f"{reloaded.strftime('%Z')}",
        "errors": [explain(p, lang) for p in service.holder.errors_of(viewing(request))],
        "warnings": [explain(p, lang) for p in content.warnings],
        "stale": stale,
        "review_days": REVIEW_DAYS,
        "intent_count": len(content.intents.intents),
    }


REVIEW_DAYS = 365  # medical answers older than a year are due for a re-check


async def try_bot(request: web.Request) -> web.StreamResponse:
    """Send a question to the engine as a test user and show the answer and the intent."""
    result: dict[str, Any] | None = None
    question = ""
    if request.method == "POST":
        form = await request.post()
        question = str(form.get("question", "")).strip()[:1000]
        if question:
            session = request[STAFF]
            started = time.perf_counter()
            office = viewing(request) or ""  # staff try their own office's bot
            outcome = await request.app[SERVICE].handle(
                Inbound(
                    user_key=f"{TRIAL_CHANNEL}:{session.username}", channel=TRIAL_CHANNEL, text=question, office=office
                )
            )
            result = {
                "intent": outcome.intent,
                "confidence": f"{outcome.confidence:.2f}",
                "answered": outcome.answered,
                "replies": outcome.replies,
                "ms": f"{(time.perf_counter() - started) * 1000:.1f}",
            }
    return aiohttp_jinja2.render_template("try.html", request, {"question": question, "result": result})
