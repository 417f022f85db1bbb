"""Thanks, "never mind" and goodbyes in the middle of a guided flow: small talk, never an error about the input.

A flow step that cannot read "makasih kak" lets the small talk answer; "ga jadi" or "udah itu aja"
ends the flow with a short line, even where "oke"/"udah" alone would answer a yes/no question.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.runtime import Runtime
from tests.support.chat import Chat, text_of

TODAY = date(2026, 11, 30)
NOT_KNOWN = "belum saya kenal"  # the kelurahan step's "that kelurahan is not known"
NOT_UNDERSTOOD = "belum saya pahami"  # the UHC check's "I did not understand that answer"
NEXT_QUESTION = "pernah terdaftar BPJS"  # the UHC check's second question, after "ya" to the first


def chat(service: Runtime, user: str) -> Chat:
    return Chat(service, user=user, today=TODAY)


@pytest.mark.parametrize("said", ["makasih kak", "ok mksh", "dah", "iya kak"])
async def test_thanks_in_the_reminders_flow_is_small_talk_and_the_question_stays(service: Runtime, said: str) -> None:
    talk = chat(service, "rem_thanks")
    await talk.say("/pengingat")
    heard = await talk.say(said)
    assert heard["intent"] == "smalltalk" and NOT_KNOWN not in text_of(heard)
    subscribed = await talk.say("Kampung Melayu")  # the kelurahan can still be given
    assert subscribed["intent"] == "pengingat" and "Kampung Melayu" in text_of(subscribed)


@pytest.mark.parametrize(
    "said", ["ga jadi", "gak jadi deh kak", "oke deh nanti aja", "udah itu aja", "makasih, ga jadi"]
)
async def test_backing_out_of_the_reminders_flow_ends_it(service: Runtime, said: str) -> None:
    talk = chat(service, "rem_cancel")
    await talk.say("/pengingat")
    heard = await talk.say(said)
    assert heard["intent"] == "smalltalk" and NOT_KNOWN not in text_of(heard)
    after = await talk.say("Kampung Melayu")  # the flow is over: no subscription is made
    assert not text_of(after).startswith("Terima kasih! Anda akan menerima pengingat")


async def test_ga_jadi_says_how_to_start_again(service: Runtime) -> None:
    talk = chat(service, "rem_again")
    await talk.say("/pengingat")
    assert "menu" in text_of(await talk.say("ga jadi"))


async def test_a_real_kelurahan_still_subscribes(service: Runtime) -> None:
    talk = chat(service, "rem_real")
    await talk.say("/pengingat")
    assert "Kelurahan Kampung Melayu" in text_of(await talk.say("Kampung Melayu"))


@pytest.mark.parametrize("said", ["ga jadi", "oke deh nanti aja", "udah itu aja", "nanti saja kak"])
async def test_backing_out_of_the_uhc_check_ends_it(service: Runtime, said: str) -> None:
    talk = chat(service, "uhc_cancel")
    first = await talk.say("/uhc")
    heard = await talk.say(said)
    assert heard["intent"] == "smalltalk" and NOT_UNDERSTOOD not in text_of(heard)
    assert text_of(heard) not in text_of(first)  # not the next question, not the same one
    after = await talk.say("ya")  # no question is open any more: "ya" does not answer the KTP question
    assert NEXT_QUESTION not in text_of(after)


async def test_thanks_in_the_uhc_check_keeps_the_question_open(service: Runtime) -> None:
    talk = chat(service, "uhc_thanks")
    await talk.say("/uhc")
    heard = await talk.say("makasih kak")
    assert heard["intent"] == "smalltalk" and NOT_UNDERSTOOD not in text_of(heard)
    assert NEXT_QUESTION in text_of(await talk.say("ya"))  # the KTP question still takes its answer


@pytest.mark.parametrize("said", ["ok", "oke", "ok mksh"])
async def test_ok_is_still_a_yes_in_the_uhc_check(service: Runtime, said: str) -> None:
    talk = chat(service, "uhc_ok")
    await talk.say("/uhc")
    yes = await talk.say(said)
    assert yes["intent"] == "uhc" and NEXT_QUESTION in text_of(yes)  # the KTP question answered yes: the next one


async def test_backing_out_of_the_birth_date_question_ends_it(service: Runtime) -> None:
    talk = chat(service, "imun_cancel")
    asked = await talk.say("jadwal imunisasi anak saya")
    assert "tanggal lahir" in text_of(asked).lower()
    heard = await talk.say("ga jadi")
    assert heard["intent"] == "smalltalk"
