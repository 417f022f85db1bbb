"""/kader as staff type it: a real platform id is not a phone number or a NIK; an area may be a name of two words."""

from __future__ import annotations

from datetime import date

import pytest

from bot.privacy import redact
from bot.runtime import Runtime
from bot.storage import roles
from tests.support.chat import Chat, text_of

TODAY = date(2026, 11, 23)


@pytest.fixture
async def staff(service: Runtime) -> Chat:
    await roles.grant(service.db, "console:staf", roles.STAFF, None)
    return Chat(service, user="staf", today=TODAY)


async def test_kader_with_a_real_telegram_id_exactly_as_the_usage_shows(service: Runtime, staff: Chat) -> None:
    result = await staff.say("/kader telegram:5012345678 14.71.02.1002")
    assert result["intent"] == "kader" and "Sumahilang" in text_of(result)
    assert "NIK" not in text_of(result) and "nomor" not in text_of(result).lower()  # no privacy warning
    grant = await roles.role_of(service.db, "telegram:5012345678")
    assert grant is not None and grant.role == roles.CADRE and grant.may_reach("14.71.02.1002")
    revoked = await staff.say("/kader hapus telegram:5012345678")
    assert "dicabut" in text_of(revoked) and await roles.role_of(service.db, "telegram:5012345678") is None


async def test_kader_with_a_whatsapp_id(service: Runtime, staff: Chat) -> None:
    result = await staff.say("/kader whatsapp:6281234567890 14.71.02.1002")
    assert "Sumahilang" in text_of(result)
    assert await roles.role_of(service.db, "whatsapp:6281234567890") is not None


async def test_kader_with_a_two_word_kelurahan_name(service: Runtime, staff: Chat) -> None:
    result = await staff.say("/kader telegram:5012345678 Simpang Empat")
    assert "Simpang Empat" in text_of(result)
    grant = await roles.role_of(service.db, "telegram:5012345678")
    assert grant is not None and grant.may_reach("14.71.02.1001") and not grant.may_reach("14.71.02.1002")


@pytest.mark.parametrize(
    "typed",
    [
        "nomor saya 5012345678 14.71.02.1002",  # the same digits outside a staff command are still redacted
        "telegram:5012345678 14.71.02.1002",
        "whatsapp:081234567890",
        "/kaderku 081234567890",
        "/kader telegram:5012345678 14.71.02.1002 hp saya 0812-3456-7890",  # a number beside the id
        "/kader 6281234567890 14.71.02.1002",  # no channel prefix: a phone number
    ],
)
def test_real_numbers_are_still_redacted(typed: str) -> None:
    assert redact(typed).kinds & {"nik", "phone"}


def test_platform_id_in_a_staff_command_is_kept() -> None:
    for typed in ("/kader telegram:5012345678 14.71.02.1002", "/KADER@TanyaSehatBot whatsapp:6281234567890 14.71"):
        kept = redact(typed)
        assert kept.text == typed and not kept.kinds
