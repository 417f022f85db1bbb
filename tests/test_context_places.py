"""Another place for the question in hand ("kalo puskesmas melur?" after Puskesmas Sail's hours), played through
the `chat --jsonl` driver as one user."""

from __future__ import annotations

from tests.support.chat import Chat, text_of


async def test_another_puskesmas_asks_the_same_about_it(chat: Chat) -> None:
    first = await chat.say("jam buka puskesmas rejosari")
    assert first["intent"] == "puskesmas_jam"
    result = await chat.say("kalau puskesmas sidomulyo?")
    assert result["intent"] == "puskesmas_jam", result["intent"]
    assert "Sidomulyo" in text_of(result)


async def test_another_place_for_a_service_asks_the_service_again(chat: Chat) -> None:
    first = await chat.say("mau tes hiv diam-diam")
    assert first["intent"] == "hiv"
    result = await chat.say("kalau di puskesmas rumbai bisa?")
    assert result["intent"] == "hiv", result["intent"]


async def test_a_place_with_a_question_of_its_own_is_a_new_question(chat: Chat) -> None:
    await chat.say("mau tes hiv diam-diam")
    result = await chat.say("kalau di puskesmas rumbai ada dokter gigi?")
    assert result["intent"] != "hiv", result["intent"]


async def test_after_the_hospitals_a_question_about_something_else_is_not_their_list(chat: Chat) -> None:
    first = await chat.say("rumah sakit yang ada igd di pekanbaru")
    assert first["intent"] == "rumah_sakit"
    result = await chat.say("sekalian, kantin di sana jual nasi padang murah gak?")
    assert result["intent"] != "rumah_sakit", result["intent"]
    short = await chat.say("alamatnya?")  # a slight question still asks about the hospitals
    assert short["intent"] == "rumah_sakit", short["intent"]


async def test_a_service_asked_there_is_about_the_puskesmas_in_hand(chat: Chat) -> None:
    # "ada imunisasi ga disana" after a puskesmas's hours asks what that puskesmas offers, not the hours again.
    await chat.say("puskesmas rejosari buka jam berapa")
    result = await chat.say("ada imunisasi ga disana")
    assert result["intent"] == "puskesmas_layanan", result["intent"]
    await chat.say("menu")
    await chat.say("what time does puskesmas sail close?")
    result = await chat.say("do they do vaccinations there?")
    assert result["intent"] == "puskesmas_layanan", result["intent"]


async def test_a_program_or_another_place_asked_there_is_its_own_question(chat: Chat) -> None:
    await chat.say("puskesmas rejosari buka jam berapa")
    result = await chat.say("bisa cek kesehatan gratis disitu?")
    assert result["intent"].startswith("ckg"), result["intent"]
    await chat.say("menu")
    await chat.say("puskesmas rejosari buka jam berapa")
    result = await chat.say("posyandu di sekitar situ ada gak")
    assert result["intent"] != "puskesmas_layanan", result["intent"]


async def test_a_day_asked_after_a_puskesmas_is_about_that_puskesmas(chat: Chat) -> None:
    await chat.say("puskesmas rejosari buka jam berapa")
    for said in ("sabtu buka?", "itu buka sabtu?"):
        result = await chat.say(said)  # names the hours' words again, but no puskesmas: the one in hand
        assert result["intent"] == "puskesmas_jam" and "Rejosari" in text_of(result), said
