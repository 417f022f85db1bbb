"""The office dashboard at /dashboard: server-rendered pages for staff, no build step."""

from __future__ import annotations

from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.runtime import Runtime
from bot.web.dashboard import conversations, drafts, overview, pages, views
from bot.web.dashboard.auth import DB_KEY, TRUSTED, LoginLimiter, require_staff, security_headers
from bot.web.dashboard.context import LIMITER, REPORTS, SERVICE, context, language, office_guard
from bot.web.dashboard.snapshot import ReportCache, refresher

HERE = Path(__file__).resolve().parent


def install(app: web.Application, service: Runtime) -> None:
    """Mount the dashboard as a sub-application with its own security middlewares."""
    dash = web.Application(middlewares=[security_headers, language, require_staff, office_guard])
    dash[DB_KEY] = service.db
    dash[SERVICE] = service
    dash[LIMITER] = LoginLimiter()
    dash[TRUSTED] = service.settings.trusted_proxies
    dash[REPORTS] = cache = ReportCache(service.db, lambda: service.holder.current, offices=service.offices)
    dash.cleanup_ctx.append(refresher(cache))
    aiohttp_jinja2.setup(
        dash,
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        context_processors=[context],
    )
    dash.router.add_static("/static", HERE / "static", name="static")
    add_routes(dash)
    app.add_subapp("/dashboard", dash)


def add_routes(app: web.Application) -> None:
    """Every dashboard page: the data pages (views) and the sign-in, content and try-the-bot pages."""
    app.router.add_get("/", overview.overview)
    app.router.add_get("/inbox", views.inbox)
    app.router.add_post("/inbox", views.inbox_mark)
    app.router.add_get("/inbox.csv", views.inbox_csv)
    conversations.add_routes(app)
    drafts.add_routes(app)
    app.router.add_get("/broadcasts", views.broadcasts)
    app.router.add_get("/subscribers", views.subscribers)
    app.router.add_get("/login", pages.login_form)
    app.router.add_post("/login", pages.login)
    app.router.add_post("/logout", pages.logout)
    app.router.add_get("/content", pages.content_health)
    app.router.add_get("/try", pages.try_bot)
    app.router.add_post("/try", pages.try_bot)
