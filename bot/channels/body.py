"""Reading a webhook's body: anything the client sent that cannot be read is the client's error (4xx)."""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.http_exceptions import BadHttpMessage
from aiohttp.web_protocol import RequestPayloadError

log = logging.getLogger(__name__)


async def read_body(request: web.Request) -> bytes | web.Response:
    """The raw body, or the 4xx to answer: a corrupt gzip/deflate body or a broken upload is 400,
    a body over the server's limit 413 (aiohttp's own HTTPException, passed through)."""
    try:
        return await request.read()
    except web.HTTPException:
        raise
    except (RequestPayloadError, BadHttpMessage, ValueError, EOFError, OSError) as exc:
        log.warning("%s: unreadable request body (%s)", request.path, type(exc).__name__)
        return web.Response(status=400, text="unreadable body")
