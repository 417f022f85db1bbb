"""The school immunization answer says what HPV protects from (round 14, issue 19): stories of a school's HPV letter
("katanya bikin mandul") ask what it is for. The wording is our own."""

from __future__ import annotations

from tests.support.chat import Chat, text_of


async def test_the_school_immunization_answer_says_what_hpv_protects_from(chat: Chat) -> None:
    result = await chat.say("imunisasi hpv anak kelas 5 sd")
    assert result["intent"] == "imunisasi_bias"
    assert "kanker leher rahim" in text_of(result)
