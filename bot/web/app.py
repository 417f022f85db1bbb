"""Builds the aiohttp app for `serve`: each channel adds its own routes; /healthz is here."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from aiohttp import web

from bot.service import BotService

log = logging.getLogger(__name__)

SERVICE: web.AppKey[BotService] = web.AppKey("service", BotService)
MAX_BODY = 1024 * 1024  # webhooks are small; anything bigger is refused before it is read


async def healthz(request: web.Request) -> web.Response:
    """200 with content version and database status; 503 when the database is down."""
    service = request.app[SERVICE]
    db_ok = await service.db.ping()
    body = {
        "status": "ok" if db_ok else "degraded",
        "content_version": service.holder.current.version,
        "content_reloaded_at": service.holder.last_reload.isoformat(),
        "content_error": [str(p) for p in service.holder.last_error[:5]],
        "database": "ok" if db_ok else "unavailable",
    }
    return web.json_response(body, status=200 if db_ok else 503)


def create_app(service: BotService) -> web.Application:
    """The bare app: /healthz and the content watcher. Channels add their routes with install()."""
    app = web.Application(client_max_size=MAX_BODY)
    app[SERVICE] = service
    app.router.add_get("/healthz", healthz)
    app.cleanup_ctx.append(_content_watcher(service))
    return app


def _content_watcher(service: BotService) -> Callable[[web.Application], contextlib.AbstractAsyncContextManager[None]]:
    @contextlib.asynccontextmanager
    async def watch(_app: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(service.holder.watch())
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return watch
