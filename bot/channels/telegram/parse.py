"""A Telegram update (its JSON, as a dict) -> Inbound: what the user did, in the engine's terms; nothing here
decides an answer.

Read straight from the JSON: the channel needs a dozen fields, and building PTB's objects for the whole
update (`Update.de_json`) cost more than the rest of the parse (bench/RESULTS.md, issue 23). Nothing in
an update is trusted: a field of the wrong type is read as absent, and a text or button that is not a
string is a message we cannot read. Polling keeps PTB's types up to `getUpdates`; what it stores is the
same JSON (`Update.to_dict()`), read here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.engine.types import Inbound, Location

CHANNEL = "telegram"
# Kinds of message we cannot read; the engine answers them with "please type your question".
UNSUPPORTED_KINDS = (
    "photo",
    "voice",
    "audio",
    "video",
    "video_note",
    "sticker",
    "animation",
    "document",
    "contact",  # a phone number we must not keep: ask for text instead
    "poll",
    "dice",
    "game",
    "story",
    "paid_media",
)
GROUPS = ("group", "supergroup")
KICKED = "kicked"  # ChatMember.BANNED: the user blocked the bot


@dataclass(frozen=True, slots=True)
class Parsed:
    """What one update means for the channel: an inbound to answer and/or a side effect."""

    chat_id: int | None = None
    inbound: Inbound | None = None
    callback_query_id: str | None = None  # answerCallbackQuery stops the button's spinner
    blocked: bool = False  # the user blocked the bot (my_chat_member 'kicked')


def user_key(chat_id: int) -> str:
    """The engine's user key: replies go to the chat, so the chat is who we talk to."""
    return f"{CHANNEL}:{chat_id}"


def chat_id_of(key: str) -> int:
    """The chat id from a user key ('telegram:12345' -> 12345); ValueError for another channel's key."""
    prefix, _, raw = key.partition(":")
    if prefix != CHANNEL or not raw.lstrip("-").isdigit():
        raise ValueError(f"not a telegram user key: {key!r}")
    return int(raw)


def chat_key_of(update: dict[str, Any]) -> str:
    """The user key answers to this raw update go to ("" when it has no chat), without parsing it all."""
    for kind in ("message", "edited_message", "my_chat_member", "callback_query"):
        part = update.get(kind)
        if not isinstance(part, dict):
            continue
        holder = part.get("message") if kind == "callback_query" else part
        chat = holder.get("chat") if isinstance(holder, dict) else None
        if not isinstance(chat, dict) and kind == "callback_query":
            chat = part.get("from")  # an inline message's button: the user who pressed it
        chat_id = chat.get("id") if isinstance(chat, dict) else None
        if isinstance(chat_id, int) and not isinstance(chat_id, bool):
            return user_key(chat_id)
    return ""


def parse(update: dict[str, Any], bot_username: str | None = None) -> Parsed:
    """Turn one update into what the user did; an empty Parsed for updates that need nothing."""
    query = _dict(update.get("callback_query"))
    if query:
        return _from_button(query)
    member = _dict(update.get("my_chat_member"))
    if member:
        chat = _dict(member.get("chat"))
        kicked = _dict(member.get("new_chat_member")).get("status") == KICKED and chat.get("type") == "private"
        return Parsed(_id(chat), blocked=kicked)
    edited = _dict(update.get("edited_message"))
    message = _dict(update.get("message")) or edited
    if not message:
        return Parsed()  # channel posts, inline queries, polls...: nothing to answer
    chat_id = _id(_dict(message.get("chat")))
    if chat_id is None:
        return Parsed()  # no chat to answer to
    if _dict(message.get("from")).get("is_bot") is True:
        return Parsed(chat_id)
    if edited is message and (message.get("location") is not None or message.get("text") is None):
        return Parsed(chat_id)  # live-location ticks and edited captions: not a new question
    return _from_message(message, chat_id, bot_username)


def _from_button(query: dict[str, Any]) -> Parsed:
    """A pressed inline button: its payload, or, for an over-long one sent as its number ('#3'), that number typed."""
    message = _dict(query.get("message"))  # absent for a button under an inline message
    chat_id = _id(_dict(message.get("chat"))) if message else _id(_dict(query.get("from")))
    query_id = query.get("id")
    query_id = query_id if isinstance(query_id, str) else None
    if chat_id is None:
        return Parsed(callback_query_id=query_id)
    data = query.get("data")
    fields: dict[str, Any] = {"message_id": _message_id(message)}
    if data is None or data == "":
        fields["unsupported"] = "game"  # a game's button carries no data
    elif not isinstance(data, str):
        fields["unsupported"] = "unknown"
    elif data.startswith("#"):
        fields["text"] = data[1:]
    else:
        fields["payload"] = data
    return Parsed(chat_id, _inbound(chat_id, _language(query), **fields), callback_query_id=query_id)


def _from_message(message: dict[str, Any], chat_id: int, bot_username: str | None) -> Parsed:
    chat_type = _dict(message.get("chat")).get("type")
    if chat_type == "channel":
        return Parsed(chat_id)
    group = chat_type in GROUPS
    fields: dict[str, Any] = {
        "at": _time(message.get("edit_date")) or _time(message.get("date")),
        "message_id": _message_id(message),
    }
    lang = _language(message)
    place = message.get("location")
    if place is None:
        place = _dict(message.get("venue")).get("location")
    if place is not None:
        location = _location(place)
        if location is None:
            return Parsed(chat_id, _inbound(chat_id, lang, unsupported="unknown", **fields))
        return Parsed(chat_id, _inbound(chat_id, lang, location=location, **fields))
    text = message.get("text")
    if text is not None:
        if not isinstance(text, str):
            return (
                Parsed(chat_id) if group else Parsed(chat_id, _inbound(chat_id, lang, unsupported="unknown", **fields))
            )
        if group and not _addressed(message, text, bot_username):
            return Parsed(chat_id)  # group chatter not meant for the bot
        return Parsed(chat_id, _inbound(chat_id, lang, text=_strip_bot_name(text, bot_username), **fields))
    if group:
        return Parsed(chat_id)  # photos and stickers in a group are for the people there
    kind = next((k for k in UNSUPPORTED_KINDS if message.get(k)), None)
    if kind is None:
        return Parsed(chat_id)  # service messages (pinned, joined...): nothing was asked
    return Parsed(chat_id, _inbound(chat_id, lang, unsupported=kind, **fields))


def _addressed(message: dict[str, Any], text: str, bot_username: str | None) -> bool:
    """In a group, answer commands, mentions of the bot and replies to the bot's own messages."""
    if text.startswith("/"):
        command = text.split()[0]
        return "@" not in command or (bot_username is not None and command.endswith(f"@{bot_username}"))
    if bot_username and f"@{bot_username}".lower() in text.lower():
        return True
    author = _dict(_dict(message.get("reply_to_message")).get("from"))
    return author.get("is_bot") is True and bot_username is not None and author.get("username") == bot_username


def _strip_bot_name(text: str, bot_username: str | None) -> str:
    """'/menu@TanyaSehatBot' -> '/menu' and '@TanyaSehatBot halo' -> 'halo': the engine reads plain words."""
    if not bot_username:
        return text
    mention = f"@{bot_username}"
    if text.startswith("/"):
        head, sep, rest = text.partition(" ")
        if head.lower().endswith(mention.lower()):
            text = head[: -len(mention)] + sep + rest
    start = text.lower().find(mention.lower())
    if start >= 0 and not text.startswith("/"):
        text = (text[:start] + text[start + len(mention) :]).strip()
    return text


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _id(holder: dict[str, Any]) -> int | None:
    """A chat's or user's id: an integer (JSON's true is no id)."""
    value = holder.get("id")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number(value: object) -> float | None:
    """A finite JSON number (not true/false, not NaN, not an integer too large for a float)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _location(place: object) -> Location | None:
    place = _dict(place)
    latitude, longitude = _number(place.get("latitude")), _number(place.get("longitude"))
    return None if latitude is None or longitude is None else Location(latitude, longitude)


def _time(value: object) -> datetime | None:
    """A Unix time as an aware UTC datetime, as PTB reads it; None when absent or not a time."""
    seconds = _number(value)
    if not seconds:  # absent, or 0: an edit_date Telegram leaves unset
        return None
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _message_id(message: dict[str, Any]) -> str | None:
    value = message.get("message_id")
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else None


def _language(holder: dict[str, Any]) -> str | None:
    """The sender's Telegram interface language: a first guess only."""
    lang = _dict(holder.get("from")).get("language_code")
    return lang if isinstance(lang, str) else None


def _inbound(chat_id: int, lang: str | None, **fields: Any) -> Inbound:
    values = {k: v for k, v in fields.items() if v is not None}
    return Inbound(user_key=user_key(chat_id), channel=CHANNEL, language_hint=lang, **values)
