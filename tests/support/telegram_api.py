"""A fake Telegram Bot API on 127.0.0.1 that speaks the real JSON, records every call and enforces limits.

    async with FakeTelegram(global_per_second=30, per_chat_per_second=1) as tg:
        bot = Bot(tg.token, base_url=tg.base_url)       # or TELEGRAM_API_BASE_URL=tg.api_url
        ...
        tg.sent_to(42)          # texts sent to chat 42, in order
        tg.stats()              # sent per chat, 429s, duplicates, requests per method

Methods: getMe, setWebhook, deleteWebhook, getWebhookInfo, setMyCommands (per language_code), sendMessage,
editMessageText, answerCallbackQuery, getUpdates (offset/timeout long polling; 409 while a
webhook is set, as the real one). Requests come as JSON or as the form that
python-telegram-bot posts. Errors come as Telegram sends them: `{"ok": false, "error_code",
"description", "parameters": {"retry_after"}}` with the same HTTP status.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import re
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = {"id": 7000001, "is_bot": True, "first_name": "TanyaSehat", "username": "TanyaSehatBot"}
JSON_FIELDS = {"reply_markup", "commands", "allowed_updates", "entities", "link_preview_options", "scope"}
INT_FIELDS = {"offset", "limit", "timeout", "message_id", "max_connections"}
MAX_TEXT = 4096
MAX_CALLBACK = 64
BLOCKED = "Forbidden: bot was blocked by the user"


@dataclass(frozen=True, slots=True)
class Call:
    """One request the fake received: the method, its parameters (decoded), and when."""

    method: str
    params: dict[str, Any]
    at: float
    status: int


@dataclass
class _Failure:
    status: int
    description: str
    retry_after: int | None = None
    times: int | None = None  # None: every time


@dataclass
class Fault:
    """Every sendMessage (to `chats`, or to all) answers `status`, or hangs `hang` seconds first."""

    status: int = 500
    hang: float = 0.0  # then 504: the message was not delivered
    chats: frozenset[int] | None = None


@dataclass
class Limits:
    """Rate limits the fake enforces on sendMessage/editMessageText (None = no limit); 1-second windows."""

    global_per_second: float | None = None
    per_chat_per_second: float | None = None
    retry_after: int = 1  # what a 429 tells the client to wait


@dataclass
class FakeTelegram:
    token: str = "123456:TEST-token"
    limits: Limits = field(default_factory=Limits)
    clock: Callable[[], float] = time.monotonic  # the rate limits' one-second windows; tests may move it by hand

    def __post_init__(self) -> None:
        self.calls: list[Call] = []
        self.sent: list[dict[str, Any]] = []  # every accepted sendMessage, as posted
        self.sent_per_chat: Counter[int] = Counter()
        self.too_many: int = 0  # 429 answers given
        self.webhook: dict[str, Any] = {}
        self.commands: list[dict[str, Any]] = []
        self.commands_by_language: dict[str, list[dict[str, Any]]] = {}  # "" is the default list
        self.answered_callbacks: list[str] = []
        self.on_sent: Callable[[int, dict[str, Any]], None] | None = None  # called for every accepted sendMessage
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 100000
        self._next_message_id = 1
        self._failures: dict[int, _Failure] = {}
        self.fault: Fault | None = None  # an outage of sendMessage, set by outage()/hang()
        self._global_window: deque[float] = deque()
        self._chat_windows: dict[int, deque[float]] = {}
        self._seen_texts: Counter[tuple[int, str]] = Counter()
        self._tick = asyncio.Event()  # set and replaced after every request: wakes wait_until
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.port = 0

    # ---- lifecycle -------------------------------------------------------------------------
    async def start(self) -> FakeTelegram:
        app = web.Application(client_max_size=10 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        assert site._server is not None and site._server.sockets
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        self._closing = True
        self._notify()  # open long polls return now instead of holding the shutdown
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    @property
    def api_url(self) -> str:
        """For TELEGRAM_API_BASE_URL."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """For python-telegram-bot's Bot(base_url=...)."""
        return f"{self.api_url}/bot"

    # ---- steering --------------------------------------------------------------------------
    def block(self, chat_id: int) -> None:
        """The user of this chat blocked the bot: every send to it gets 403 from now on."""
        self._failures[chat_id] = _Failure(403, BLOCKED)

    def flood(self, chat_id: int, retry_after: int = 1, times: int | None = 1) -> None:
        """The next `times` sends to this chat get 429 with parameters.retry_after (None: always)."""
        self._failures[chat_id] = _Failure(429, f"Too Many Requests: retry after {retry_after}", retry_after, times)

    def fail(self, chat_id: int, status: int = 500, times: int | None = 1) -> None:
        """The next `times` sends to this chat get a server error (5xx: transient)."""
        self._failures[chat_id] = _Failure(status, "Internal Server Error", None, times)

    def outage(self, status: int = 500, chats: set[int] | None = None) -> None:
        """From now on every sendMessage (to these chats, or all) gets `status` until `recover()`."""
        self.fault = Fault(status=status, chats=None if chats is None else frozenset(chats))

    def hang(self, seconds: float, chats: set[int] | None = None) -> None:
        """From now on every sendMessage waits `seconds`, then 504 (not delivered), until `recover()`."""
        self.fault = Fault(status=504, hang=seconds, chats=None if chats is None else frozenset(chats))

    def recover(self) -> None:
        self.fault = None

    def heal(self, chat_id: int) -> None:
        self._failures.pop(chat_id, None)

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates (given an update_id if it has none); returns it."""
        if "update_id" not in update:
            update = {"update_id": self.next_update_id(), **update}
        self._updates.append(update)
        self._notify()
        return update

    def next_update_id(self) -> int:
        self._next_update_id += 1
        return self._next_update_id

    # ---- reading what happened -------------------------------------------------------------
    def calls_to(self, method: str) -> list[dict[str, Any]]:
        return [c.params for c in self.calls if c.method == method]

    def sent_to(self, chat_id: int) -> list[str]:
        """Texts accepted for this chat, in order."""
        return [m["text"] for m in self.sent if m["chat_id"] == chat_id]

    @property
    def duplicates(self) -> int:
        """Accepted sends whose (chat, text) had been accepted before."""
        return sum(n - 1 for n in self._seen_texts.values() if n > 1)

    def stats(self) -> dict[str, Any]:
        """The counters a benchmark reports."""
        return {
            "sent": len(self.sent),
            "chats": len(self.sent_per_chat),
            "too_many_requests": self.too_many,
            "duplicates": self.duplicates,
            "requests": dict(Counter(c.method for c in self.calls)),
            "limits": {
                "global_per_second": self.limits.global_per_second,
                "per_chat_per_second": self.limits.per_chat_per_second,
            },
        }

    async def wait_until(self, predicate: Callable[[], bool], within: float = 10.0) -> None:
        """Wait until predicate() holds (re-checked after every request); TimeoutError otherwise."""
        async with asyncio.timeout(within):
            while not predicate():
                await self._tick.wait()

    async def wait_sent(self, chat_id: int, count: int, within: float = 10.0) -> list[str]:
        """Wait until `count` messages reached this chat; returns their texts."""
        await self.wait_until(lambda: self.sent_per_chat[chat_id] >= count, within)
        return self.sent_to(chat_id)

    # ---- the API ---------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return self._error(request, 401, "Unauthorized", {})
        method = request.match_info["method"]
        params = await _params(request)
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            return self._error(request, 404, "Not Found: method not found", params)
        try:
            result = await handler(params)
        except _ApiError as exc:
            return self._error(request, exc.status, exc.description, params, exc.retry_after)
        self._record(method, params, 200)
        return web.json_response({"ok": True, "result": result})

    def _record(self, method: str, params: dict[str, Any], status: int) -> None:
        self.calls.append(Call(method, params, time.monotonic(), status))
        self._notify()

    def _notify(self) -> None:
        tick, self._tick = self._tick, asyncio.Event()
        tick.set()

    def _error(
        self,
        request: web.Request,
        status: int,
        description: str,
        params: dict[str, Any],
        retry_after: int | None = None,
    ) -> web.Response:
        self._record(request.match_info.get("method", "?"), params, status)
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
            self.too_many += 1
        return web.json_response(body, status=status)

    async def _m_getme(self, _: dict[str, Any]) -> Any:
        return {
            **BOT_USER,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _m_setwebhook(self, p: dict[str, Any]) -> Any:
        url = p.get("url", "")
        if url and not str(url).startswith(("https://", "http://")):
            raise _ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = {k: p[k] for k in ("url", "secret_token", "allowed_updates") if k in p} if url else {}
        return True

    async def _m_deletewebhook(self, _: dict[str, Any]) -> Any:
        self.webhook = {}
        return True

    async def _m_getwebhookinfo(self, _: dict[str, Any]) -> Any:
        return {"url": self.webhook.get("url", ""), "has_custom_certificate": False, "pending_update_count": 0}

    async def _m_setmycommands(self, p: dict[str, Any]) -> Any:
        commands = p.get("commands")
        if not isinstance(commands, list) or not all(
            isinstance(c, dict)
            and re.fullmatch(r"[a-z0-9_]{1,32}", c.get("command", ""))
            and 1 <= len(c.get("description", "")) <= 256
            for c in commands
        ):
            raise _ApiError(400, "Bad Request: BOT_COMMANDS_INVALID")
        language = p.get("language_code", "")
        if language and not re.fullmatch(r"[a-z]{2}", language):  # a two-letter ISO 639-1 code, or none
            raise _ApiError(400, "Bad Request: invalid language code specified")
        self.commands_by_language[language] = commands
        if not language:
            self.commands = commands  # the list for users whose language has none of its own
        return True

    async def _m_sendmessage(self, p: dict[str, Any]) -> Any:
        fault = self.fault
        if fault is not None and (fault.chats is None or _int(p.get("chat_id")) in fault.chats):
            if fault.hang:
                await asyncio.sleep(fault.hang)
            raise _ApiError(fault.status, "Internal Server Error" if fault.status < 504 else "Gateway Timeout")
        chat_id = self._check_send(p)
        self.sent.append(p)
        self.sent_per_chat[chat_id] += 1
        self._seen_texts[(chat_id, p["text"])] += 1
        if self.on_sent is not None:
            self.on_sent(chat_id, p)
        return self._message(chat_id, p)

    async def _m_editmessagetext(self, p: dict[str, Any]) -> Any:
        chat_id = self._check_send(p)
        return self._message(chat_id, p)

    async def _m_answercallbackquery(self, p: dict[str, Any]) -> Any:
        if not p.get("callback_query_id"):
            raise _ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        self.answered_callbacks.append(str(p["callback_query_id"]))
        return True

    async def _m_getupdates(self, p: dict[str, Any]) -> Any:
        if self.webhook.get("url"):
            raise _ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
            )
        offset = int(p.get("offset") or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]  # confirmed ones are gone
        timeout = float(p.get("timeout") or 0)
        limit = int(p.get("limit") or 100)

        def pending() -> list[dict[str, Any]]:
            return [u for u in self._updates if u["update_id"] >= offset][:limit]

        if not pending() and timeout > 0:
            with contextlib.suppress(TimeoutError):
                await self.wait_until(lambda: bool(pending()) or self._closing, timeout)
        return pending()

    # ---- helpers ---------------------------------------------------------------------------
    def _check_send(self, p: dict[str, Any]) -> int:
        """Validate a send like Telegram does, then apply steered failures and the rate limits."""
        try:
            chat_id = int(p["chat_id"])
        except (KeyError, TypeError, ValueError) as exc:
            raise _ApiError(400, "Bad Request: chat_id is empty") from exc
        text = p.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        if p.get("parse_mode") == "HTML":
            _check_html(text)
            text = _unescape(text)
        if len(text.encode("utf-16-le")) // 2 > MAX_TEXT:
            raise _ApiError(400, "Bad Request: message is too long")
        for row in (p.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if len(str(button.get("callback_data", "")).encode()) > MAX_CALLBACK:
                    raise _ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        failure = self._failures.get(chat_id)
        if failure is not None:
            if failure.times is not None:
                failure.times -= 1
                if failure.times <= 0:
                    del self._failures[chat_id]
            raise _ApiError(failure.status, failure.description, failure.retry_after)
        self._rate_limit(chat_id)
        return chat_id

    def _rate_limit(self, chat_id: int) -> None:
        now = self.clock()
        limits = self.limits
        windows = [(self._global_window, limits.global_per_second)]
        if limits.per_chat_per_second is not None:
            windows.append((self._chat_windows.setdefault(chat_id, deque()), limits.per_chat_per_second))
        for window, limit in windows:
            if limit is None:
                continue
            while window and now - window[0] >= 1.0:
                window.popleft()
            if len(window) >= limit:
                raise _ApiError(429, f"Too Many Requests: retry after {limits.retry_after}", limits.retry_after)
        for window, limit in windows:
            if limit is not None:
                window.append(now)

    def _message(self, chat_id: int, p: dict[str, Any]) -> dict[str, Any]:
        self._next_message_id += 1
        message: dict[str, Any] = {
            "message_id": p.get("message_id") or self._next_message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": BOT_USER,
            "text": _unescape(p["text"]) if p.get("parse_mode") == "HTML" else p["text"],
        }
        if isinstance(p.get("reply_markup"), dict) and "inline_keyboard" in p["reply_markup"]:
            message["reply_markup"] = p["reply_markup"]
        return message


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class _ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after


async def _params(request: web.Request) -> dict[str, Any]:
    """Parameters from a query string, a JSON body or a form (python-telegram-bot JSON-encodes objects)."""
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as exc:
            raise web.HTTPBadRequest(text="bad JSON") from exc
        if isinstance(body, dict):
            params.update(body)
        return params
    if request.can_read_body:
        form = await request.post()
        for key, value in form.items():
            if not isinstance(value, str):
                continue
            if key in JSON_FIELDS:
                try:
                    params[key] = json.loads(value)
                except ValueError:
                    params[key] = value
            elif key in INT_FIELDS or key == "chat_id":
                params[key] = int(value) if value.lstrip("-").isdigit() else value
            else:
                params[key] = value
    return params


_ALLOWED_TAGS = (
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "blockquote",
)


def _check_html(text: str) -> None:
    """Telegram refuses HTML with a bare '<' or '&' that is not an entity or a supported tag."""
    i = 0
    while i < len(text):
        char = text[i]
        if char == "<":
            end = text.find(">", i)
            tag = text[i + 1 : end].strip("/").split(" ")[0] if end > 0 else ""
            if tag not in _ALLOWED_TAGS:
                raise _ApiError(
                    400, f'Bad Request: can\'t parse entities: Unsupported start tag "{tag}" at byte offset {i}'
                )
            i = end + 1
            continue
        if char == "&":
            end = text.find(";", i)
            if end < 0 or text[i : end + 1] not in ("&lt;", "&gt;", "&amp;", "&quot;"):
                raise _ApiError(400, f"Bad Request: can't parse entities: Unsupported entity at byte offset {i}")
        i += 1


def _unescape(text: str) -> str:
    """The text as the user sees it (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"</?[a-z-]+[^>]*>", "", text))


# ---- update builders: what Telegram would post ---------------------------------------------------

_clock = iter(range(1_700_000_000, 2_000_000_000))


def user(chat_id: int, language_code: str | None = "id") -> dict[str, Any]:
    out: dict[str, Any] = {"id": abs(chat_id), "is_bot": False, "first_name": "Warga"}
    if language_code:
        out["language_code"] = language_code
    return out


def chat(chat_id: int) -> dict[str, Any]:
    if chat_id < 0:
        return {"id": chat_id, "type": "supergroup", "title": "Grup Kader"}
    return {"id": chat_id, "type": "private", "first_name": "Warga"}


def message(
    chat_id: int, message_id: int | None = None, language_code: str | None = "id", **content: Any
) -> dict[str, Any]:
    return {
        "message_id": message_id or next(_clock) % 1_000_000,
        "date": next(_clock),
        "chat": chat(chat_id),
        "from": user(chat_id, language_code),
        **content,
    }


def text_update(update_id: int, chat_id: int, text: str, language_code: str | None = "id") -> dict[str, Any]:
    return {"update_id": update_id, "message": message(chat_id, language_code=language_code, text=text)}


def location_update(update_id: int, chat_id: int, lat: float, lon: float) -> dict[str, Any]:
    return {"update_id": update_id, "message": message(chat_id, location={"latitude": lat, "longitude": lon})}


def callback_update(update_id: int, chat_id: int, data: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cq{update_id}",
            "from": user(chat_id),
            "chat_instance": f"ci{chat_id}",
            "message": message(chat_id, text="(pesan bot)") | {"from": BOT_USER},
            "data": data,
        },
    }


def blocked_update(update_id: int, chat_id: int) -> dict[str, Any]:
    """The notice Telegram sends when the user blocks the bot (my_chat_member: member -> kicked)."""
    member = {
        "chat": chat(chat_id),
        "from": user(chat_id, language_code=None),
        "date": 1_900_000_000,
        "old_chat_member": {"user": BOT_USER, "status": "member"},
        "new_chat_member": {"user": BOT_USER, "status": "kicked", "until_date": 0},
    }
    return {"update_id": update_id, "my_chat_member": member}
