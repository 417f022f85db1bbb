"""Stories of round 15 (issue 19, bench/RESULTS.md "Round 15: follow-ups and stories by mechanism"): the teller's
introduction ("saya kader posyandu di ...", "I'm a nurse") says who asks, not what is asked. The wording is our
own."""

from __future__ import annotations

from bot.engine import story
from bot.engine.understanding import Understanding
from tests.support.chat import Chat

CADRE = (
    "sy kader posyandu di kel. kampung melayu. ada bayi 3 bulan yg belum pernah diimunisasi, ibunya takut. "
    "sekarang masih bisa dikejar ga?"
)


async def test_a_cadre_asking_about_a_child_is_answered_on_the_child_not_the_posyandu(chat: Chat) -> None:
    result = await chat.say(CADRE)
    assert result["intent"] == "imunisasi_kejar"  # the posyandu of the introduction is no question


def test_the_teller_is_left_out_only_when_the_story_goes_on(danger: Understanding) -> None:
    assert story.without_teller(danger, CADRE).startswith("kampung melayu. ada bayi 3 bulan")
    nurse = "Hello, I am a nurse from Malaysia. My son is 4 months old and missed his polio. Can he still catch up?"
    assert (
        story.without_teller(danger, nurse)
        == "Hello, My son is 4 months old and missed his polio. Can he still catch up?"
    )
    plain = "saya ibu rumah tangga, anak saya 4 bulan belum imunisasi polio yang kedua, masih bisa dikejar ga?"
    assert story.without_teller(danger, plain) == plain  # a mother telling of her child: no role of her own
