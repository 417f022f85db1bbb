"""The platforms' POSTs (an answer, a button's acknowledgement) on a lean keep-alive HTTP/1.1 client.

Every answer is one small JSON POST to one host (the Bot API, the Graph API), and the reply is read
only for its status, a few headers and a short JSON body. aiohttp's `ClientSession.request` builds
for each of them a request object, a payload object, a timer context, header multidicts, a response
object with its stream reader and a connection handle: 0.2-0.3 ms of CPU a POST here, about what
the echo floor spends on a whole update (bench/RESULTS.md, issue 23). `Poster` writes the request in
one `transport.write` on a pooled connection and reads the reply in its protocol's `data_received`:
no task, no stream, one future and one timer a POST.

What it does: HTTP/1.1 keep-alive per origin (http or https, TLS by the default context), at most
`limit` requests at once (a request waits for a free slot within the connect timeout, as in
aiohttp's pool), replies framed by Content-Length, chunked or the connection's close; an idle
connection kept `keepalive` seconds. A POST is never sent twice: a connection that dies before its
reply raises `PostFailed` (the caller's retry decides), as aiohttp's ServerDisconnectedError did.
Errors: `TimeoutError` (no connection, or no complete reply, in time), `PostFailed` (an OSError:
refused, reset, closed, a reply that is not HTTP). No proxies, no redirects, no cookies, no
compression: the platforms' APIs need none (the aiohttp session it replaces used none either).
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

CONNECT_TIMEOUT = 5.0  # seconds to get a connection (a free slot, then a new connection if none is idle)
READ_TIMEOUT = 10.0  # seconds from the request written to its whole reply read
KEEPALIVE = 30.0  # seconds an idle connection is kept for the next request
HEAD_LIMIT = 65_536  # a reply's status line and headers longer than this are no platform's answer
_HEAD_END = b"\r\n\r\n"
URL_SAFE = "/:@!$&'()*+,;=%~?"  # characters a request target keeps as they are (RFC 3986's pchar and '%')


class PostFailed(ConnectionError):
    """No usable reply: the connection was refused, reset or closed, or the reply is not HTTP/1.x."""


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    headers: dict[str, str]  # names in lower case; a repeated header keeps its last value
    body: bytes


@dataclass(slots=True)
class _Origin:
    host: str
    port: int
    tls: ssl.SSLContext | None
    head: bytes  # the Host line and the client's fixed headers, written with every request
    idle: list[tuple[_Connection, float]]  # (connection, when it became idle), the newest last


class _Connection(asyncio.Protocol):
    """One keep-alive connection: a request is written, its reply parsed as it arrives."""

    __slots__ = ("_body_at", "_buffer", "_chunked", "_head", "_length", "closed", "keep", "transport", "waiter")

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.waiter: asyncio.Future[Reply] | None = None
        self.closed = False
        self.keep = False  # the finished reply leaves the connection usable for the next request
        self._buffer = bytearray()
        self._head: tuple[int, dict[str, str]] | None = None
        self._body_at = 0
        self._length: int | None = None  # the body's length; None: chunked or until the connection closes
        self._chunked = False

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if self.waiter is None or self.waiter.done():  # nothing was asked: no reply this client can read
            self.close()
            return
        self._buffer += data
        try:
            reply = self._parse()
        except (ValueError, IndexError) as exc:
            self._fail(PostFailed(f"not an HTTP reply: {exc}"))
            return
        if reply is not None:
            self.waiter.set_result(reply)

    def eof_received(self) -> bool:
        return False  # the transport closes itself; connection_lost settles the reply

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        waiter = self.waiter
        if waiter is None or waiter.done():
            return
        if self._head is not None and self._length is None and not self._chunked:  # framed by the close
            status, headers = self._head
            waiter.set_result(Reply(status, headers, bytes(self._buffer[self._body_at :])))
            return
        reason = f": {exc}" if exc is not None else ""
        waiter.set_exception(PostFailed(f"the connection closed before the reply{reason}"))

    # the client's side
    def send(self, request: bytes, loop: asyncio.AbstractEventLoop) -> asyncio.Future[Reply]:
        assert self.transport is not None
        self.waiter = waiter = loop.create_future()
        self.keep = False
        self._buffer.clear()
        self._head, self._body_at, self._length, self._chunked = None, 0, None, False
        self.transport.write(request)
        return waiter

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def _fail(self, exc: Exception) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(exc)
        self.close()

    def _parse(self) -> Reply | None:
        buffer = self._buffer
        while self._head is None:
            end = buffer.find(_HEAD_END)
            if end < 0:
                if len(buffer) > HEAD_LIMIT:
                    raise ValueError("headers too long")
                return None
            lines = buffer[:end].decode("latin-1").split("\r\n")
            version, status_text = lines[0].split(" ", 2)[:2]
            if not version.startswith("HTTP/1."):
                raise ValueError(f"status line {lines[0][:40]!r}")
            status = int(status_text)
            if 100 <= status < 200:  # 100 Continue and the like: the reply proper follows
                del buffer[: end + 4]
                continue
            headers: dict[str, str] = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            self._head, self._body_at = (status, headers), end + 4
            closing = headers.get("connection", "").lower()
            self.keep = closing == "keep-alive" if version == "HTTP/1.0" else closing != "close"
            if status in (204, 304):
                self._length = 0
            elif "chunked" in headers.get("transfer-encoding", "").lower():
                self._chunked = True
            elif "content-length" in headers:
                self._length = int(headers["content-length"])
                if self._length < 0:
                    raise ValueError("negative Content-Length")
            else:
                self.keep = False  # the body runs until the server closes the connection
        status, headers = self._head
        if self._chunked:
            body = _dechunk(buffer, self._body_at)
            if body is None:
                return None
            return Reply(status, headers, body)
        if self._length is None:
            return None  # connection_lost ends it
        end = self._body_at + self._length
        if len(buffer) < end:
            return None
        if len(buffer) > end:
            self.keep = False  # bytes beyond the reply: nothing this connection can be trusted with
        return Reply(status, headers, bytes(buffer[self._body_at : end]))


def _dechunk(buffer: bytearray, at: int) -> bytes | None:
    """A chunked body from `at` when it is complete (trailers skipped), else None."""
    parts: list[bytes] = []
    while True:
        line_end = buffer.find(b"\r\n", at)
        if line_end < 0:
            return None
        size = int(bytes(buffer[at:line_end]).split(b";", 1)[0].strip(), 16)
        at = line_end + 2
        if size == 0:
            if buffer.startswith(b"\r\n", at):  # no trailers
                return b"".join(parts)
            return b"".join(parts) if buffer.find(_HEAD_END, at - 2) >= 0 else None
        if len(buffer) < at + size + 2:
            return None
        parts.append(bytes(buffer[at : at + size]))
        at += size + 2


class Poster:
    """POSTs to a few origins over kept-alive connections (one per process, closed by its owner)."""

    def __init__(
        self,
        limit: int = 64,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        keepalive: float = KEEPALIVE,
        user_agent: str = "TanyaSehat",
        tls: ssl.SSLContext | None = None,
    ) -> None:
        """`tls`: the context for https origins (default: the system's trusted certificates, hostnames checked)."""
        self.limit, self.connect_timeout, self.read_timeout, self.keepalive = (
            limit, connect_timeout, read_timeout, keepalive,
        )  # fmt: skip
        self.user_agent = user_agent
        self._slots = asyncio.Semaphore(limit)
        self._origins: dict[tuple[str, str, int], _Origin] = {}
        self._targets: dict[str, tuple[_Origin, bytes]] = {}  # url -> (its origin, the request line's start)
        self._tls = tls
        self.closed = False
        self.connections = 0  # connections opened (tests, benchmarks)

    async def post(self, url: str, body: bytes, headers: Iterable[tuple[str, str]] = ()) -> Reply:
        """POST `body` (JSON) to `url`; the reply, whatever its status. Raises TimeoutError or PostFailed."""
        if self.closed:
            raise PostFailed("the poster is closed")
        origin, start = self._target(url)
        extra = ""
        for name, value in headers:
            line = f"{name}: {value}"
            if "\r" in line or "\n" in line:  # never written: it would be a header of its own
                raise PostFailed("a header with a line break")
            extra += line + "\r\n"
        try:
            lines = f"{extra}Content-Length: {len(body)}\r\n\r\n".encode("latin-1")
        except UnicodeEncodeError as exc:
            raise PostFailed(f"a header that is not Latin-1: {exc}") from exc
        request = b"".join((start, origin.head, lines, body))
        slots = self._slots
        if slots.locked():  # every slot busy: wait for one within the connect timeout, as aiohttp's pool does
            await asyncio.wait_for(slots.acquire(), self.connect_timeout)
        else:
            await slots.acquire()
        try:
            conn = self._idle(origin) or await self._connect(origin)
            loop = asyncio.get_running_loop()
            waiter = conn.send(request, loop)
            timer = loop.call_later(self.read_timeout, _expire, waiter)
            try:
                reply = await waiter
            except BaseException:  # timed out, failed or cancelled: the connection is in an unknown state
                conn.close()
                raise
            finally:
                timer.cancel()
            if conn.keep and not conn.closed and not self.closed:
                origin.idle.append((conn, time.monotonic()))
            else:
                conn.close()
            return reply
        finally:
            slots.release()

    def _target(self, url: str) -> tuple[_Origin, bytes]:
        found = self._targets.get(url)
        if found is not None:
            return found
        try:
            parts = urlsplit(url)
            explicit = parts.port
        except ValueError as exc:  # a port out of range, a bad IPv6 literal
            raise PostFailed(f"not a usable URL: {url[:60]!r}: {exc}") from exc
        if parts.scheme not in ("http", "https") or not parts.hostname or any(c in url for c in "\r\n "):
            raise PostFailed(f"not an http(s) URL: {url[:60]!r}")
        port = explicit or (443 if parts.scheme == "https" else 80)
        key = (parts.scheme, parts.hostname, port)
        origin = self._origins.get(key)
        if origin is None:
            default = (parts.scheme == "https" and port == 443) or (parts.scheme == "http" and port == 80)
            host = parts.hostname if default else f"{parts.hostname}:{port}"
            if ":" in parts.hostname:  # an IPv6 literal keeps its brackets in the Host header
                host = f"[{parts.hostname}]" if default else f"[{parts.hostname}]:{port}"
            head = (
                f"Host: {host}\r\nUser-Agent: {self.user_agent}\r\nAccept: */*\r\n"
                "Content-Type: application/json\r\nConnection: keep-alive\r\n"
            ).encode("latin-1")
            tls = self._tls_context() if parts.scheme == "https" else None
            origin = self._origins[key] = _Origin(parts.hostname, port, tls, head, [])
        path = quote(parts.path or "/", safe=URL_SAFE)  # ASCII as given, anything else %-encoded (as yarl did)
        if parts.query:
            path = f"{path}?{quote(parts.query, safe=URL_SAFE)}"
        found = self._targets[url] = (origin, f"POST {path} HTTP/1.1\r\n".encode("latin-1"))
        return found

    def _tls_context(self) -> ssl.SSLContext:
        if self._tls is None:
            self._tls = ssl.create_default_context()
        return self._tls

    def _idle(self, origin: _Origin) -> _Connection | None:
        """The newest idle connection still open and fresh (older ones are closed on the way)."""
        idle = origin.idle
        while idle:
            conn, since = idle.pop()
            fresh = time.monotonic() - since < self.keepalive
            if fresh and not conn.closed and conn.transport is not None and not conn.transport.is_closing():
                return conn
            conn.close()
        return None

    async def _connect(self, origin: _Origin) -> _Connection:
        loop = asyncio.get_running_loop()
        opening = loop.create_connection(
            _Connection, origin.host, origin.port, ssl=origin.tls, server_hostname=origin.host if origin.tls else None
        )
        try:
            _, conn = await asyncio.wait_for(opening, self.connect_timeout)
        except TimeoutError:
            raise
        except OSError as exc:
            raise PostFailed(f"cannot connect to {origin.host}:{origin.port}: {exc}") from exc
        self.connections += 1
        return conn

    async def close(self) -> None:
        """Close the idle connections; one in use closes when its request ends."""
        self.closed = True
        for origin in self._origins.values():
            while origin.idle:
                conn, _ = origin.idle.pop()
                conn.close()
        with contextlib.suppress(Exception):
            await asyncio.sleep(0)  # let the transports' close callbacks run


def _expire(waiter: asyncio.Future[Reply]) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError("no complete reply in time"))
