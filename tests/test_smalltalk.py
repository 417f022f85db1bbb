"""Small talk: every greeting, thanks, acknowledgement and goodbye gets a short fitting answer, never the fallback.

Played through the `chat --jsonl` driver; phrases and answers come from content/smalltalk.yaml.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from bot.knowledge.check import check_directory
from tests.support.chat import Chat, payloads_of, text_of

# (message, the words the answer must hold)
FAMILIES = [
    ("trimakasih banyak kak", "Sama-sama"),
    ("makasih ya infonya", "Sama-sama"),
    ("thank you so much", "You're welcome"),  # written in English: answered in English
    ("terima kasih banyak bu, sangat membantu 🙏", "Sama-sama"),
    ("🙏", "Sama-sama"),
    ("baik, makasih", "Sama-sama"),
    ("ok siap", "Baik."),
    ("oke deh paham", "Baik."),
    ("sip", "Baik."),
    ("👍", "Baik."),
    ("baik", "Baik."),
    ("wassalam", "Sampai jumpa"),
    ("dadah", "Sampai jumpa"),
    ("udah dulu ya, dadah", "Sampai jumpa"),
    ("kamu robot ya? bisanya apa", "bot"),
    ("namamu siapa", "TanyaSehat"),
    ("ini beneran akun dinkes?", "resmi"),
    ("maaf ganggu malam2", "Tidak apa-apa"),
    ("halo kak, sehat?", "Kabar baik"),
    ("terimakasih atas jawabannya", "Sama-sama"),
    ("thanks for the info", "You're welcome"),  # "info" is a thank-you's filler, not a question about health info
    ("oh gitu ya", "Baik."),
    ("yaudah deh", "Baik."),
    ("oke nanti saya ke sana", "Baik."),  # the other words carry no meaning of their own
    ("alhamdulillah", "Syukurlah"),
    ("amin semoga sehat selalu", "Aamiin"),
    ("mantap jiwa", "Terima kasih!"),  # a compliment, not mental health
    ("pamit dulu kak", "Sampai jumpa"),
    ("wkwk", "😊"),
    ("maaf salah ketik", "Tidak apa-apa"),
    ("permisi, numpang tanya ya", "Bisa"),
    ("menunya apa saja kak", "TanyaSehat"),
    ("terima kasih atas pelayanannya", "Sama-sama"),  # "pelayanan" alone would be the puskesmas services
    ("makasih, sangat bermanfaat", "Sama-sama"),
    ("terima kasih dinkes pekanbaru", "Sama-sama"),  # the office's own name is no question
    ("lagi ngapain min", "Kabar baik"),
    ("masih aktif kak?", "Bisa"),  # is the chat still on, not whether a BPJS card is active
]
# Small talk with a few words the bot cannot read: small talk, not "I cannot answer that".
ASIDES = [
    ("oke saya coba", "Baik."),
    ("alhamdulillah anak saya sudah sembuh", "Syukurlah"),
    ("makasih, nanti saya bawa anak ke puskesmas", "Sama-sama"),
]
# ...but a question beside the small talk is still a question: out of scope, it is declined.
DECLINED = [
    "makasih, btw tau skor psps tadi malam?",
    "ok, rekomendasi bakso enak dong",
    "halo min, harga cabe skrg brp",
]
GREETINGS = [
    ("assalamualaikum", "Waalaikumsalam"),
    ("assalamualaikum wr wb", "Waalaikumsalam"),
    ("salam sejahtera", "Salam sejahtera"),
    ("om swastiastu", "Om swastiastu"),
    ("selamat sore", "Selamat sore"),
    ("met siang", "Selamat siang"),
    ("pagi min", "Selamat pagi"),
    ("met malem kak", "Selamat malam"),
    ("halo admin dinkes pekanbaru", "Halo"),
    ("selamat pagi bu bidan", "Selamat pagi"),
]


@pytest.mark.parametrize(("message", "expected"), FAMILIES)
async def test_small_talk_gets_a_short_fitting_answer(chat: Chat, message: str, expected: str) -> None:
    result = await chat.say(message)
    assert result["intent"] == "smalltalk", result
    assert expected in text_of(result)
    assert "Maaf, saya belum bisa menjawab" not in text_of(result)


@pytest.mark.parametrize(("message", "expected"), ASIDES)
async def test_small_talk_beside_words_the_bot_cannot_read_is_small_talk(
    chat: Chat, message: str, expected: str
) -> None:
    result = await chat.say(message)
    assert result["intent"] == "smalltalk", result
    assert expected in text_of(result)


@pytest.mark.parametrize("message", DECLINED)
async def test_an_out_of_scope_question_beside_small_talk_is_declined(chat: Chat, message: str) -> None:
    result = await chat.say(message)
    assert result["intent"] == "fallback", result


@pytest.mark.parametrize(("message", "expected"), GREETINGS)
async def test_greetings_at_any_time_of_day_and_religious_greetings_are_returned(
    chat: Chat, message: str, expected: str
) -> None:
    result = await chat.say(message)
    assert result["intent"] == "greeting"
    assert text_of(result).startswith(expected)
    assert "intent:imunisasi" in payloads_of(result)  # a greeting opens the menu


async def test_a_thank_you_is_short_and_shows_no_menu(chat: Chat) -> None:
    await chat.say("imunisasi bayi 2 bulan apa")
    thanks = await chat.say("makasih ya infonya")
    assert thanks["intent"] == "smalltalk"
    assert payloads_of(thanks) == []
    assert len(text_of(thanks)) < 120


async def test_an_acknowledgement_before_a_follow_up_keeps_the_follow_up(chat: Chat) -> None:
    await chat.say("imunisasi bayi 4 bulan apa")
    result = await chat.say("ok, kalau yang 9 bulan")
    assert result["intent"] == "imunisasi_usia"
    assert "9 bulan" in text_of(result)


async def test_small_talk_with_a_question_answers_the_question(chat: Chat) -> None:
    result = await chat.say("halo kak, mau tanya jadwal imunisasi")
    assert result["intent"] == "imunisasi_jadwal"
    thanks_and_question = await chat.say("makasih kak, kalau puskesmas rejosari buka hari sabtu?")
    assert thanks_and_question["intent"] == "puskesmas_jam"


async def test_a_thank_you_inside_a_guided_step_is_still_a_thank_you(chat: Chat) -> None:
    asked = await chat.say("puskesmas terdekat")
    assert asked["replies"][0]["location_request"]
    thanks = await chat.say("oke makasih")
    assert thanks["intent"] == "smalltalk"
    assert "Sama-sama" in text_of(thanks)


async def test_yes_to_an_offer_is_still_yes(chat: Chat) -> None:
    chat.today = date(2026, 11, 30)
    await chat.say("anak saya lahir 14 oktober 2026, jadwal imunisasinya?")
    result = await chat.say("ya, makasih")
    assert result["intent"] != "smalltalk"


NOT_KNOWN = "belum saya kenal"  # the kelurahan step's "that kelurahan is not known"
NOT_UNDERSTOOD = "belum saya pahami"  # the UHC check's "I did not understand that answer"
NEXT_QUESTION = "pernah terdaftar BPJS"  # the UHC check's second question, after "ya" to the first


@pytest.mark.parametrize(
    "said", ["ga jadi", "gak jadi deh kak", "oke deh nanti aja", "nanti aja kak", "makasih, ga jadi"]
)
async def test_backing_out_of_the_reminders_flow_ends_it(chat: Chat, said: str) -> None:
    await chat.say("/pengingat")
    heard = await chat.say(said)
    assert heard["intent"] == "smalltalk" and NOT_KNOWN not in text_of(heard)
    after = await chat.say("Kampung Melayu")  # the flow is over: no subscription is made
    assert not text_of(after).startswith("Terima kasih! Anda akan menerima pengingat")


@pytest.mark.parametrize("said", ["ga jadi", "oke deh nanti aja", "nanti saja kak", "udah itu aja, wassalam"])
async def test_backing_out_of_the_uhc_check_ends_it_instead_of_answering_no(chat: Chat, said: str) -> None:
    first = await chat.say("/uhc")
    heard = await chat.say(said)  # "ga" would be a no, "oke" a yes to "is your KTP from Pekanbaru?"
    assert heard["intent"] == "smalltalk" and NOT_UNDERSTOOD not in text_of(heard)
    assert text_of(heard) not in text_of(first)
    after = await chat.say("ya")  # no question is open any more
    assert NEXT_QUESTION not in text_of(after)


@pytest.mark.parametrize("said", ["ok", "oke", "ya kak", "oke siap", "ya, makasih"])
async def test_a_yes_with_small_talk_still_answers_the_uhc_check(chat: Chat, said: str) -> None:
    await chat.say("/uhc")
    yes = await chat.say(said)
    assert yes["intent"] == "uhc" and NEXT_QUESTION in text_of(yes)


@pytest.mark.parametrize("said", ["ok mksh", "baik, terima kasih", "sip makasih kak", "okay thank you"])
async def test_an_ok_with_a_thank_you_ends_the_uhc_check_politely(chat: Chat, said: str) -> None:
    # The "ok" acknowledges the UHC answer and the thanks says the resident is done: no "yes" to "is your KTP
    # from Pekanbaru?" (which asked on about a BPJS card nobody mentioned). "ya, makasih" is still a yes.
    await chat.say("/uhc")
    heard = await chat.say(said)
    assert heard["intent"] == "smalltalk" and NEXT_QUESTION not in text_of(heard)
    assert NEXT_QUESTION not in text_of(await chat.say("ya"))  # no question is open any more


async def test_a_thank_you_in_the_uhc_check_keeps_the_question_open(chat: Chat) -> None:
    await chat.say("/uhc")
    heard = await chat.say("makasih kak")
    assert heard["intent"] == "smalltalk" and NOT_UNDERSTOOD not in text_of(heard)
    assert NEXT_QUESTION in text_of(await chat.say("ya"))


@pytest.mark.parametrize("said", ["ga jadi", "nanti aja deh", "dadah kak"])
async def test_backing_out_of_the_birth_date_question_ends_it(chat: Chat, said: str) -> None:
    chat.today = date(2026, 11, 30)
    asked = await chat.say("jadwal imunisasi anak saya")
    assert "tanggal lahir" in text_of(asked).lower()
    heard = await chat.say(said)
    assert heard["intent"] == "smalltalk" and "tanggal lahir" not in text_of(heard).lower()
    later = await chat.say("lahir 2 agustus 2026")  # a date is still a question of its own
    assert later["intent"] == "imunisasi_pribadi"


async def test_content_check_validates_the_small_talk_file(content_dir: Path) -> None:
    path = content_dir / "smalltalk.yaml"
    text = path.read_text(encoding="utf-8")
    broken = text.replace("    intent: greeting", "    intent: salam", 1).replace(
        "informasi {office}", "informasi {kantor}", 1
    )
    broken = broken.replace("dadah, dada,", "makasih, dadah, dada,", 1)
    path.write_text(broken, encoding="utf-8")
    out = io.StringIO()
    assert check_directory(content_dir, out) == 1
    report = out.getvalue()
    assert "smalltalk.yaml" in report
    assert "intent must be one of" in report
    assert "unknown placeholder {kantor}" in report
    assert "'makasih' is already a phrase of family 'thanks'" in report


async def test_is_that_all_after_an_answer_is_a_question_not_a_goodbye(chat: Chat) -> None:
    await chat.say("syarat daftar uhc apa")
    asked = await chat.say("itu aja?")  # "that's all?" asks whether the list is complete
    assert asked["intent"] == "uhc_dokumen"
    done = await chat.say("ok makasih, itu aja")
    assert done["intent"] == "smalltalk"
