"""python-telegram-bot's HTTP calls over an aiohttp session: its types and API coverage, aiohttp's speed.

PTB sends through a `BaseRequest`; its default, `HTTPXRequest`, costs about 2.3-2.5 ms of CPU
per sendMessage here (httpx, httpcore, h11 and anyio; httpcore's pool scan grows with the pool),
against about 0.3-0.4 ms for a POST on a pooled aiohttp session (bench/telegram_send.py). This
class hands PTB's requests to one aiohttp `ClientSession` that the composition root owns and
shares with the rest of the process, so an answer costs what the echo floor's POST costs, while
`Bot.send_message`, its types, its errors (RetryAfter, Forbidden...) and polling stay PTB's.

The wire format is HTTPXRequest's: parameters form-encoded as PTB encodes them (JSON for the
nested ones), multipart when a file is uploaded. PTB turns the status and body into its errors.

`post_json` is the answers' own way out (send.py): one JSON POST, the Bot API's reply read as status
and JSON. It skips what `Bot.send_message` adds around the request and does not need here (its
parameter objects, and the returned Message parsed into PTB objects: 0.3-0.4 ms of the 0.6 ms an
answer cost through PTB on this path, bench/RESULTS.md, issue 23); given the runtime's `Poster`
(channels/http_post.py) it goes over that lean client instead of the session (a third of the CPU).
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.channels.http_post import Poster

USER_AGENT = BaseRequest.USER_AGENT
CONNECT_TIMEOUT = 5.0  # seconds to get a connection (from the pool, or a new one)
READ_TIMEOUT = 10.0  # seconds to wait for Telegram's answer
OK_PREFIX = (b'{"ok":true,', b'{"ok": true,')  # how a successful reply begins (the Bot API's, JSON's default)


def session(limit: int = 64) -> aiohttp.ClientSession:
    """A pooled keep-alive session for the Bot API (one per process; the runtime closes it)."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=limit, keepalive_timeout=60, ttl_dns_cache=300),
        headers={"User-Agent": USER_AGENT},
        # PTB reads the body itself; aiohttp must not raise on 4xx/5xx or time out on its own.
        raise_for_status=False,
        timeout=aiohttp.ClientTimeout(total=None),
    )


class AiohttpRequest(BaseRequest):
    """A `BaseRequest` on a shared `aiohttp.ClientSession` (not closed here: its owner closes it)."""

    __slots__ = ("_connect_timeout", "_poster", "_read_timeout", "_session")

    def __init__(
        self,
        http: aiohttp.ClientSession,
        read_timeout: float | None = READ_TIMEOUT,
        connect_timeout: float | None = CONNECT_TIMEOUT,
        poster: Poster | None = None,
    ) -> None:
        """`poster`: the runtime's lean client, for `post_json` (its owner closes it, as the session's)."""
        self._session = http
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._poster = poster

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to open: the session is the runtime's."""

    async def shutdown(self) -> None:
        """Nothing to close: the session outlives the bot (the runtime closes it last)."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One HTTP request; PTB maps the status and body to its result or its errors."""
        if self._session.closed:
            raise RuntimeError("the aiohttp session of this AiohttpRequest is closed")
        read = self._read_timeout if read_timeout is BaseRequest.DEFAULT_NONE else read_timeout
        connect = self._connect_timeout if connect_timeout is BaseRequest.DEFAULT_NONE else connect_timeout
        if pool_timeout is not BaseRequest.DEFAULT_NONE and pool_timeout is not None and connect is not None:
            connect = max(connect, pool_timeout)  # aiohttp's connect timeout includes waiting for the pool
        timeout = aiohttp.ClientTimeout(total=None, connect=connect, sock_read=read)
        data: Any = None
        if request_data is not None:
            data = _multipart(request_data) if request_data.contains_files else request_data.json_parameters
        try:
            async with self._session.request(method, url, data=data, timeout=timeout) as response:
                return response.status, await response.read()
        except TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{exc.__class__.__name__}: {exc}") from exc

    async def post_json(self, url: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """POST `body` as JSON; (HTTP status, the Bot API's JSON reply, only `{"ok": True}` of a success).
        Raises NetworkError or TimedOut."""
        if self._poster is not None:
            try:
                reply = await self._poster.post(url, json.dumps(body).encode())
            except TimeoutError as exc:
                raise TimedOut from exc
            except OSError as exc:  # PostFailed: refused, reset, closed, not HTTP
                raise NetworkError(f"{exc.__class__.__name__}: {exc}") from exc
            status, raw = reply.status, reply.body
        else:
            timeout = aiohttp.ClientTimeout(total=None, connect=self._connect_timeout, sock_read=self._read_timeout)
            try:
                async with self._session.post(url, json=body, timeout=timeout) as response:
                    status, raw = response.status, await response.read()
            except TimeoutError as exc:
                raise TimedOut from exc
            except aiohttp.ClientError as exc:
                raise NetworkError(f"aiohttp.{exc.__class__.__name__}: {exc}") from exc
        if status == 200 and raw.startswith(OK_PREFIX):
            return status, {"ok": True}  # the sent message's JSON is not needed: not decoded
        try:
            answer = json.loads(raw)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise NetworkError(f"the Bot API answered {status} with no JSON")
        return status, answer


def _multipart(request_data: RequestData) -> aiohttp.FormData:
    """The form with the files PTB gathered (name -> (filename, content, mime type)) and the other fields."""
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, part in request_data.multipart_data.items():
        filename, content, mime = part[0], part[1], part[2] if len(part) > 2 else None
        form.add_field(name, content, filename=filename, content_type=mime)
    return form
