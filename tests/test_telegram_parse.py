"""Telegram update (its JSON) -> Inbound for every kind of update a resident (or a group) can send.

parse.py reads the JSON itself, not PTB's `Update`: the examples pin the rules, the properties below
check that it reads the same fields PTB reads on well-formed updates, and that no hostile update
(any field of a real one replaced by any JSON value) makes it raise.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram import Update

from bot.channels.telegram.parse import Parsed, chat_id_of, parse, user_key
from bot.engine.types import Inbound, Location
from tests.support.hostile import broken, telegram_templates
from tests.support.telegram_api import (
    BOT_USER,
    blocked_update,
    callback_update,
    chat,
    location_update,
    message,
    text_update,
    user,
)

BOT = str(BOT_USER["username"])
EXAMPLES = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def parsed(data: dict[str, Any]) -> Parsed:
    # Through JSON as the channel receives it, so no test shares a dict with the reader.
    return parse(json.loads(json.dumps(data)), BOT)


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


def test_a_missing_or_zero_date_is_now_and_a_real_one_is_kept() -> None:
    sent = message(42, text="halo") | {"date": 1_900_000_000, "edit_date": 0}
    p = parsed({"update_id": 18, "message": sent})
    assert p.inbound is not None and p.inbound.at == datetime.fromtimestamp(1_900_000_000, UTC)
    before = datetime.now(UTC)
    undated = {k: v for k, v in message(42, text="halo").items() if k != "date"}
    p = parsed({"update_id": 19, "message": undated})
    assert p.inbound is not None and p.inbound.at >= before


def test_wrong_types_are_read_as_absent_or_unreadable() -> None:
    p = parsed({"update_id": 20, "message": message(42, text=5)})
    assert p.inbound is not None and p.inbound.unsupported == "unknown" and p.inbound.text is None
    p = parsed({"update_id": 21, "message": message(42, location={"latitude": "0.5", "longitude": 101.4})})
    assert p.inbound is not None and p.inbound.unsupported == "unknown" and p.inbound.location is None
    assert parsed({"update_id": 22, "message": message(42, text="halo") | {"chat": {"id": "42"}}}) == Parsed()
    assert parsed({"update_id": 23, "message": message(42, text="halo") | {"chat": {"id": True}}}) == Parsed()
    p = parsed(callback_update(24, 42, "x") | {"callback_query": {"id": "cq", "from": user(42), "data": 7}})
    assert p.inbound is not None and p.inbound.unsupported == "unknown" and p.callback_query_id == "cq"
    assert parsed({"update_id": 25, "message": message(-100, text=["/menu"])}) == Parsed(-100)  # in a group


def test_a_button_under_an_inline_message_answers_the_user_who_pressed_it() -> None:
    p = parsed(
        {"update_id": 26, "callback_query": {"id": "cq", "from": user(42), "chat_instance": "c", "data": "menu"}}
    )
    assert p.chat_id == 42 and p.inbound is not None and p.inbound.payload == "menu"


# ---- properties ------------------------------------------------------------------------------------

CHAT_IDS = st.sampled_from([42, 5_000_001, -100, -1_001_234_567_890])
WORDS = st.sampled_from(["halo", "imunisasi campak", "kue besok", "/menu", "/start", "siapa", "BPJS", "", "#2"])
TEXTS = st.one_of(
    WORDS,
    st.text(max_size=40),
    st.builds(lambda w, b: f"{w} @{b}", WORDS, st.sampled_from([BOT, BOT.lower(), "OtherBot"])),
    st.builds(lambda w, b: f"{w}@{b} x", st.sampled_from(["/menu", "/start"]), st.sampled_from([BOT, "OtherBot"])),
)
OTHER_BOT = {"id": 9, "is_bot": True, "first_name": "Other", "username": "OtherBot"}


@st.composite
def well_formed(draw: st.DrawFn) -> dict[str, Any]:
    """An update as Telegram sends it: a text, location, venue, photo, edit or button, in a chat or a group."""
    chat_id = draw(CHAT_IDS)
    lang = draw(st.sampled_from(["id", "en", "jv", None]))
    kind = draw(st.sampled_from(["text", "edited", "location", "venue", "photo", "reply", "button", "blocked"]))
    if kind == "button":
        data = draw(st.one_of(WORDS, st.just("intent:uhc")))
        return callback_update(1, chat_id, data)
    if kind == "blocked":
        return blocked_update(1, chat_id)
    content: dict[str, Any] = {}
    if kind in ("text", "edited", "reply"):
        content["text"] = draw(TEXTS)
    if kind == "reply":
        replied = message(chat_id, text="(pesan)") | {"from": draw(st.sampled_from([BOT_USER, OTHER_BOT, user(7)]))}
        content["reply_to_message"] = replied
    place = {"latitude": draw(st.floats(-11, 6)), "longitude": draw(st.floats(95, 141))}
    if kind == "location":
        content["location"] = place
    if kind == "venue":
        content |= {"venue": {"location": place, "title": "Puskesmas", "address": "Jl."}, "location": place}
    if kind == "photo":
        content["photo"] = [{"file_id": "p", "file_unique_id": "u", "width": 1, "height": 1}]
    sent = message(chat_id, language_code=lang, **content) | {"chat": chat(chat_id)}
    if kind == "edited":
        return {"update_id": 1, "edited_message": sent | {"edit_date": sent["date"] + 60}}
    return {"update_id": 1, "message": sent}


@EXAMPLES
@given(well_formed())
def test_reads_what_ptb_reads(data: dict[str, Any]) -> None:
    """The fields the reader takes from the JSON are the ones PTB's `Update` has, for any well-formed update."""
    got = parsed(data)
    update = Update.de_json(json.loads(json.dumps(data)), None)
    assert got.chat_id == (update.effective_chat.id if update.effective_chat else None)
    if update.callback_query is not None:
        assert got.callback_query_id == update.callback_query.id
    inbound = got.inbound
    if inbound is None:
        return
    assert inbound.user_key == user_key(update.effective_chat.id)  # type: ignore[union-attr]
    assert inbound.language_hint == update.effective_user.language_code  # type: ignore[union-attr]
    msg = update.effective_message
    assert msg is not None and inbound.message_id == str(msg.message_id)
    if update.callback_query is None:
        assert inbound.at == (msg.edit_date or msg.date)
    if msg.location is not None and update.callback_query is None:
        assert inbound.location == Location(msg.location.latitude, msg.location.longitude)
    elif update.callback_query is not None:
        data_ = update.callback_query.data or ""
        assert (inbound.text, inbound.payload) == (
            (data_[1:], None) if data_.startswith("#") else (None, data_ or None)
        )
    elif msg.text is not None:
        if f"@{BOT}".lower() in msg.text.lower():  # the bot's name taken out (the examples above say how)
            assert inbound.text is not None and len(inbound.text) <= len(msg.text)
        else:
            assert inbound.text == msg.text


def _addressed(sent: dict[str, Any]) -> bool:
    """In a group: a command not for another bot, a mention of the bot, or a reply to the bot's message."""
    text = sent["text"]
    if text.startswith("/"):
        command = text.split()[0]
        return "@" not in command or command.endswith(f"@{BOT}")
    replied = sent.get("reply_to_message", {}).get("from", {})
    return f"@{BOT}".lower() in text.lower() or replied.get("username") == BOT


@EXAMPLES
@given(well_formed())
def test_in_a_group_only_what_is_meant_for_the_bot_is_answered(data: dict[str, Any]) -> None:
    sent = data.get("message") or data.get("edited_message")
    if sent is None or sent["chat"]["type"] != "supergroup":
        return
    got = parsed(data)
    assert got.chat_id == sent["chat"]["id"]
    if "text" in sent:
        assert (got.inbound is not None) == _addressed(sent)
    elif "location" not in sent:
        assert got.inbound is None  # a photo in a group is for the people there


@EXAMPLES
@given(broken(telegram_templates()))
def test_no_hostile_update_makes_the_reader_raise(data: Any) -> None:
    got = parse(data if isinstance(data, dict) else {}, BOT)
    assert got.chat_id is None or (isinstance(got.chat_id, int) and not isinstance(got.chat_id, bool))
    inbound = got.inbound
    if inbound is not None:
        assert isinstance(inbound, Inbound) and inbound.user_key == user_key(got.chat_id)  # type: ignore[arg-type]
        assert inbound.text is None or isinstance(inbound.text, str)
        assert inbound.payload is None or isinstance(inbound.payload, str)
        assert inbound.language_hint is None or isinstance(inbound.language_hint, str)
        assert inbound.at.tzinfo is not None
