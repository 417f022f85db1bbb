"""The office dashboard at /dashboard: server-rendered pages for staff, no build step."""

from __future__ import annotations

from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.runtime import Runtime
from bot.web.dashboard import pages
from bot.web.dashboard.auth import DB_KEY, LoginLimiter, require_staff, security_headers
from bot.web.dashboard.snapshot import ReportCache, refresher

HERE = Path(__file__).resolve().parent


def install(app: web.Application, service: Runtime) -> None:
    """Mount the dashboard as a sub-application with its own security middlewares."""
    dash = web.Application(middlewares=[security_headers, require_staff])
    dash[DB_KEY] = service.db
    dash[pages.SERVICE] = service
    dash[pages.LIMITER] = LoginLimiter()
    dash[pages.REPORTS] = cache = ReportCache(service.db, lambda: service.holder.current)
    dash.cleanup_ctx.append(refresher(cache))
    aiohttp_jinja2.setup(
        dash,
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        context_processors=[pages.context],
    )
    dash.router.add_static("/static", HERE / "static", name="static")
    pages.add_routes(dash)
    app.add_subapp("/dashboard", dash)
