"""Stories of round 14 (issue 19): a question that names its own topic is answered on it, whatever the story around
it is about; a story whose question and whole both fit one entry weakly (English stories mostly) is answered on it;
the school immunization answer says what HPV protects from. The wording is our own."""

from __future__ import annotations

from bot.engine import story
from bot.engine.understanding import Understanding
from tests.support.chat import Chat, text_of

LOW_ABROAD = (
    "Hello, we moved here from Medan last year for my job. Lately I have been feeling very low, I cannot sleep and "
    "nothing makes me happy anymore. My wife is worried. Is there any counseling service at the puskesmas?"
)
CAT = (
    "Hello, I teach at a language school and my students often ask me things. One of them has a cat that has not "
    "been vaccinated. Where can the cat get a rabies vaccine in town?"
)


async def test_a_question_naming_its_own_topic_is_answered_on_it_not_on_the_story(chat: Chat) -> None:
    # the story is of blood pressure and its monthly medicine; the question is why the card stopped working
    result = await chat.say(
        "ibu sy penderita darah tinggi sudah 8 tahun, tiap bulan ambil obat di puskesmas pakai kartu dari pemko. "
        "kemarin pas mau ambil obat katanya kartunya tidak aktif. kenapa bisa nonaktif dan gimana cara aktifkan lagi?"
    )
    assert result["intent"] == "uhc_nonaktif"


def test_a_weak_question_and_a_weak_story_that_agree_name_the_entry(danger: Understanding) -> None:
    agreed = story.agreed(danger, LOW_ABROAD, "en")
    assert agreed is not None and agreed.intent_id == "kesehatan_jiwa"


def test_a_story_whose_readings_do_not_agree_on_a_clear_entry_names_none(danger: Understanding) -> None:
    assert story.agreed(danger, CAT, "en") is None


async def test_the_school_immunization_answer_says_what_hpv_protects_from(chat: Chat) -> None:
    result = await chat.say("imunisasi hpv anak kelas 5 sd")
    assert result["intent"] == "imunisasi_bias"
    assert "kanker leher rahim" in text_of(result)
