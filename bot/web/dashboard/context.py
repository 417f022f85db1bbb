"""What every dashboard page shares: the app's keys, the staff's language and office, the template context.

With several offices (CONTENT_DIRS) a login of one office sees only that office: its report,
questions, broadcasts, subscribers, conversations and content. A login of every office (staff
added without --office) picks one office, or all of them, with `?office=` (kept in a cookie).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from aiohttp import web

from bot.i18n import available_languages, translations
from bot.knowledge.content import Content
from bot.reports import Report
from bot.runtime import Runtime
from bot.storage.scope import EVERY, Scope
from bot.web.dashboard.auth import STAFF, Handler, LoginLimiter, set_cookie
from bot.web.dashboard.snapshot import ReportCache

SERVICE: web.AppKey[Runtime] = web.AppKey("dashboard_service", Runtime)
LIMITER: web.AppKey[LoginLimiter] = web.AppKey("dashboard_limiter", LoginLimiter)
REPORTS: web.AppKey[ReportCache] = web.AppKey("dashboard_reports", ReportCache)
AS_OF: web.RequestKey[datetime] = web.RequestKey("dashboard_as_of", datetime)
LANG_COOKIE = "ts_lang"
OFFICE_COOKIE = "ts_office"
ALL = "all"
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


def viewing(request: web.Request) -> str | None:
    """The office (region code) the page shows: the login's own, else the one picked; None = every office."""
    session = request.get(STAFF)
    if session is not None and session.office is not None:
        return session.office
    offices = request.app[SERVICE].offices()
    wanted = request.query.get("office") or request.cookies.get(OFFICE_COOKIE) or ALL
    return wanted if offices.multi and offices.get(wanted) is not None else None


def content_of(request: web.Request) -> Content:
    """The viewed office's live content (the default office's when every office is viewed)."""
    offices = request.app[SERVICE].offices()
    return offices.get(viewing(request)) or offices.default


def scope_of(request: web.Request) -> Scope:
    """Which rows the page reads; rows kept before offices were recorded are the default office's."""
    code = viewing(request)
    if code is None:
        return EVERY
    offices = request.app[SERVICE].offices()
    return Scope(code, unassigned=code == offices.default.office.region_code)


def group_key(request: web.Request, key: str) -> str:
    """An inbox group's key as this view marks it: one office's marks are its own ('14.01|...')."""
    office = viewing(request)
    return f"{office}|{key}" if office else key


@web.middleware
async def office_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A login of an office this bot does not serve sees nothing; a picked office is remembered."""
    session = request.get(STAFF)
    if (
        session is not None
        and session.office is not None
        and request.app[SERVICE].offices().get(session.office) is None
    ):
        raise web.HTTPForbidden(text="this login's office is not served by this bot")
    response = await handler(request)
    picked = request.query.get("office")
    if session is not None and session.office is None and picked is not None:
        set_cookie(request, response, OFFICE_COOKIE, picked if picked == ALL or viewing(request) else ALL, 365 * 86400)
    return response


async def context(request: web.Request) -> dict[str, Any]:
    """What every template sees: the translator, the staff session and the navigation."""
    lang = lang_of(request)
    session = request.get(STAFF)
    offices = request.app[SERVICE].offices()
    return {
        "t": translations(lang).gettext,
        "lang": lang,
        "languages": [(code, str(request.rel_url.update_query(lang=code))) for code in available_languages()],
        "staff": session,
        "csrf": session.csrf_token if session else "",
        "nav": NAV,
        "path": request.path,
        "office": content_of(request).office,
        "viewing": viewing(request),
        # staff of every office in a deployment of several pick one: (code, name) of each
        "office_choice": [(c.office.region_code, c.office.city) for c in offices.contents]
        if offices.multi and session is not None and session.office is None
        else [],
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
    snapshot = await request.app[REPORTS].latest(scope_of(request))  # the viewed office's (or every office's)
    request[AS_OF] = snapshot.built_at.astimezone(content_of(request).office.zone)
    return snapshot.report
