"""What every dashboard page shares: the app's keys, the staff's language, the template context."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from aiohttp import web

from bot.i18n import available_languages, translations
from bot.reports import Report
from bot.runtime import Runtime
from bot.web.dashboard.auth import STAFF, LoginLimiter, set_cookie
from bot.web.dashboard.snapshot import ReportCache

SERVICE: web.AppKey[Runtime] = web.AppKey("dashboard_service", Runtime)
LIMITER: web.AppKey[LoginLimiter] = web.AppKey("dashboard_limiter", LoginLimiter)
REPORTS: web.AppKey[ReportCache] = web.AppKey("dashboard_reports", ReportCache)
AS_OF: web.RequestKey[datetime] = web.RequestKey("dashboard_as_of", datetime)
LANG_COOKIE = "ts_lang"
NAV = (
    ("overview", "/dashboard/"),
    ("conversations", "/dashboard/conversations"),
    ("inbox", "/dashboard/inbox"),
    ("drafts", "/dashboard/drafts"),
    ("broadcasts", "/dashboard/broadcasts"),
    ("subscribers", "/dashboard/subscribers"),
    ("content", "/dashboard/content"),
    ("try", "/dashboard/try"),
)


def lang_of(request: web.Request) -> str:
    wanted = request.query.get("lang") or request.cookies.get(LANG_COOKIE) or "id"
    return wanted if wanted in available_languages() else "id"


async def context(request: web.Request) -> dict[str, Any]:
    """What every template sees: the translator, the staff session and the navigation."""
    lang = lang_of(request)
    session = request.get(STAFF)
    return {
        "t": translations(lang).gettext,
        "lang": lang,
        "languages": [(code, str(request.rel_url.update_query(lang=code))) for code in available_languages()],
        "staff": session,
        "csrf": session.csrf_token if session else "",
        "nav": NAV,
        "path": request.path,
        "office": request.app[SERVICE].holder.current.office,
    }


def remember_lang(request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
    if "lang" in request.query and request.query["lang"] in available_languages():
        set_cookie(request, response, LANG_COOKIE, request.query["lang"], 365 * 86400)
    return response


@web.middleware
async def language(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """A ?lang= choice made on any page is kept (a cookie) for every page after it, redirects included."""
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        remember_lang(request, exc)
        raise
    return remember_lang(request, response)


async def report_of(request: web.Request) -> Report:
    """The latest office report (bot/web/dashboard/snapshot.py); AS_OF: when it was built, office time."""
    snapshot = await request.app[REPORTS].latest()
    request[AS_OF] = snapshot.built_at.astimezone(request.app[SERVICE].holder.current.office.zone)
    return snapshot.report
