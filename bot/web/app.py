"""The bare aiohttp app for `serve`: /healthz here; channels and the dashboard add their own routes."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from bot.runtime import Runtime
from bot.storage.queue_state import queue_state

log = logging.getLogger(__name__)

RUNTIME: web.AppKey[Runtime] = web.AppKey("runtime", Runtime)
FAVICON = Path(__file__).resolve().parent / "dashboard" / "static" / "favicon.ico"
MAX_BODY = 1024 * 1024  # webhooks are small; anything bigger is refused before it is read


async def healthz(request: web.Request) -> web.Response:
    """200 with content version, database and queue state; 503 when the database is down."""
    runtime = request.app[RUNTIME]
    holder, writer = runtime.holder, runtime.querylog.writer
    db_ok = await runtime.db.ping()
    body: dict[str, object] = {
        "status": "ok" if db_ok else "degraded",
        "content_version": holder.current.version,
        "content_reloaded_at": holder.last_reload.isoformat(),
        "content_error": [str(p) for p in holder.last_error[:5]],
        "database": "ok" if db_ok else "unavailable",
        "queue": await _queue(runtime) if db_ok else "unavailable",
        # Query-log rows waiting in this process's memory for the database (dropped: lost to a long outage).
        "query_log": {"pending": writer.pending, "dropped": writer.dropped},
        "process": _memory(),
    }
    if holder.offices.multi:  # several offices: each pack's version, by region code
        body["offices"] = {c.office.region_code: c.version for c in holder.offices.contents}
    return web.json_response(body, status=200 if db_ok else 503)


async def _queue(runtime: Runtime) -> dict[str, object] | str:
    """Outbound deliveries not finished yet (reminders, broadcasts), across every worker process."""
    try:
        state = await queue_state(runtime.db, datetime.now(UTC))
    except (SQLAlchemyError, OSError) as exc:
        log.warning("healthz: queue state unavailable: %s", exc)
        return "unavailable"
    age = None if state.oldest_pending_age_s is None else round(state.oldest_pending_age_s, 1)
    return {"pending": state.pending, "claimed": state.claimed, "oldest_pending_age_s": age}


def _memory() -> dict[str, object]:
    """This process's resident memory, and the Python objects' share of it (memory blocks in use):
    watching both over days tells a leak (blocks grow) from the allocator keeping freed pages."""
    rss_mb = None
    with contextlib.suppress(OSError, ValueError, IndexError), open("/proc/self/statm") as statm:  # Linux only
        rss_mb = round(int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)
    return {"rss_mb": rss_mb, "python_blocks": sys.getallocatedblocks()}


async def favicon(_request: web.Request) -> web.StreamResponse:
    """Browsers ask every site for /favicon.ico; the dashboard's icon, cached for a day."""
    return web.FileResponse(FAVICON, headers={"Content-Type": "image/x-icon", "Cache-Control": "max-age=86400"})


def create_app(runtime: Runtime) -> web.Application:
    """The bare app with /healthz. Channels add their routes with install(); the runtime watches the content."""
    app = web.Application(client_max_size=MAX_BODY)
    app[RUNTIME] = runtime
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/favicon.ico", favicon)
    return app
