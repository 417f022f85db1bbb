"""The foundation: the reserved intents, state across restarts, users kept apart."""

from __future__ import annotations

from pathlib import Path

from bot.runtime import Runtime
from tests.support.chat import Chat, payloads_of, text_of
from tests.support.settings import make_settings


async def test_greeting_fallback_emergency(chat: Chat) -> None:
    hello, nonsense, danger = await chat.run("halo", "asdfgh qwerty", "anak saya kejang tidak sadar")
    assert hello["intent"] == "greeting"
    assert "intent:imunisasi" in payloads_of(hello)
    assert nonsense["intent"] == "fallback"
    # a message the bot could not read may be an emergency in words no sign knows: the number is always there
    assert "119" in text_of(nonsense)
    assert danger["intent"] == "emergency"
    assert "119" in text_of(danger)


async def test_danger_wins_inside_a_flow(chat: Chat) -> None:
    # Control: after /pengingat the reminders flow is open and takes what is typed next as its answer.
    control = await chat.run("/pengingat", "Kampung Melayu")
    assert control[1]["intent"] == "pengingat" and "Kampung Melayu" in text_of(control[1])
    # The same flow open again: danger signs win over its step, and close it.
    opened, danger, after = await chat.run("/pengingat", "tolong bayi saya sesak napas berat", "Kampung Melayu")
    assert opened["intent"] == "pengingat" and "kelurahan" in text_of(opened)
    assert danger["intent"] == "emergency" and "119" in text_of(danger)
    assert after["intent"] != "pengingat"


async def test_typed_number_presses_the_offered_button(chat: Chat) -> None:
    menu = await chat.say("menu")
    second = payloads_of(menu)[1]
    pressed = await chat.say(f"@btn {second}")
    typed = await chat.run("menu", "2")
    assert typed[1]["intent"] == pressed["intent"]


async def test_state_survives_restart_and_users_do_not_mix(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    first = await Runtime.open(settings, watch_interval=None)
    await Chat(first, user="ani").say("menu")
    await first.close()

    second = await Runtime.open(settings, watch_interval=None)
    try:
        # Ani's last menu is remembered after the restart: "1" still means its first button.
        ani = await Chat(second, user="ani").say("1")
        assert ani["intent"] not in {"fallback", "clarify"}
        # Budi never saw a menu: "1" means nothing for him.
        budi = await Chat(second, user="budi").say("1")
        assert budi["intent"] in {"fallback", "clarify"}
    finally:
        await second.close()


async def test_unreadable_messages_get_a_clear_answer(chat: Chat, service: Runtime) -> None:
    from bot.engine.types import Inbound

    outcome = await service.handle(Inbound(user_key="console:x", channel="console", unsupported="voice"))
    assert outcome.intent == "unsupported"
    empty = await chat.say("   ")
    assert empty["replies"] and empty["intent"] == "empty"


async def test_nik_is_never_echoed(chat: Chat) -> None:
    result = await chat.say("nik saya 1471 0212 3456 0001")
    assert "1471" not in text_of(result)
    assert "NIK" in text_of(result)


async def test_health_info_pages_reach_every_faq_entry(chat: Chat, service: Runtime) -> None:
    from bot.engine.features.health_info import OWN_MENU_TOPICS

    content = service.holder.current
    expected = {f"intent:{i.id}" for i in content.intents.intents if i.answer and i.topic not in OWN_MENU_TOPICS}
    seen: set[str] = set()
    result = await chat.say("@btn intent:info_kesehatan")
    for _ in range(10):
        payloads = payloads_of(result)
        assert len(payloads) <= 10  # fits a WhatsApp list
        seen.update(p for p in payloads if p.startswith("intent:"))
        more = [p for p in payloads if p.startswith("info:")]
        if not more:
            break
        result = await chat.say(f"@btn {more[0]}")
    assert seen == expected


async def test_a_command_leaves_an_open_flow(chat: Chat) -> None:
    started = await chat.say("@btn intent:uhc")
    assert started["intent"] == "uhc"
    erase = await chat.say("/hapusdata")
    assert erase["intent"] != "uhc"
    assert "hapus" in text_of(erase).lower()
