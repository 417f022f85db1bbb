"""The WhatsApp webhook end to end: signed real-shaped payloads in, real request JSON out to a fake Graph API."""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.channels import whatsapp
from bot.runtime import Runtime
from bot.storage import dedupe, whatsapp_status, whatsapp_window
from bot.storage.subscriptions import Subscriber, ensure_subscriber
from tests.support import graph_api as meta
from tests.support.graph_api import FakeGraph, choices_of
from tests.support.settings import make_settings
from tests.support.whatsapp import ANI, SECRET, VERIFY, WhatsApp, start_whatsapp, wa_settings

BUDI = "6285298765432"


@pytest.fixture
async def wa(tmp_path: Path, graph: FakeGraph) -> AsyncIterator[WhatsApp]:
    client, service = await start_whatsapp(wa_settings(tmp_path, graph), graph)
    yield WhatsApp(client, graph, service)
    await client.close()
    await service.close()


def _all_text(messages: list[dict[str, Any]]) -> str:
    return "\n".join(meta.text_of(m) for m in messages)


# --- handshake and signature -------------------------------------------------------------------


async def test_verification_handshake(wa: WhatsApp) -> None:
    ok = await wa.client.get(
        whatsapp.PATH, params={"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"}
    )
    assert ok.status == 200 and await ok.text() == "1158201444"
    wrong = await wa.client.get(
        whatsapp.PATH, params={"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"}
    )
    assert wrong.status == 403 and "1" not in await wrong.text()
    assert (await wa.client.get(whatsapp.PATH)).status == 403


@pytest.mark.parametrize("signature", [None, "", "sha256=", "sha256=" + "0" * 64, "sha1=abc", "garbage"])
async def test_bad_or_missing_signature_is_refused_and_nothing_is_processed(
    wa: WhatsApp, signature: str | None
) -> None:
    message = meta.text(ANI, "halo")
    assert await wa.post(meta.webhook([message]), signature=signature) == 401
    assert wa.graph.requests == []
    # Nothing was recorded either: the same message, correctly signed later, is still answered.
    assert await dedupe.first_time(wa.service.db, "whatsapp", message["id"]) is True
    assert await whatsapp_window.last_inbound(wa.service.db, f"whatsapp:{ANI}") is None


async def test_signature_of_another_body_is_refused(wa: WhatsApp) -> None:
    body = json.dumps(meta.webhook([meta.text(ANI, "halo")])).encode()
    other = json.dumps(meta.webhook([meta.text(ANI, "menu")])).encode()
    assert await wa.post(None, signature=meta.sign(other, SECRET), raw=body) == 401
    assert await wa.post(None, signature=meta.sign(body, "another-secret"), raw=body) == 401
    assert wa.graph.requests == []


async def test_malformed_json_gets_400_and_the_server_keeps_serving(wa: WhatsApp) -> None:
    for raw in (b"{not json", b"\xff\xfe", b"[1, 2]", b""):
        assert await wa.post(None, raw=raw) == 400
    assert await wa.post({"object": "page", "entry": "nonsense"}) == 200  # valid JSON, nothing for us
    assert wa.graph.requests == []
    assert await wa.say(ANI, "halo")


async def test_messages_for_another_phone_number_are_ignored(wa: WhatsApp) -> None:
    assert await wa.post(meta.webhook([meta.text(ANI, "halo")], phone_number_id="999")) == 200
    assert wa.graph.requests == []


async def test_the_webhook_answers_before_the_work_is_done(wa: WhatsApp) -> None:
    wa.graph.delay = 0.5  # a slow Graph API must not hold Meta's request
    body = json.dumps(meta.webhook([meta.text(ANI, "halo")])).encode()
    response = await wa.client.post(whatsapp.PATH, data=body, headers={"X-Hub-Signature-256": meta.sign(body, SECRET)})
    assert response.status == 200
    assert wa.graph.accepted == []  # the answer (0.5 s away) was still on its way: nothing timed on the wall
    await wa.hook.drain()
    assert wa.graph.sent_to(ANI)


async def test_install_needs_every_whatsapp_setting(tmp_path: Path) -> None:
    from aiohttp import web

    settings = dataclasses.replace(make_settings(tmp_path), whatsapp_access_token="x", whatsapp_phone_number_id="1")
    async with Runtime.start(settings, watch_interval=None) as runtime:
        with pytest.raises(ValueError, match="WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN"):
            whatsapp.install(
                web.Application(), settings, runtime.handle, runtime.db, runtime.content, runtime.recipients
            )


async def test_serve_builds_the_whatsapp_routes(wa: WhatsApp) -> None:
    from bot.web.server import build_app

    app = build_app(wa.service)
    paths = {(r.method, r.resource.canonical) for r in app.router.routes() if r.resource is not None}
    assert {("GET", whatsapp.PATH), ("POST", whatsapp.PATH)} <= paths


# --- once, in order, statuses ------------------------------------------------------------------


async def test_a_repeated_message_id_is_answered_once(wa: WhatsApp) -> None:
    message = meta.text(ANI, "halo")
    first = await wa.send(message)
    assert first
    assert await wa.send(message) == []
    both = await wa.send(message, message)  # twice in one body as well
    assert both == []


async def test_dedupe_survives_a_restart(tmp_path: Path, graph: FakeGraph) -> None:
    settings = wa_settings(tmp_path, graph)
    message = meta.text(ANI, "halo")
    client, service = await start_whatsapp(settings, graph)
    assert await WhatsApp(client, graph, service).send(message)
    await client.close()
    await service.close()
    client, service = await start_whatsapp(settings, graph)
    try:
        assert await WhatsApp(client, graph, service).send(message) == []
    finally:
        await client.close()
        await service.close()


async def test_statuses_are_recorded_not_answered(wa: WhatsApp) -> None:
    await ensure_subscriber(wa.service.db, f"whatsapp:{BUDI}", "whatsapp")
    updates = [
        meta.status("wamid.OUT1", ANI, "sent"),
        meta.status("wamid.OUT1", ANI, "delivered"),
        meta.status("wamid.OUT1", ANI, "delivered"),  # redelivered callback
        meta.status("wamid.OUT2", BUDI, "failed", error_code=131026),
    ]
    assert await wa.post(meta.webhook(statuses=updates)) == 200
    assert wa.graph.requests == []
    assert await whatsapp_status.statuses_of(wa.service.db, "wamid.OUT1") == ["sent", "delivered"]
    assert await whatsapp_status.statuses_of(wa.service.db, "wamid.OUT2") == ["failed"]
    async with wa.service.db.session() as session:
        budi = await session.get(Subscriber, f"whatsapp:{BUDI}")
    assert budi is not None and budi.blocked and not budi.active  # undeliverable: reminders stop


async def test_every_other_message_type_gets_a_sensible_answer(wa: WhatsApp) -> None:
    kinds = {
        "image": {"mime_type": "image/jpeg", "sha256": "x", "id": "1"},
        "audio": {"mime_type": "audio/ogg; codecs=opus", "sha256": "x", "id": "2", "voice": True},
        "sticker": {"mime_type": "image/webp", "sha256": "x", "id": "3", "animated": False},
        "video": {"mime_type": "video/mp4", "id": "4"},
        "document": {"filename": "kk.pdf", "mime_type": "application/pdf", "id": "5"},
        "contacts": [{"name": {"formatted_name": "Bidan Rina"}}],
        "reaction": {"message_id": "wamid.OUT1", "emoji": "👍"},
        "unsupported": {},
        "something_new": {"x": 1},
    }
    for kind, content in kinds.items():
        sent = await wa.send(meta.message(ANI, kind, content))  # type: ignore[arg-type]
        assert len(sent) == 1, kind
        if kind == "sticker":  # a sticker says thanks or hello: a smile back (tests/test_smalltalk_round15.py)
            assert "pertanyaan" in meta.text_of(sent[0]) and "teks" not in meta.text_of(sent[0])
        else:
            assert "teks" in meta.text_of(sent[0]), kind  # "saya hanya bisa membaca pesan teks"


async def test_broken_parts_of_a_body_do_not_stop_the_rest(wa: WhatsApp) -> None:
    good = meta.text(ANI, "halo")
    broken = [{"from": ANI}, {"id": "x", "type": "text"}, "nonsense", meta.location(BUDI, 999.0, 5.0)]
    body = meta.webhook([good])
    body["entry"][0]["changes"][0]["value"]["messages"] = [*broken, good]
    assert await wa.post(body) == 200
    assert wa.graph.sent_to(ANI)
    assert "teks" in wa.graph.texts_to(BUDI)[0]  # an impossible location is not read as one


# --- the 24-hour window --------------------------------------------------------------------------


async def test_a_late_delivery_outside_the_window_is_not_answered_with_free_text(wa: WhatsApp) -> None:
    old = meta.text(ANI, "halo", at=time.time() - 25 * 3600)
    assert await wa.send(old) == []
    assert wa.graph.requests == []


async def test_when_meta_says_the_window_closed_we_believe_it(wa: WhatsApp) -> None:
    await wa.say(ANI, "halo")
    wa.graph.close_window(ANI)
    assert await wa.say(ANI, "menu") == []
    assert wa.graph.refused[-1][0] == 131047
    assert await whatsapp_window.last_inbound(wa.service.db, f"whatsapp:{ANI}") is None


async def test_a_short_rate_limit_is_retried_and_the_answer_arrives_once(wa: WhatsApp) -> None:
    wa.graph.fail(ANI, 131000)  # Meta's temporary failure: tried again after a second
    sent = await wa.say(ANI, "halo")
    assert len(sent) == 1 and [c for c, _ in wa.graph.refused] == [131000]


# --- whole conversations -------------------------------------------------------------------------


async def test_menu_is_a_list_within_limits_and_a_row_opens_the_topic(wa: WhatsApp) -> None:
    sent = await wa.say(ANI, "halo")
    assert len(sent) == 1
    menu = sent[0]
    assert menu["type"] == "interactive" and menu["interactive"]["type"] == "list"
    rows = choices_of(menu)
    assert [i for i, _ in rows][:3] == ["intent:imunisasi", "intent:puskesmas", "intent:uhc"]
    assert all(len(title) <= 24 for _, title in rows)
    assert len(menu["interactive"]["action"]["button"]) <= 20
    imunisasi = await wa.choose(ANI, menu, 0)
    assert imunisasi and "imunisasi" in _all_text(imunisasi).lower()
    # Typing the number of a row works as well: WhatsApp users often reply "2".
    again = await wa.say(ANI, "menu")
    typed = await wa.say(ANI, "3")
    assert again and typed and wa.graph.refused == []


async def test_immunization_by_age(wa: WhatsApp) -> None:
    sent = await wa.say(ANI, "bayi 2 bulan imunisasi apa saja")
    text = _all_text(sent).lower()
    assert any(name in text for name in ("polio", "dpt", "pcv", "rotavirus")), text


async def test_nearest_puskesmas_from_a_shared_location(wa: WhatsApp) -> None:
    asked = await wa.say(ANI, "puskesmas terdekat")
    assert any(m["type"] == "interactive" and m["interactive"]["type"] == "location_request_message" for m in asked)
    answer = await wa.send(meta.location(ANI, 0.5071, 101.4478))  # Pekanbaru, near the city centre
    assert "puskesmas" in _all_text(answer).lower()
    assert wa.graph.refused == []


async def test_uhc_flow_with_buttons(wa: WhatsApp) -> None:
    sent = await wa.say(ANI, "berobat gratis pakai ktp")
    steps = 0
    while steps < 8:
        interactive = [m for m in sent if choices_of(m)]
        if not interactive:
            break
        last = interactive[-1]
        if last["interactive"]["type"] == "button":
            assert all(len(t) <= 20 for _, t in choices_of(last))
        sent = await wa.choose(ANI, last, 0)
        assert sent, "every tap gets an answer"
        steps += 1
    assert steps >= 2, "the eligibility check asks at least two questions with buttons"
    assert wa.graph.refused == []


async def test_two_users_do_not_mix(wa: WhatsApp) -> None:
    sent = await wa.send(meta.text(ANI, "halo"), meta.text(BUDI, "puskesmas terdekat"))
    assert {m["to"] for m in sent} == {ANI, BUDI}
    assert await whatsapp_window.window_open(wa.service.db, f"whatsapp:{BUDI}")
