"""Telegram Update -> Inbound for every kind of update a resident (or a group) can send."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update

from bot.channels.telegram.parse import Parsed, chat_id_of, parse, user_key
from bot.engine.types import Location
from tests.support.telegram_api import BOT_USER, blocked_update, callback_update, location_update, message, text_update

BOT = str(BOT_USER["username"])


def parsed(data: dict[str, Any]) -> Parsed:
    return parse(Update.de_json(data, None), BOT)


def test_text_carries_language_hint_and_message_id() -> None:
    p = parsed(text_update(1, 42, "imunisasi bayi 2 bulan", language_code="en"))
    assert p.chat_id == 42 and p.inbound is not None
    assert p.inbound.user_key == "telegram:42" and p.inbound.channel == "telegram"
    assert p.inbound.text == "imunisasi bayi 2 bulan"
    assert p.inbound.language_hint == "en"
    assert p.inbound.message_id is not None


def test_callback_query_is_the_payload_and_asks_for_an_answer() -> None:
    p = parsed(callback_update(2, 42, "intent:uhc"))
    assert p.inbound is not None and p.inbound.payload == "intent:uhc" and p.inbound.text is None
    assert p.callback_query_id == "cq2"


def test_numbered_callback_becomes_the_typed_number() -> None:
    p = parsed(callback_update(3, 42, "#2"))
    assert p.inbound is not None and p.inbound.text == "2" and p.inbound.payload is None


def test_location_and_venue() -> None:
    p = parsed(location_update(4, 42, 0.5071, 101.4478))
    assert p.inbound is not None and p.inbound.location == Location(0.5071, 101.4478)
    venue = {"location": {"latitude": 0.5, "longitude": 101.4}, "title": "Puskesmas", "address": "Jl. X"}
    p = parsed({"update_id": 5, "message": message(42, venue=venue, location=venue["location"])})
    assert p.inbound is not None and p.inbound.location == Location(0.5, 101.4)


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        ({"voice": {"file_id": "v", "file_unique_id": "u", "duration": 3}}, "voice"),
        ({"photo": [{"file_id": "p", "file_unique_id": "u", "width": 1, "height": 1}], "caption": "KTP"}, "photo"),
        (
            {
                "sticker": {
                    "file_id": "s",
                    "file_unique_id": "u",
                    "width": 1,
                    "height": 1,
                    "is_animated": False,
                    "is_video": False,
                    "type": "regular",
                }
            },
            "sticker",
        ),
        ({"contact": {"phone_number": "+628123456789", "first_name": "Ibu"}}, "contact"),
    ],
)
def test_things_we_cannot_read_are_unsupported(content: dict[str, Any], kind: str) -> None:
    p = parsed({"update_id": 6, "message": message(42, **content)})
    assert p.inbound is not None and p.inbound.unsupported == kind
    assert p.inbound.text is None  # a photo's caption or a contact's number is never passed on


def test_edited_text_is_answered_but_live_location_ticks_are_not() -> None:
    edited = message(42, text="imunisasi campak") | {"edit_date": 1_900_000_000}
    p = parsed({"update_id": 7, "edited_message": edited})
    assert p.inbound is not None and p.inbound.text == "imunisasi campak"
    tick = message(42, location={"latitude": 0.5, "longitude": 101.4}) | {"edit_date": 1_900_000_000}
    assert parsed({"update_id": 8, "edited_message": tick}).inbound is None


def test_group_answers_only_what_is_meant_for_the_bot() -> None:
    assert parsed(text_update(9, -100, "siapa yang bawa kue besok?")).inbound is None
    p = parsed(text_update(10, -100, f"/menu@{BOT}"))
    assert p.inbound is not None and p.inbound.text == "/menu" and p.inbound.user_key == "telegram:-100"
    assert parsed(text_update(11, -100, "/menu@OtherBot")).inbound is None
    p = parsed(text_update(12, -100, f"@{BOT} puskesmas terdekat"))
    assert p.inbound is not None and p.inbound.text == "puskesmas terdekat"
    photo = {"photo": [{"file_id": "p", "file_unique_id": "u", "width": 1, "height": 1}]}
    assert parsed({"update_id": 13, "message": message(-100, **photo)}).inbound is None


def test_blocking_the_bot_is_noticed() -> None:
    p = parsed(blocked_update(14, 42))
    assert p.blocked and p.inbound is None and p.chat_id == 42


def test_service_messages_and_other_bots_need_nothing() -> None:
    pinned = {"update_id": 15, "message": message(42, new_chat_title="x")}
    assert parsed(pinned).inbound is None
    from_bot = text_update(16, 42, "halo")
    from_bot["message"]["from"] = {"id": 9, "is_bot": True, "first_name": "Other"}
    assert parsed(from_bot).inbound is None
    assert parsed({"update_id": 17}).inbound is None


def test_user_keys_round_trip() -> None:
    assert chat_id_of(user_key(-1001234)) == -1001234
    with pytest.raises(ValueError):
        chat_id_of("whatsapp:62812")
