"""WhatsApp wire format: webhook JSON -> Inbound, Reply -> messages that Meta accepts (checked by the fake's validator)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.whatsapp import wire
from bot.engine.types import Button, Location, Reply
from tests.support import graph_api as meta
from tests.support.graph_api import choices_of, validate

TO = "6281234567890"


def _one(message: dict[str, Any]) -> Any:
    inbounds, _ = wire.parse_webhook(meta.webhook([message]))
    assert len(inbounds) == 1
    return inbounds[0]


def test_inbound_kinds() -> None:
    text = _one(meta.text(TO, "imunisasi bayi", message_id="wamid.A"))
    assert (text.user_key, text.channel, text.text, text.message_id) == (
        f"whatsapp:{TO}",
        "whatsapp",
        "imunisasi bayi",
        "wamid.A",
    )
    assert _one(meta.button_reply(TO, "uhc:ya", "Ya")).payload == "uhc:ya"
    assert _one(meta.list_reply(TO, "intent:puskesmas", "Puskesmas terdekat")).payload == "intent:puskesmas"
    assert _one(meta.location(TO, 0.5071, 101.4478)).location == Location(0.5071, 101.4478)
    assert _one(meta.message(TO, "button", {"payload": "", "text": "Berhenti"})).text == "Berhenti"
    assert _one(meta.message(TO, "sticker", {"id": "1"})).unsupported == "sticker"
    assert _one(meta.message(TO, "interactive", {"type": "nfm_reply", "nfm_reply": {}})).unsupported == "unreadable"
    assert _one(meta.location(TO, float("nan"), 101.0)).unsupported == "unreadable"


def test_timestamp_is_the_message_time() -> None:
    inbound = _one(meta.text(TO, "halo", at=1_700_000_000))
    assert inbound.at.timestamp() == 1_700_000_000


def test_system_messages_and_foreign_numbers_are_not_messages() -> None:
    assert wire.parse_webhook(meta.webhook([meta.message(TO, "system", {"body": "changed number"})])) == ([], [])
    inbounds, _ = wire.parse_webhook(meta.webhook([meta.text(TO, "halo")], phone_number_id="1"), "2")
    assert inbounds == []


@pytest.mark.parametrize(
    "data", [None, [], "x", {"object": "whatsapp_business_account", "entry": [1, {"changes": "x"}]}]
)
def test_odd_shapes_give_nothing(data: Any) -> None:
    assert wire.parse_webhook(data) == ([], [])


def test_status_with_error() -> None:
    _, statuses = wire.parse_webhook(meta.webhook(statuses=[meta.status("wamid.X", TO, "failed", 131026)]))
    assert [(s.message_id, s.status, s.user_key, s.error_code) for s in statuses] == [
        ("wamid.X", "failed", f"whatsapp:{TO}", 131026)
    ]


def _buttons(n: int, label: str = "Pilihan nomor {i}") -> tuple[Button, ...]:
    return tuple(Button(f"p:{i}", label.format(i=i)) for i in range(1, n + 1))


def test_text_is_split_at_4096_on_paragraphs() -> None:
    text = "\n\n".join(f"Paragraf {i}. " + "kata " * 300 for i in range(10))
    messages = wire.render(TO, Reply(text))
    assert len(messages) > 1
    for m in messages:
        validate(m)
        assert m["text"]["body"].startswith("Paragraf")
    assert " ".join(m["text"]["body"] for m in messages).split() == text.split()


def test_one_to_three_choices_are_reply_buttons_with_short_titles() -> None:
    reply = Reply(
        "Apakah Anda warga Pekanbaru?", (Button("uhc:ya", "Ya"), Button("uhc:tidak", "Tidak, saya dari luar kota"))
    )
    [message] = wire.render(TO, reply)
    validate(message)
    assert message["interactive"]["type"] == "button"
    assert choices_of(message) == [("uhc:ya", "Ya"), ("uhc:tidak", "Tidak, saya dari lu…")]


def test_four_to_ten_choices_are_a_list_with_the_whole_label_underneath() -> None:
    reply = Reply("Pilih topik:", _buttons(10, "Jadwal imunisasi anak nomor {i}"))
    [message] = wire.render(TO, reply)
    validate(message)
    rows = message["interactive"]["action"]["sections"][0]["rows"]
    assert len(rows) == 10 and all(len(r["title"]) <= 24 for r in rows)
    assert rows[0]["description"] == "Jadwal imunisasi anak nomor 1"


def test_more_than_ten_choices_are_numbered_text() -> None:
    [message] = wire.render(TO, Reply("Pilih puskesmas:", _buttons(12)))
    validate(message)
    assert message["type"] == "text"
    assert "\n12. Pilihan nomor 12" in message["text"]["body"]


def test_same_titles_after_shortening_stay_distinct() -> None:
    reply = Reply("Pilih:", (Button("a", "Puskesmas Rejosari Tenayan"), Button("b", "Puskesmas Rejosari Tenayan Raya")))
    [message] = wire.render(TO, reply)
    validate(message)  # the fake refuses equal titles, as Meta does


def test_location_request_with_buttons_is_two_messages() -> None:
    reply = Reply("Kirim lokasi Anda.", (Button("intent:puskesmas_area", "Ketik kecamatan"),), location_request=True)
    first, second = wire.render(TO, reply, wire.Labels(more="Atau:"))
    validate(first)
    validate(second)
    assert first["interactive"]["type"] == "location_request_message"
    assert first["interactive"]["action"] == {"name": "send_location"}
    assert second["interactive"]["body"]["text"] == "Atau:"


def test_long_body_goes_before_the_buttons() -> None:
    reply = Reply("panjang " * 400, _buttons(2))
    messages = wire.render(TO, reply)
    for m in messages:
        validate(m)
    assert [m["type"] for m in messages] == ["text", "interactive"]


def test_payload_too_long_for_whatsapp_falls_back_to_numbers() -> None:
    [message] = wire.render(TO, Reply("Pilih:", (Button("x" * 300, "Satu"), Button("y", "Dua"))))
    assert message["type"] == "text" and "1. Satu" in message["text"]["body"]


def test_template_message_shape() -> None:
    message = wire.template_message(TO, "pengingat_imunisasi", "id", ["Adi", "Campak", "1 Desember 2026"])
    validate(message)
    assert message["template"]["components"][0]["parameters"][1] == {"type": "text", "text": "Campak"}


labels = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=60).filter(str.strip)


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(max_size=9000),
    chosen=st.lists(labels, max_size=14),
    location_request=st.booleans(),
)
def test_anything_the_engine_says_is_accepted_by_whatsapp(text: str, chosen: list[str], location_request: bool) -> None:
    buttons = tuple(Button(f"p:{i}", label) for i, label in enumerate(chosen))
    for message in wire.render(TO, Reply(text, buttons, location_request)):
        validate(message)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(
    message=st.dictionaries(
        st.sampled_from(["from", "id", "type", "timestamp", "text", "interactive", "location"]), json_values
    )
)
def test_no_webhook_shape_crashes_the_parser(message: dict[str, Any]) -> None:
    body = meta.webhook([meta.text(TO, "halo")])
    body["entry"][0]["changes"][0]["value"]["messages"] = [message]
    body["entry"][0]["changes"][0]["value"]["statuses"] = [message]
    wire.parse_webhook(body)


def test_a_message_id_that_is_not_printable_ascii_is_not_a_message() -> None:
    """A lone surrogate in an id once reached the dedupe insert and failed there (found by fuzzing)."""
    from bot.channels.whatsapp.wire import parse_message, parse_status

    good = {"from": "6281234567890", "id": "wamid.ABC123", "type": "text", "text": {"body": "halo"}}
    assert parse_message(good) is not None
    for bad_id in ("\ud800", "wamid.\ud800x", "wamid\n1", "wamid.🙂"):
        assert parse_message({**good, "id": bad_id}) is None
        assert parse_status({"id": bad_id, "status": "sent", "recipient_id": "6281234567890"}) is None
