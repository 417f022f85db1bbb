"""A resident's whole conversation on Telegram, through the webhook and again through long polling.

menu -> immunization (overview, then by age) -> nearest puskesmas by shared location -> the UHC
check to its end. Every step is checked twice: what the engine decided (intent) and what went
over the wire to the (fake) Bot API (texts, keyboards).
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.channels.telegram.render import render
from bot.engine.types import Outcome
from tests.support.telegram_api import FakeTelegram, callback_update, location_update, text_update
from tests.support.telegram_harness import Bench, polling_bot, telegram_settings, webhook_bot

TODAY = date(2026, 11, 23)
CHAT = 4242


@pytest.fixture(params=["webhook", "polling"])
async def bot(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Bench]:
    async with FakeTelegram() as fake:
        run = webhook_bot if request.param == "webhook" else polling_bot
        async with run(telegram_settings(tmp_path, fake), fake, today=TODAY) as bench:
            yield bench


class Talk:
    """Sends updates one at a time and checks the wire against the engine's outcome each time."""

    def __init__(self, bench: Bench) -> None:
        self.bench, self.next_id = bench, 10_000

    async def __call__(self, kind: str, *args: Any) -> tuple[Outcome, list[dict[str, Any]]]:
        self.next_id += 1
        build = {"text": text_update, "button": callback_update, "location": location_update}[kind]
        before = len(self.bench.fake.sent)
        outcome = await self.bench.deliver(build(self.next_id, CHAT, *args))
        wire = self.bench.fake.sent[before:]
        expected = [o for r in outcome.replies for o in render(r)]
        assert [m["text"] for m in wire] == [o.text for o in expected], "the wire carries exactly the engine's replies"
        return outcome, wire


def payloads(outcome: Outcome) -> list[str]:
    return [b.payload for r in outcome.replies for b in r.buttons]


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


async def test_menu_immunization_puskesmas_and_uhc(bot: Bench) -> None:
    say = Talk(bot)

    # Menu: the topics as an inline keyboard, callback data = payloads.
    outcome, wire = await say("text", "/start")
    assert outcome.intent == "greeting"
    assert {"intent:imunisasi", "intent:puskesmas", "intent:uhc"} <= set(payloads(outcome))
    keyboard = wire[-1]["reply_markup"]["inline_keyboard"]
    assert [row[0]["callback_data"] for row in keyboard] == payloads(outcome)

    # Puskesmas: the location request is a reply-keyboard button; a shared location gets the nearest.
    outcome, wire = await say("button", "intent:puskesmas")
    assert outcome.intent == "puskesmas"
    assert bot.fake.answered_callbacks, "the button's spinner was stopped"
    keyboard = wire[-1]["reply_markup"]["keyboard"]
    assert any(button.get("request_location") for row in keyboard for button in row)
    directory = bot.service.holder.current.puskesmas
    placed = [p for p in directory.puskesmas if p.point is not None]
    here = (placed[0].point.lat + 0.001, placed[0].point.lon + 0.001)  # type: ignore[union-attr]
    nearest = min(placed, key=lambda p: km(here, (p.point.lat, p.point.lon)))  # type: ignore[union-attr]
    outcome, wire = await say("location", *here)
    assert outcome.intent.startswith("puskesmas"), outcome.intent
    text = "\n".join(m["text"] for m in wire)
    assert nearest.name in text.split("\n\n", 2)[1], "the first one listed is the nearest"

    # UHC: the eligibility check from its first question to an outcome, by buttons.
    outcome, wire = await say("button", "intent:uhc")
    assert outcome.intent.startswith("uhc"), outcome.intent
    for _ in range(12):
        step = [p for p in payloads(outcome) if p.startswith("uhc:") and p.count(":") == 2]
        if not step:
            break
        outcome, wire = await say("button", step[0])
        assert outcome.intent.startswith("uhc"), outcome.intent
    else:
        pytest.fail("the UHC check did not reach an outcome in 12 answers")
    assert wire and wire[-1]["text"].strip()

    # Immunization (issue: immunization feature): the overview, then what is due at an age.
    outcome, _ = await say("text", "menu")
    assert outcome.intent == "menu"
    outcome, _ = await say("button", "intent:imunisasi")
    assert outcome.intent == "imunisasi", f"waits on the immunization feature (got {outcome.intent!r})"
    outcome, wire = await say("text", "bayi 2 bulan imunisasi apa")
    assert outcome.intent == "imunisasi_usia", f"waits on the immunization feature (got {outcome.intent!r})"
    assert "2 bulan" in wire[0]["text"] or "2 Bulan" in wire[0]["text"]


async def test_location_button_speaks_the_users_language(bot: Bench) -> None:
    say = Talk(bot)
    await say("text", "/bahasa")
    await say("button", "lang:en")
    outcome, wire = await say("button", "intent:puskesmas")
    assert outcome.intent == "puskesmas"
    labels = [button["text"] for row in wire[-1]["reply_markup"]["keyboard"] for button in row]
    assert "📍 Send my location" in labels
    assert "📍 Kirim lokasi saya" not in labels
