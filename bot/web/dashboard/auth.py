"""Dashboard security: staff sessions, CSRF on every form, rate-limited logins.

Loud and early, like Home Assistant's webhook checks: a request without a valid
session is turned away before any page code runs.
"""

from __future__ import annotations

import ipaddress
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.config import IPNetwork
from bot.storage import staff
from bot.storage.db import Database

COOKIE = "ts_session"
LOGIN_CSRF_COOKIE = "ts_login_csrf"
PUBLIC = {"/dashboard/login", "/dashboard/static/style.css"}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
DB_KEY: web.AppKey[Database] = web.AppKey("dashboard_db", Database)
STAFF: web.RequestKey[staff.Session] = web.RequestKey("staff", staff.Session)
TRUSTED: web.AppKey[tuple[IPNetwork, ...]] = web.AppKey("dashboard_trusted_proxies", tuple)


class LoginLimiter:
    """At most `attempts` failed logins per IP and per username within `window` seconds."""

    def __init__(self, attempts: int = 5, window: float = 900.0) -> None:
        self.attempts, self.window = attempts, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures[key]
        while failures and failures[0] < now - self.window:
            failures.popleft()
        return failures

    def blocked(self, ip: str, username: str) -> bool:
        now = time.monotonic()
        return any(len(self._recent(k, now)) >= self.attempts for k in (f"ip:{ip}", f"user:{username.lower()}"))

    def failed(self, ip: str, username: str) -> None:
        now = time.monotonic()
        for key in (f"ip:{ip}", f"user:{username.lower()}"):
            self._recent(key, now).append(now)

    def succeeded(self, username: str) -> None:
        self._failures.pop(f"user:{username.lower()}", None)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def from_proxy(request: web.Request) -> bool:
    """The peer is one of TRUSTED_PROXIES, so its X-Forwarded-* headers are believed."""
    peer = _address(request.remote or "")
    return peer is not None and any(peer in network for network in request.app[TRUSTED])


def client_ip(request: web.Request) -> str:
    """The address the login limit counts: the peer, or behind a trusted proxy the hop before it.

    X-Forwarded-For is read right to left, skipping the trusted proxies themselves; anything a
    client wrote to the left of the first untrusted hop is its own claim and is not believed.
    """
    peer = request.remote or "?"
    if not from_proxy(request):
        return peer
    for hop in reversed(request.headers.get("X-Forwarded-For", "").split(",")):
        address = _address(hop)
        if address is None:
            return peer  # a garbled chain: count the proxy's own address rather than guess
        if not any(address in network for network in request.app[TRUSTED]):
            return str(address)
    return peer


def set_cookie(request: web.Request, response: web.StreamResponse, name: str, value: str, max_age: int) -> None:
    secure = request.secure or (from_proxy(request) and request.headers.get("X-Forwarded-Proto") == "https")
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite="Strict", secure=secure, path="/dashboard"
    )


@web.middleware
async def require_staff(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every dashboard page needs a live staff session; every POST also needs the session's CSRF token."""
    if request.path in PUBLIC:
        return await handler(request)
    session = await staff.find_session(request.app[DB_KEY], request.cookies.get(COOKIE, ""))
    if session is None:
        if request.method == "GET":
            raise web.HTTPFound("/dashboard/login")
        raise web.HTTPForbidden(text="login required")
    if request.method == "POST":
        form = await request.post()
        sent = str(form.get("csrf_token", ""))
        if not sent or not secrets.compare_digest(sent, session.csrf_token):
            raise web.HTTPForbidden(text="invalid CSRF token")
    request[STAFF] = session
    return await handler(request)


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Cache-Control", "no-store")
    return response
