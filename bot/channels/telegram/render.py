"""Reply -> sendMessage parameters: HTML-escaped text split at Telegram's limit, keyboards for buttons."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from telegram.constants import InlineKeyboardButtonLimit, MessageLimit, ParseMode

from bot.engine.types import Reply

MAX_TEXT = int(MessageLimit.MAX_TEXT_LENGTH)  # 4096, counted after entity parsing (UTF-16 units)
MAX_CALLBACK = int(InlineKeyboardButtonLimit.MAX_CALLBACK_DATA)  # 64 bytes
# A payload longer than Telegram allows travels as the button's number; the engine reads a typed
# number as pressing that button of the last message (dialogue._typed_choice), so nothing is lost.
INDEX_PREFIX = "#"
LOCATION_LABEL = "📍 Kirim lokasi saya"

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One sendMessage call: HTML text and an optional keyboard."""

    text: str
    reply_markup: Markup | None = None
    parse_mode: str = ParseMode.HTML
    markup_json: dict[str, Any] | None = None  # the keyboard as the Bot API's JSON (`render(..., as_json=True)`)


def render(reply: Reply, location_label: str = LOCATION_LABEL, as_json: bool = False) -> list[Outgoing]:
    """One reply as one or more messages; the keyboard rides on the last one, where the user looks. `as_json`:
    the keyboard as the JSON PTB's `to_dict()` gives (`markup_json`), without PTB's objects (the direct path)."""
    chunks = split_text(reply.text) or [""]
    out = [Outgoing(html.escape(chunk, quote=False)) for chunk in chunks]
    if as_json:
        out[-1] = Outgoing(out[-1].text, markup_json=keyboard_json(reply, location_label))
    else:
        out[-1] = Outgoing(out[-1].text, keyboard(reply, location_label))
    return out


def keyboard(reply: Reply, location_label: str = LOCATION_LABEL) -> Markup | None:
    """`keyboard_json` as PTB's objects, for the path through PTB's Bot (their `to_dict()` is that JSON)."""
    data = keyboard_json(reply, location_label)
    if data is None:
        return None
    if "inline_keyboard" in data:
        return InlineKeyboardMarkup([[InlineKeyboardButton(**b) for b in row] for row in data["inline_keyboard"]])
    # Built here, not by `de_json`: PTB 22's ReplyKeyboardMarkup.de_json keeps each button a dict.
    rows = [[KeyboardButton(**b) for b in row] for row in data["keyboard"]]
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, one_time_keyboard=True)


def keyboard_json(reply: Reply, location_label: str = LOCATION_LABEL) -> dict[str, Any] | None:
    """Buttons as the Bot API's inline keyboard; with a location request, one reply keyboard holding both.

    Plain dicts, keys in PTB's `to_dict()` order (the same JSON text either path posts): PTB's objects and
    their `to_dict` were a tenth of a Telegram answer's CPU (round 13, issue 23)."""
    if reply.location_request:
        # A message carries one keyboard. Telegram sends a reply-keyboard button as its label,
        # which the engine maps back to that button's payload.
        rows: list[list[dict[str, Any]]] = [[{"request_location": True, "text": location_label}]]
        rows += [[{"text": b.label}] for b in reply.buttons]
        return {"keyboard": rows, "one_time_keyboard": True, "resize_keyboard": True}
    if not reply.buttons:
        return None
    return {
        "inline_keyboard": [
            [{"callback_data": callback_data(b.payload, i), "text": b.label}] for i, b in enumerate(reply.buttons, 1)
        ]
    }


def callback_data(payload: str, number: int) -> str:
    """The payload itself when it fits in 64 bytes, else the button's number ('#3')."""
    if len(payload.encode("utf-8")) <= MAX_CALLBACK and not payload.startswith(INDEX_PREFIX):
        return payload
    return f"{INDEX_PREFIX}{number}"


def utf16_len(text: str) -> int:
    """Telegram counts text length in UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split on paragraph boundaries, then lines, then words; hard cuts only for a giant word."""
    text = text.strip()
    if not text:
        return []
    if utf16_len(text) <= limit:
        return [text]
    for sep in ("\n\n", "\n", " "):
        parts = text.split(sep)
        if len(parts) > 1:
            return _pack(parts, sep, limit)
    return _hard_cut(text, limit)


def _pack(parts: list[str], sep: str, limit: int) -> list[str]:
    """Greedily join parts with sep into chunks within the limit; oversized parts split further."""
    chunks: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current}{sep}{part}" if current else part
        if utf16_len(candidate) <= limit:
            current = candidate
            continue
        if current.strip():
            chunks.append(current.strip())
        if utf16_len(part) <= limit:
            current = part
        else:
            pieces = split_text(part, limit)
            chunks.extend(pieces[:-1])
            current = pieces[-1] if pieces else ""
    if current.strip():
        chunks.append(current.strip())
    return chunks


def _hard_cut(text: str, limit: int) -> list[str]:
    chunks: list[str] = []
    start = used = 0
    for i, char in enumerate(text):
        size = 2 if ord(char) > 0xFFFF else 1
        if used + size > limit:
            chunks.append(text[start:i])
            start, used = i, 0
        used += size
    chunks.append(text[start:])
    return chunks
