"""A fake WhatsApp Cloud API (Graph API) on 127.0.0.1: the real request JSON, real-shaped answers and errors.

    async with FakeGraph() as graph:            # WHATSAPP_API_BASE_URL=graph.base_url
        ...
        graph.sent_to("6281234567890")          # accepted message bodies to that number, in order
        graph.fail("6281234567890", 131026)     # the next message to that number fails like Meta's
        graph.close_window("6281234567890")     # free-form messages to it now get 131047

`POST /{phone_number_id}/messages` checks the bearer token (401, code 190, otherwise),
validates the body as Meta does (text within 4096; reply buttons 1-3 with titles within 20
and ids within 256; a list with 1-10 rows, titles within 24, button text within 20...; a
location request; a template) and answers `{"messaging_product": "whatsapp", "contacts":
[...], "messages": [{"id": "wamid..."}]}`, or an `{"error": {...}}` with Meta's code.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

PHONE_NUMBER_ID = "106540352242922"
TOKEN = "EAAG-test-token"

# code -> (HTTP status, message, details) as the Graph API answers them
ERRORS: dict[int, tuple[int, str, str]] = {
    100: (400, "(#100) Invalid parameter", "Invalid parameter"),
    190: (401, "Invalid OAuth access token - Cannot parse access token", ""),
    131000: (500, "Something went wrong", "Message failed to send due to an unknown error."),
    131026: (400, "Message Undeliverable.", "Message Undeliverable."),
    131047: (
        400,
        "Re-engagement message",
        "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
    ),
    130429: (429, "(#130429) Rate limit hit", "Cloud API message throughput has been reached."),
}


class Invalid(ValueError):
    """A request Meta would refuse with code 100."""


@dataclass
class FakeGraph:
    token: str = TOKEN
    phone_number_id: str = PHONE_NUMBER_ID

    def __post_init__(self) -> None:
        self.requests: list[dict[str, Any]] = []  # every body posted, accepted or not
        self.accepted: list[dict[str, Any]] = []  # bodies that got a message id, in order
        self.refused: list[tuple[int, dict[str, Any]]] = []  # (error code, body)
        self._failures: dict[str, list[int]] = {}
        self._closed: set[str] = set()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._arrived: dict[str, asyncio.Event] = {}
        self.delay = 0.0  # seconds each answer takes, to show the webhook does not wait for us
        self.down: int | None = None  # every message answers this HTTP status (an outage) while set
        self.base_url = ""

    # --- test controls -------------------------------------------------------------------------

    def fail(self, to: str, *codes: int) -> None:
        """The next messages to `to` fail with these codes, one each, in order."""
        self._failures.setdefault(to, []).extend(codes)

    def close_window(self, to: str) -> None:
        """Meta's own view: more than 24 hours since `to` wrote, free-form messages get 131047."""
        self._closed.add(to)

    async def wait_for(self, to: str) -> None:
        """Until a message to `to` has been accepted (benchmarks measure up to this point)."""
        await self._event(to).wait()

    def _event(self, to: str) -> asyncio.Event:
        return self._arrived.setdefault(to, asyncio.Event())

    def sent_to(self, to: str) -> list[dict[str, Any]]:
        return [b for b in self.accepted if b.get("to") == to]

    def texts_to(self, to: str) -> list[str]:
        """What the person reads: the text or interactive body of each accepted message."""
        return [text_of(b) for b in self.sent_to(to)]

    # --- server --------------------------------------------------------------------------------

    async def __aenter__(self) -> FakeGraph:
        app = web.Application()
        app.router.add_post("/{version}/{phone_number_id}/messages", self._messages)  # /v21.0/...
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets
        self.base_url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/v21.0"
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def _app_path_ok(self, request: web.Request) -> bool:
        return request.match_info["phone_number_id"] == self.phone_number_id

    async def _messages(self, request: web.Request) -> web.Response:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.down is not None:
            return web.json_response({"error": {"message": "Service unavailable", "code": 2}}, status=self.down)
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return _error(190)
        if not self._app_path_ok(request):
            return _error(100, "Unsupported post request: unknown phone number id")
        try:
            body = json.loads(await request.read())
        except ValueError:
            return _error(100, "The request body is not JSON")
        self.requests.append(body)
        try:
            validate(body)
        except Invalid as exc:
            self.refused.append((100, body))
            return _error(100, str(exc))
        to = body["to"]
        queued = self._failures.get(to)
        if queued:
            code = queued.pop(0)
            self.refused.append((code, body))
            return _error(code)
        if to in self._closed and body["type"] != "template":
            self.refused.append((131047, body))
            return _error(131047)
        self.accepted.append(body)
        self._event(to).set()
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": f"wamid.HBgM{next(self._ids):010d}"}],
            }
        )


def _error(code: int, details: str | None = None) -> web.Response:
    status, message, default_details = ERRORS[code]
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEf123"}
    if code != 190:
        error["error_data"] = {"messaging_product": "whatsapp", "details": details or default_details}
    return web.json_response({"error": error}, status=status)


def text_of(body: dict[str, Any]) -> str:
    if body.get("type") == "text":
        return str(body["text"]["body"])
    if body.get("type") == "interactive":
        return str(body["interactive"]["body"]["text"])
    return f"[template {body.get('template', {}).get('name')}]"


def choices_of(body: dict[str, Any]) -> list[tuple[str, str]]:
    """(id, title) of every reply button or list row in a message; [] for other messages."""
    if body.get("type") != "interactive":
        return []
    action = body["interactive"].get("action", {})
    if "buttons" in action:
        return [(b["reply"]["id"], b["reply"]["title"]) for b in action["buttons"]]
    return [(r["id"], r["title"]) for s in action.get("sections", []) for r in s["rows"]]


# --- Meta's validation -----------------------------------------------------------------------


def _need(condition: bool, message: str) -> None:
    if not condition:
        raise Invalid(message)


def _text(value: Any, limit: int, what: str) -> None:
    _need(isinstance(value, str) and value.strip() != "", f"{what} is required")
    _need(len(value) <= limit, f"{what} is too long: {len(value)} > {limit}")


def validate(body: Any) -> None:
    """Refuse what the Cloud API refuses; raise Invalid with Meta-like wording."""
    _need(isinstance(body, dict), "body must be an object")
    _need(body.get("messaging_product") == "whatsapp", "messaging_product must be whatsapp")
    _need(isinstance(body.get("to"), str) and body["to"].isdigit(), "to must be a phone number")
    kind = body.get("type", "text")
    if kind == "text":
        _need(isinstance(body.get("text"), dict), "text object is required")
        _text(body["text"].get("body"), 4096, "text.body")
    elif kind == "interactive":
        _interactive(body.get("interactive"))
    elif kind == "template":
        template = body.get("template")
        _need(isinstance(template, dict), "template object is required")
        _need(isinstance(template.get("name"), str) and template["name"] != "", "template.name is required")
        language = template.get("language")
        _need(
            isinstance(language, dict) and isinstance(language.get("code"), str), "template.language.code is required"
        )
        for component in template.get("components", []):
            for parameter in component.get("parameters", []):
                _need(parameter.get("type") == "text", "only text parameters are used")
                value = parameter.get("text")
                _text(value, 1024, "template parameter")
                _need("\n" not in value and "\t" not in value and "     " not in value, "parameter has new lines")
    else:
        raise Invalid(f"message type {kind!r} is not used by this bot")


def _interactive(interactive: Any) -> None:
    _need(isinstance(interactive, dict), "interactive object is required")
    kind = interactive.get("type")
    body = interactive.get("body")
    _need(isinstance(body, dict), "interactive.body is required")
    action = interactive.get("action")
    _need(isinstance(action, dict), "interactive.action is required")
    if kind == "button":
        _text(body.get("text"), 1024, "body.text")
        buttons = action.get("buttons")
        _need(isinstance(buttons, list) and 1 <= len(buttons) <= 3, "buttons must be 1 to 3")
        for button in buttons:
            _need(button.get("type") == "reply", "button type must be reply")
            _text(button["reply"].get("id"), 256, "button id")
            _text(button["reply"].get("title"), 20, "button title")
        _unique([b["reply"]["id"] for b in buttons], "button ids")
        _unique([b["reply"]["title"] for b in buttons], "button titles")
    elif kind == "list":
        _text(body.get("text"), 4096, "body.text")
        _text(action.get("button"), 20, "action.button")
        sections = action.get("sections")
        _need(isinstance(sections, list) and 1 <= len(sections) <= 10, "sections must be 1 to 10")
        rows = [row for s in sections for row in s.get("rows", [])]
        _need(1 <= len(rows) <= 10, f"a list has 1 to 10 rows, got {len(rows)}")
        for section in sections:
            if len(sections) > 1 or "title" in section:
                _text(section.get("title"), 24, "section title")
        for row in rows:
            _text(row.get("id"), 200, "row id")
            _text(row.get("title"), 24, "row title")
            if "description" in row:
                _text(row["description"], 72, "row description")
        _unique([r["id"] for r in rows], "row ids")
    elif kind == "location_request_message":
        _text(body.get("text"), 1024, "body.text")
        _need(action.get("name") == "send_location", "action.name must be send_location")
    else:
        raise Invalid(f"interactive type {kind!r} is not used by this bot")


def _unique(values: Iterable[str], what: str) -> None:
    values = list(values)
    _need(len(values) == len(set(values)), f"{what} must be unique")


# --- what Meta posts to our webhook ----------------------------------------------------------

_inbound_ids = itertools.count(1)


def new_message_id() -> str:
    return f"wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBD{next(_inbound_ids):08d}"


def message(
    wa_id: str, kind: str, content: dict[str, Any], message_id: str | None = None, at: float | None = None
) -> dict[str, Any]:
    """One entry of `messages` as Meta sends it, e.g. message(n, "text", {"body": "halo"})."""
    return {
        "from": wa_id,
        "id": message_id or new_message_id(),
        "timestamp": str(int(at if at is not None else time.time())),
        "type": kind,
        kind: content,
    }


def text(wa_id: str, body: str, **kw: Any) -> dict[str, Any]:
    return message(wa_id, "text", {"body": body}, **kw)


def button_reply(wa_id: str, reply_id: str, title: str, **kw: Any) -> dict[str, Any]:
    return message(
        wa_id, "interactive", {"type": "button_reply", "button_reply": {"id": reply_id, "title": title}}, **kw
    )


def list_reply(wa_id: str, reply_id: str, title: str, **kw: Any) -> dict[str, Any]:
    return message(wa_id, "interactive", {"type": "list_reply", "list_reply": {"id": reply_id, "title": title}}, **kw)


def location(wa_id: str, lat: float, lon: float, **kw: Any) -> dict[str, Any]:
    return message(wa_id, "location", {"latitude": lat, "longitude": lon}, **kw)


def status(message_id: str, wa_id: str, state: str, error_code: int | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": message_id,
        "status": state,
        "timestamp": str(int(time.time())),
        "recipient_id": wa_id,
    }
    if error_code is not None:
        entry["errors"] = [{"code": error_code, "title": ERRORS.get(error_code, (0, "error", ""))[1]}]
    return entry


def webhook(
    messages: Iterable[dict[str, Any]] = (),
    statuses: Iterable[dict[str, Any]] = (),
    phone_number_id: str = PHONE_NUMBER_ID,
    name: str = "Ibu Sari",
) -> dict[str, Any]:
    """A whole webhook body: one entry, one change of field "messages"."""
    messages, statuses = list(messages), list(statuses)
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100000000", "phone_number_id": phone_number_id},
    }
    if messages:
        value["contacts"] = [{"profile": {"name": name}, "wa_id": m["from"]} for m in messages]
        value["messages"] = messages
    if statuses:
        value["statuses"] = statuses
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}],
    }


def sign(body: bytes, secret: str) -> str:
    """The X-Hub-Signature-256 header Meta sends with `body`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
