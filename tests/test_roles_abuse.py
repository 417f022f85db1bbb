"""Staff and cadre commands are unusable by anyone else: by typing, by pressing old buttons, by another channel.

Complements tests/test_reminders.py (a resident cannot start /siaran; a cadre cannot pick
"everyone"; a resident cannot /kader) and tests/test_dashboard_auth.py (the web dashboard).
"""

from __future__ import annotations

from datetime import date

from bot.engine.types import Inbound
from bot.runtime import Runtime
from bot.storage import broadcasts, roles
from tests.support.chat import Chat, payloads_of, text_of

TODAY = date(2026, 11, 23)
AREA = "14.71.01.1004"  # Kampung Melayu
OTHER_AREA = "14.71.02.1001"
MESSAGE = "Posyandu Mawar buka Kamis jam 08.00, bawa buku KIA."


async def _broadcast_by(service: Runtime, user: str) -> int:
    """A cadre schedules a broadcast for tomorrow through the chat; returns its id."""
    chat = Chat(service, user=user, today=TODAY)
    await chat.run("/siaran", MESSAGE, "besok jam 08.00", "ya")
    (row,) = await broadcasts.broadcasts_of(service.db, f"console:{user}")
    return row.id


async def test_a_cadre_cannot_grant_or_revoke_roles(service: Runtime) -> None:
    await roles.grant(service.db, "console:kader", roles.CADRE, AREA)
    await roles.grant(service.db, "console:kader2", roles.CADRE, OTHER_AREA)
    cadre = Chat(service, user="kader", today=TODAY)
    for line in ("/kader console:kader 14.71", "/kader telegram:99 14.71.01", "/kader hapus console:kader2"):
        result = await cadre.say(line)
        assert result["intent"] == "kader" and "hanya untuk petugas" in text_of(result)
    own = await roles.role_of(service.db, "console:kader")
    assert own is not None and own.area_code == AREA  # not widened to the whole city
    assert await roles.role_of(service.db, "telegram:99") is None
    assert await roles.role_of(service.db, "console:kader2") is not None  # not revoked


async def test_nobody_cancels_someone_elses_broadcast_by_pressing_its_button(service: Runtime) -> None:
    await roles.grant(service.db, "console:kader", roles.CADRE, AREA)
    await roles.grant(service.db, "console:kader2", roles.CADRE, AREA)
    broadcast_id = await _broadcast_by(service, "kader")
    for user in ("warga", "kader2"):  # a resident, and another cadre of the same area
        pressed = await Chat(service, user=user, today=TODAY).say(f"@btn rem:cancel:{broadcast_id}")
        assert "tidak bisa dibatalkan" in text_of(pressed) or "hanya untuk kader" in text_of(pressed)
    (row,) = await broadcasts.broadcasts_of(service.db, "console:kader")
    assert row.status == broadcasts.SCHEDULED
    # Another cadre's list does not show it either.
    listing = await Chat(service, user="kader2", today=TODAY).say("/siaranku")
    assert f"rem:cancel:{broadcast_id}" not in payloads_of(listing)


async def test_a_resident_cannot_skip_to_the_end_of_the_broadcast_flow(service: Runtime) -> None:
    chat = Chat(service, user="warga", today=TODAY)
    for payload in ("rem:now", "rem:send", "rem:aud:all", f"rem:aud:{AREA}"):
        pressed = await chat.say(f"@btn {payload}")
        assert pressed["intent"] == "siaran" and "tidak berlaku" in text_of(pressed)
    assert (await chat.say("ya"))["intent"] != "siaran"
    assert await broadcasts.broadcasts_of(service.db, None) == []
    listing = await chat.say("/siaranku")
    assert listing["intent"] == "siaran" and "hanya untuk kader" in text_of(listing)


async def test_a_role_revoked_mid_flow_cannot_send(service: Runtime) -> None:
    await roles.grant(service.db, "console:kader", roles.CADRE, AREA)
    chat = Chat(service, user="kader", today=TODAY)
    preview = await chat.run("/siaran", MESSAGE, "besok jam 08.00")
    assert "rem:send" in payloads_of(preview[-1])
    await roles.revoke(service.db, "console:kader")
    refused = await chat.say("ya")
    assert "tidak berhak" in text_of(refused)
    assert await broadcasts.broadcasts_of(service.db, None) == []


async def test_a_role_belongs_to_one_channel_identity(service: Runtime) -> None:
    """A cadre on Telegram gives no rights to the same number on WhatsApp or to a look-alike id."""
    await roles.grant(service.db, "telegram:55", roles.CADRE, AREA)
    for key, channel in (("whatsapp:55", "whatsapp"), ("telegram:055", "telegram"), ("telegram:55 ", "telegram")):
        outcome = await service.handle(Inbound(key, channel, text="/siaran"), today=TODAY)
        assert outcome.intent == "siaran" and not outcome.answered, key
        assert "hanya untuk kader" in outcome.replies[0].text
    granted = await service.handle(Inbound("telegram:55", "telegram", text="/siaran"), today=TODAY)
    assert granted.answered and "tulis pesan" in granted.replies[0].text
