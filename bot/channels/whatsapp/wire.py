"""WhatsApp Cloud API wire format: webhook JSON -> Inbound/StatusUpdate, Reply -> message JSON.

Pure functions, no I/O: the limits below are Meta's, and every message built here fits them
(a longer button label is shortened, more than ten choices become a numbered text).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from bot.engine.types import Button, Inbound, Location, Reply

CHANNEL = "whatsapp"

TEXT_MAX = 4096  # a text message body
INTERACTIVE_BODY_MAX = 1024  # body of reply buttons and of a location request
LIST_BODY_MAX = 4096  # body of a list message
BUTTONS_MAX = 3
BUTTON_TITLE_MAX = 20
BUTTON_ID_MAX = 256
LIST_ROWS_MAX = 10
ROW_TITLE_MAX = 24
ROW_ID_MAX = 200
ROW_DESCRIPTION_MAX = 72
SECTION_TITLE_MAX = 24
LIST_BUTTON_MAX = 20
ID_MAX = 128  # our own limit on message ids (Meta's are about 60 characters)

# Message types a resident can send that carry nothing we can read; each gets the engine's
# "please type" answer. Anything not listed and not readable is treated the same way.
_READABLE = {"text", "interactive", "button", "location"}
_IGNORED = {"system", "request_welcome", "ephemeral"}  # not something the person said to us


@dataclass(frozen=True, slots=True)
class StatusUpdate:
    """A delivery status callback for a message we sent (sent, delivered, read, failed)."""

    message_id: str
    status: str
    user_key: str
    at: datetime
    error_code: int | None = None


@dataclass(frozen=True, slots=True)
class Labels:
    """Words the transport itself shows (the list's button, the prompt before extra choices)."""

    choose: str = "Pilih"
    section: str = "Pilihan"
    more: str = "Atau pilih:"


INDONESIAN = Labels()


def user_key(wa_id: str) -> str:
    return f"{CHANNEL}:{wa_id}"


def _is_wa_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= 32


def _is_message_id(value: str) -> bool:
    """Meta's ids are printable ASCII ("wamid.HBgM..."); anything else (a lone surrogate, say) cannot be stored."""
    return 0 < len(value) <= ID_MAX and value.isascii() and value.isprintable()


def wa_id_of(key: str) -> str:
    """The WhatsApp id (phone number) inside a user key; ValueError for another channel's key."""
    prefix = f"{CHANNEL}:"
    if not key.startswith(prefix) or not _is_wa_id(key[len(prefix) :]):
        raise ValueError(f"not a WhatsApp user key: {key[:24]!r}")
    return key[len(prefix) :]


# --- inbound ---------------------------------------------------------------------------------


def parse_webhook(data: Any, phone_number_id: str | None = None) -> tuple[list[Inbound], list[StatusUpdate]]:
    """Every user message and status callback in one webhook body; malformed parts are skipped.

    Meta retries a delivery until it gets 200, so a part we cannot read is dropped rather than
    failing the whole body. With `phone_number_id`, changes for other numbers of the app are ignored.
    """
    inbounds: list[Inbound] = []
    statuses: list[StatusUpdate] = []
    for value in _values(data):
        metadata = value.get("metadata")
        if (
            phone_number_id
            and isinstance(metadata, dict)
            and metadata.get("phone_number_id") not in (None, phone_number_id)
        ):
            continue
        for message in _dicts(value.get("messages")):
            inbound = parse_message(message)
            if inbound is not None:
                inbounds.append(inbound)
        for status in _dicts(value.get("statuses")):
            update = parse_status(status)
            if update is not None:
                statuses.append(update)
    return inbounds, statuses


def _values(data: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(data, dict) or data.get("object") != "whatsapp_business_account":
        return
    for entry in _dicts(data.get("entry")):
        for change in _dicts(entry.get("changes")):
            value = change.get("value")
            if change.get("field") == "messages" and isinstance(value, dict):
                yield value


def _dicts(items: Any) -> list[dict[str, Any]]:
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def parse_message(message: dict[str, Any]) -> Inbound | None:
    """One entry of `messages` -> Inbound; None when it is not a person's message or has no sender/id."""
    sender, message_id, kind = message.get("from"), message.get("id"), message.get("type")
    if not (isinstance(sender, str) and _is_wa_id(sender) and isinstance(message_id, str)):
        return None
    if not _is_message_id(message_id):
        return None
    if isinstance(kind, str) and kind in _IGNORED:  # a non-text "type" is an unknown kind, not a crash
        return None
    make = partial(
        Inbound, user_key=user_key(sender), channel=CHANNEL, at=_time(message.get("timestamp")), message_id=message_id
    )
    body = message.get(kind) if isinstance(kind, str) else None
    if kind == "text" and isinstance(body, dict) and isinstance(body.get("body"), str):
        return make(text=body["body"])
    if kind == "interactive" and isinstance(body, dict):
        chosen = body.get(body["type"]) if body.get("type") in ("button_reply", "list_reply") else None
        if isinstance(chosen, dict):
            payload = chosen.get("id")
            if isinstance(payload, str) and payload:
                return make(payload=payload)
    if kind == "button" and isinstance(body, dict):
        # A quick-reply button of a template: we set no payloads, so its text is what the person said.
        text = body.get("text")
        if isinstance(text, str) and text.strip():
            return make(text=text)
    if kind == "location" and isinstance(body, dict):
        point = _location(body)
        if point is not None:
            return make(location=point)
    return make(unsupported=kind if isinstance(kind, str) and kind not in _READABLE else "unreadable")


def _location(body: dict[str, Any]) -> Location | None:
    lat, lon = body.get("latitude"), body.get("longitude")
    if (
        isinstance(lat, bool)
        or isinstance(lon, bool)
        or not isinstance(lat, int | float)
        or not isinstance(lon, int | float)
    ):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return Location(float(lat), float(lon))


def parse_status(status: dict[str, Any]) -> StatusUpdate | None:
    message_id, state, recipient = status.get("id"), status.get("status"), status.get("recipient_id")
    if not (isinstance(message_id, str) and isinstance(state, str) and isinstance(recipient, str)):
        return None
    if not (_is_wa_id(recipient) and _is_message_id(message_id) and state):
        return None
    code = None
    errors = _dicts(status.get("errors"))
    if errors and isinstance(errors[0].get("code"), int) and not isinstance(errors[0]["code"], bool):
        code = errors[0]["code"]
    return StatusUpdate(message_id, state[:16], user_key(recipient), _time(status.get("timestamp")), code)


def _time(raw: Any) -> datetime:
    """Meta's timestamps are Unix seconds as strings; anything else means 'now'."""
    try:
        return datetime.fromtimestamp(int(raw), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return datetime.now(UTC)


# --- outbound --------------------------------------------------------------------------------


def split_text(text: str, limit: int = TEXT_MAX) -> list[str]:
    """Cut a long text into pieces of at most `limit`, at a paragraph, line or word when possible."""
    text = text.strip()
    pieces: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        cut = max(window.rfind("\n\n"), 0)
        if cut < limit // 2:
            cut = max(window.rfind("\n"), window.rfind(" "))
        if cut < limit // 2:
            cut = limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text or not pieces:
        pieces.append(text)
    return pieces


def shorten(label: str, limit: int) -> str:
    label = " ".join(label.split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def needs_labels(reply: Reply) -> bool:
    """Whether the rendering adds words of its own (a list's button, "or choose"): only then is the language needed."""
    if not reply.buttons:
        return False
    return reply.location_request or BUTTONS_MAX < len(reply.buttons) <= LIST_ROWS_MAX


def render(to: str, reply: Reply, labels: Labels = INDONESIAN) -> list[dict[str, Any]]:
    """One Reply -> the message bodies to POST, in order; all within WhatsApp's limits."""
    buttons = reply.buttons
    if buttons and any(not b.payload or len(b.payload) > ROW_ID_MAX for b in buttons):
        buttons = ()  # a payload WhatsApp cannot carry: the numbered text below still works typed
        reply = Reply(_numbered(reply.text, reply.buttons), (), reply.location_request)
    elif len(buttons) > LIST_ROWS_MAX:
        reply, buttons = Reply(_numbered(reply.text, buttons), (), reply.location_request), ()
    if reply.location_request:
        pieces, last = _lead(reply.text, INTERACTIVE_BODY_MAX)
        messages = [text_message(to, p) for p in pieces]
        messages.append(_interactive(to, "location_request_message", last, {"name": "send_location"}))
        if buttons:
            messages.append(_choices(to, labels.more, buttons, labels))
        return messages
    if buttons:
        limit = INTERACTIVE_BODY_MAX if len(buttons) <= BUTTONS_MAX else LIST_BODY_MAX
        pieces, last = _lead(reply.text, limit)
        return [*(text_message(to, p) for p in pieces), _choices(to, last, buttons, labels)]
    return [text_message(to, p) for p in split_text(reply.text) if p]  # an empty reply sends nothing


def _lead(text: str, limit: int) -> tuple[list[str], str]:
    """Plain texts to send first, and the closing part (whole paragraphs if possible) that fits the interactive body."""
    text = text.strip() or "…"
    if len(text) <= limit:
        return [], text
    start = len(text) - limit
    for separator in ("\n\n", "\n", " "):
        found = text.find(separator, start)
        if found != -1:
            cut = found + len(separator)
            break
    else:
        cut = start
    head, tail = text[:cut].strip(), text[cut:].strip()
    if not tail:  # only separators at the very end: cut hard
        head, tail = text[:start], text[start:]
    return split_text(head), tail


def _numbered(text: str, buttons: tuple[Button, ...]) -> str:
    # Typed numbers already work in the dialogue, so a numbered list is a real choice.
    return "\n".join([text, "", *(f"{i}. {b.label}" for i, b in enumerate(buttons, 1))])


def _choices(to: str, body: str, buttons: tuple[Button, ...], labels: Labels) -> dict[str, Any]:
    if len(buttons) <= BUTTONS_MAX:
        titles = _unique([shorten(b.label, BUTTON_TITLE_MAX) for b in buttons], BUTTON_TITLE_MAX)
        action: dict[str, Any] = {
            "buttons": [
                {"type": "reply", "reply": {"id": b.payload, "title": title}}
                for b, title in zip(buttons, titles, strict=True)
            ]
        }
        return _interactive(to, "button", body, action)
    rows: list[dict[str, str]] = []
    for button, title in zip(
        buttons, _unique([shorten(b.label, ROW_TITLE_MAX) for b in buttons], ROW_TITLE_MAX), strict=True
    ):
        row = {"id": button.payload, "title": title}
        if title != button.label:  # shortened: the whole label still shows underneath
            row["description"] = shorten(button.label, ROW_DESCRIPTION_MAX)
        rows.append(row)
    menu: dict[str, Any] = {
        "button": shorten(labels.choose, LIST_BUTTON_MAX),
        "sections": [{"title": shorten(labels.section, SECTION_TITLE_MAX), "rows": rows}],
    }
    return _interactive(to, "list", body, menu)


def _unique(titles: list[str], limit: int) -> list[str]:
    """WhatsApp refuses two buttons or rows with the same title: number the repeats."""
    seen: set[str] = set()
    out = []
    for title in titles:
        candidate, n = title, 2
        while candidate in seen:
            suffix = f" ({n})"
            candidate, n = shorten(title, limit - len(suffix)) + suffix, n + 1
        seen.add(candidate)
        out.append(candidate)
    return out


def _interactive(to: str, kind: str, body: str, action: dict[str, Any]) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "interactive",
        "interactive": {"type": kind, "body": {"text": body}, "action": action},
    }


def text_message(to: str, text: str) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": {"preview_url": False, "body": text},
    }


def template_message(to: str, name: str, language: str, params: list[str]) -> dict[str, Any]:
    """An approved template with its body parameters {{1}}, {{2}}, ... in order."""
    template: dict[str, Any] = {"name": name, "language": {"code": language}}
    if params:
        template["components"] = [{"type": "body", "parameters": [{"type": "text", "text": p} for p in params]}]
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": template,
    }
