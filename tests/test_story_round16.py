"""Stories of round 16 (issue 19, bench/RESULTS.md "Round 16: stories and typos by mechanism"): what the teller's
background names against what is asked. The wording is our own, written from how residents tell their stories."""

from __future__ import annotations

from bot.engine import story
from bot.engine.story import Question
from bot.engine.understanding import Match, Understanding
from tests.support.chat import Chat

PHK = (
    "sy baru kena phk bulan lalu, bpjs dr kantor udh diputus dan kartunya gk aktif lagi. istri lg hamil 8 bulan. "
    "bisa langsung didaftarkan ke bpjs gratis dari pemko gk ya?"
)
REGISTER = "bisa langsung didaftarkan ke bpjs gratis dari pemko gk ya?"


def test_a_question_that_names_its_own_entry_stands_apart_from_the_background(danger: Understanding) -> None:
    # the card that stopped is background; registering with the city is what is asked, and the question says so
    asked = Question(REGISTER, Match("uhc_daftar", 0.74))
    assert story.stands_apart(danger, PHK, Match("uhc_nonaktif", 0.6), asked)
    # ...but not when the whole story fits its entry about as well
    assert not story.stands_apart(danger, PHK, Match("uhc_nonaktif", 0.7), asked)
    # ...nor against the topic's overview, which answers a story's broad question as often as the sibling does
    assert not story.stands_apart(danger, PHK, Match("uhc", 0.6), asked)


def test_a_question_that_names_nothing_of_its_own_leans_on_the_story(danger: Understanding) -> None:
    text = (
        "sy kader posyandu di rw 04. ada 2 balita yg timbangannya turun terus 3 bulan ini, ibunya bilang susah "
        "makan. sy harus lapor kemana ya?"
    )
    asked = Question("sy harus lapor kemana ya?", Match("pengaduan", 0.86))
    assert not story.stands_apart(danger, text, Match("pertumbuhan_anak", 0.6), asked)


def test_a_question_read_with_the_clauses_before_it_does_not_stand_apart(danger: Understanding) -> None:
    text = "bpjs sy mati krn phk. istri hamil. bisa langsung didaftarkan ke bpjs gratis dari pemko gk ya?"
    asked = Question(f"istri hamil {REGISTER}", Match("uhc_daftar", 0.74))
    assert not story.stands_apart(danger, text, Match("uhc_nonaktif", 0.6), asked)


async def test_the_kia_book_told_in_a_childs_story_is_no_pregnancy_question(chat: Chat) -> None:
    # the KIA book is the child's record of immunization as much as the mother's of her pregnancy
    result = await chat.say(
        "buku pink anak sy ada di rumah mertua, anaknya skrg 15 bulan. sy ga yakin udh lengkap apa belum, "
        "kalo mau ngejar yg ketinggalan bisa di puskesmas?"
    )
    assert result["intent"] == "imunisasi_kejar"


async def test_a_pregnant_mother_asking_for_the_kia_book_is_answered_on_pregnancy(chat: Chat) -> None:
    result = await chat.say("ibu hamil dapat buku kia di mana")
    assert result["intent"] == "anc"
