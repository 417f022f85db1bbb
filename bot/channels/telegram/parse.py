"""Telegram Update -> Inbound: what the user did, in the engine's terms; nothing here decides an answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Chat, ChatMember, Message, Update

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


def parse(update: Update, bot_username: str | None = None) -> Parsed:
    """Turn one update into what the user did; an empty Parsed for updates that need nothing."""
    if update.callback_query is not None:
        query = update.callback_query
        message = query.message
        chat_id = message.chat.id if message is not None else query.from_user.id
        data = query.data or ""
        inbound = _inbound(
            chat_id,
            query.from_user.language_code,
            payload=None if data.startswith("#") else data or None,
            # An over-long payload was sent as its button number ('#3'): typed, it means that button.
            text=data[1:] if data.startswith("#") else None,
            unsupported=None if data else "game",
            message_id=str(message.message_id) if message is not None else None,
        )
        return Parsed(chat_id, inbound, callback_query_id=query.id)
    if update.my_chat_member is not None:
        member = update.my_chat_member
        kicked = member.new_chat_member.status == ChatMember.BANNED and member.chat.type == Chat.PRIVATE
        return Parsed(member.chat.id, blocked=kicked)
    edited = update.edited_message
    message = update.message or edited
    if message is None:
        return Parsed()  # channel posts, inline queries, polls...: nothing to answer
    if message.from_user is not None and message.from_user.is_bot:
        return Parsed(message.chat.id)
    if edited is not None and (edited.location is not None or edited.text is None):
        return Parsed(edited.chat.id)  # live-location ticks and edited captions: not a new question
    return _from_message(message, bot_username)


def _from_message(message: Message, bot_username: str | None) -> Parsed:
    chat = message.chat
    lang = message.from_user.language_code if message.from_user else None
    group = chat.type in (Chat.GROUP, Chat.SUPERGROUP)
    if chat.type == Chat.CHANNEL:
        return Parsed(chat.id)
    at = message.edit_date or message.date
    mid = str(message.message_id)
    if message.location is not None or message.venue is not None:
        loc = message.location if message.location is not None else message.venue.location  # type: ignore[union-attr]
        return Parsed(
            chat.id, _inbound(chat.id, lang, location=Location(loc.latitude, loc.longitude), at=at, message_id=mid)
        )
    if message.text is not None:
        text = _strip_bot_name(message.text, bot_username)
        if group and not _addressed(message, bot_username):
            return Parsed(chat.id)  # group chatter not meant for the bot
        return Parsed(chat.id, _inbound(chat.id, lang, text=text, at=at, message_id=mid))
    if group:
        return Parsed(chat.id)  # photos and stickers in a group are for the people there
    kind = next((k for k in UNSUPPORTED_KINDS if getattr(message, k, None)), None)
    if kind is None:
        return Parsed(chat.id)  # service messages (pinned, joined...): nothing was asked
    return Parsed(chat.id, _inbound(chat.id, lang, unsupported=kind, at=at, message_id=mid))


def _addressed(message: Message, bot_username: str | None) -> bool:
    """In a group, answer commands, mentions of the bot and replies to the bot's own messages."""
    text = message.text or ""
    if text.startswith("/"):
        command = text.split()[0]
        return "@" not in command or (bot_username is not None and command.endswith(f"@{bot_username}"))
    if bot_username and f"@{bot_username}".lower() in text.lower():
        return True
    replied = message.reply_to_message
    return bool(
        replied and replied.from_user and replied.from_user.is_bot and replied.from_user.username == bot_username
    )


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


def _inbound(chat_id: int, lang: str | None, **fields: object) -> Inbound:
    values = {k: v for k, v in fields.items() if v is not None}
    # Update.de_json does not check types: a text or payload that is not a string is a message we cannot read.
    for key in ("text", "payload"):
        if key in values and not isinstance(values[key], str):
            del values[key]
            values["unsupported"] = "unknown"
    hint = lang if isinstance(lang, str) else None
    return Inbound(user_key=user_key(chat_id), channel=CHANNEL, language_hint=hint, **values)  # type: ignore[arg-type]
