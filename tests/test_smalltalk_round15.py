"""Small talk and requests for a person, as Pekanbaru residents write them: never the fallback, never a topic.

Written from field knowledge of how residents chat with a health office (Indonesian, Riau Malay, English, chat
spellings, emoji), not taken from the blind sets. Each message is played through the `chat --jsonl` driver as a
new resident's first message; small talk must get a small-talk answer of its family (content/smalltalk.yaml), a
request for a person must open a handover (features/handover.py and smalltalk.yaml `handover`).
"""

from __future__ import annotations

import pytest

from bot.engine.types import Inbound
from bot.runtime import Runtime
from tests.support.chat import Chat, text_of

NOT_ANSWERED = ("Maaf, saya belum bisa menjawab", "Sorry, I can't answer")

# What each family's answer says, in Indonesian or English (the answer follows the message's language).
HELLO = ("Saya TanyaSehat", "I'm TanyaSehat")
SALAM = ("Waalaikumsalam", "Wa alaikum salam")
THANKS = ("Sama-sama", "You're welcome")
OK = ("Baik.", "Alright.")
BYE = ("Sampai jumpa", "Goodbye")
AMEN = ("Aamiin", "Amen")
GLAD = ("Syukurlah", "Glad to hear")
ABOUT = ("asisten otomatis", "automated assistant")
OFFICIAL = ("resmi", "official")
PRAISE = ("Senang bisa membantu", "Glad to help")
SMILE = ("😊",)
WELL = ("Kabar baik", "I'm well")
SORRY = ("Tidak apa-apa", "No problem")
ASK = ("Silakan ketik pertanyaan", "Please type your question")
REPLY = ("Ada yang bisa saya bantu", "How can I help")

GREETINGS = [
    ("halo", HELLO),
    ("haloo kak", HELLO),
    ("hai min", HELLO),
    ("hallo selamat pagi", ("Selamat pagi", "Good morning")),
    ("selamat pagi bu", ("Selamat pagi", "Good morning")),
    ("met pagi min", ("Selamat pagi", "Good morning")),
    ("siang kak", ("Selamat siang", "Good day")),
    ("selamat sore kakak", ("Selamat sore", "Good afternoon")),
    ("malam kak", ("Selamat malam", "Good evening")),
    ("selamat malam bu bidan", ("Selamat malam", "Good evening")),
    ("assalamualaikum", SALAM),
    ("assalamu'alaikum wr. wb.", SALAM),
    ("asslmkm min", SALAM),
    ("permisi", HELLO),
    ("p", HELLO),
    ("pagi semua", ("Selamat pagi", "Good morning")),
    ("halo dinkes pekanbaru", HELLO),
    # Riau Malay: who is addressed (cik, pak cik, mak cik, abang) is no question
    ("assalamualaikum cik", SALAM),
    ("assalamualaikum pak cik", SALAM),
    ("salam mak cik", HELLO),
    ("selamat pagi abang", ("Selamat pagi", "Good morning")),
    ("hai bang", HELLO),
    # English
    ("hi", HELLO),
    ("hello there", HELLO),
    ("good morning", ("Good morning", "Selamat pagi")),
    ("good afternoon!", ("Good afternoon", "Selamat sore")),
    ("hi team", HELLO),
]

SMALL_TALK = [
    # thanks, as typed, with what it is for
    ("makasih kak", THANKS),
    ("terima kasih banyak", THANKS),
    ("trims ya", THANKS),
    ("tq min", THANKS),
    ("thx", THANKS),
    ("makasi bnyk", THANKS),
    ("terimakasih bu bidan", THANKS),
    ("makasih dok", THANKS),
    ("makasih infonya, sangat membantu", THANKS),
    ("mksh bnyk kak", THANKS),
    ("oke makasih", THANKS),
    ("makasih min 🙏🙏", THANKS),
    ("terima kasih, semoga sehat selalu", THANKS),
    ("makasih udah dijawab", THANKS),
    ("makasih ya sudah direspon cepat", THANKS),
    ("makasih yaa kak, berguna banget infonya", THANKS),
    ("terima kasih atas penjelasannya bu", THANKS),
    ("terima kasih banyak, sangat informatif", THANKS),
    ("terima kasih atas waktunya", THANKS),
    ("makasih kak, udah dibales", THANKS),
    # Riau Malay thanks
    ("tarimo kasih", THANKS),
    ("terimo kasih banyak", THANKS),
    ("tarimo kasih yo", THANKS),
    ("terime kasih cik", THANKS),
    ("terima kasih banyak pak cik", THANKS),
    # English thanks
    ("thank you", THANKS),
    ("thanks a lot", THANKS),
    ("thank you so much for your help", THANKS),
    ("cheers", THANKS),
    ("many thanks", THANKS),
    ("thanks, that's really helpful", THANKS),
    ("appreciate it", THANKS),
    ("thanks again", THANKS),
    # acknowledgements
    ("ok", OK),
    ("okee", OK),
    ("sipp", OK),
    ("siap kak", OK),
    ("baik bu", OK),
    ("baiklah", OK),
    ("paham", OK),
    ("oh gitu", OK),
    ("o gt", OK),
    ("owh gitu", OK),
    ("ok noted", OK),
    ("noted kak", OK),
    ("iya kak", OK),
    ("yaudah deh", OK),
    ("okedeh", OK),
    ("siap 86", OK),
    ("oke sip", OK),
    ("gpp kak", OK),
    ("gapapa", OK),
    ("ok siap, nanti saya ke puskesmas", OK),
    ("baik kak, akan saya coba", OK),
    ("oh ternyata gitu", OK),
    ("sudah jelas kak", OK),
    ("udah kak", OK),
    ("dah", OK),
    ("terima kasih kembali", OK),
    # Riau Malay acknowledgements
    ("oh yo lah", OK),
    ("iyo lah", OK),
    ("jadi lah", OK),
    ("baiklah kalau macam tu", OK),
    ("dah faham", OK),
    # English acknowledgements
    ("okay", OK),
    ("got it", OK),
    ("i see", OK),
    ("understood", OK),
    ("will do", OK),
    ("sounds good", OK),
    ("no worries", OK),
    # goodbyes
    ("dadah", BYE),
    ("bye bye kak", BYE),
    ("wassalam", BYE),
    ("wassalamualaikum", BYE),
    ("sudah dulu ya kak", BYE),
    ("pamit ya", BYE),
    ("met bobo ya kak", BYE),
    ("selamat istirahat kak", BYE),
    ("see you", BYE),
    ("good night", BYE),
    ("take care", BYE),
    ("cukup sekian, terima kasih", THANKS),
    # religious replies and blessings
    ("aamiin", AMEN),
    ("amin ya rabb", AMEN),
    ("barakallah", AMEN),
    ("aamiin, semoga sehat selalu", AMEN),
    ("semoga berkah ya min", AMEN),
    ("semoga petugasnya sehat selalu", AMEN),
    ("waalaikumsalam", REPLY),
    ("walaikumsalam wr wb", REPLY),
    ("jazakallah khairan", THANKS),
    ("alhamdulillah", GLAD),
    ("syukurlah", GLAD),
    ("masyaallah", GLAD),
    ("puji tuhan", GLAD),
    ("alhamdulillah anak saya sudah diimunisasi", GLAD),
    ("alhamdulillah, lega rasanya", GLAD),
    # compliments
    ("mantap", PRAISE),
    ("mantul kak", PRAISE),
    ("keren banget botnya", PRAISE),
    ("cepet banget balesnya", PRAISE),
    ("gercep banget", PRAISE),
    ("good job", PRAISE),
    ("well done", PRAISE),
    # laughter, reactions, emoji
    ("wkwk", SMILE),
    ("wkwkwkwk", SMILE),
    ("hahaha", SMILE),
    ("hehe", SMILE),
    ("😂", SMILE),
    ("🤗", SMILE),
    ("💪", SMILE),
    ("😀", SMILE),
    ("🙏", THANKS),
    ("🙏🏻", THANKS),
    ("👍", OK),
    ("👍🏽👍🏽", OK),
    ("👏👏", PRAISE),
    ("🥰", PRAISE),
    # how are you
    ("apa kabar kak", WELL),
    ("ape kabo cik", WELL),
    ("assalamualaikum pak cik, ape kabo hari ni", SALAM + WELL),
    ("hope you're doing well", WELL),
    ("how are you", WELL),
    # who are you, what can you do, is this official
    ("kamu siapa", ABOUT),
    ("ini bot ya", ABOUT),
    ("ini dibalas orang atau mesin", ABOUT),
    ("bisa apa aja", ABOUT),
    ("bot ini bisa ngapain", ABOUT),
    ("tanyasehat itu apa", ABOUT),
    ("who is this", ABOUT),
    ("who am i chatting with?", ABOUT),
    ("what can this bot do", ABOUT),
    ("awak ni siape", ABOUT),
    ("ni robot ke", ABOUT),
    ("ini nomor siapa ya? saya dapat dari grup wa posyandu", ABOUT),
    ("kamu siapa? kok nomor ini ada di hp saya", ABOUT),
    ("ini nomor resmi dinkes kan?", OFFICIAL),
    ("bot ini resmi dari pemkot?", OFFICIAL + ABOUT),
    ("is this legit?", OFFICIAL),
    # apologies, asking whether one may ask
    ("maaf ganggu kak", SORRY),
    ("sorry salah kirim", SORRY),
    ("mau tanya dong", ASK),
    ("nak tanyo sikit", ASK),
    ("masih aktif kak?", ASK),
    # the resident will ask later, passes the answer on, wishes the office well
    ("nanti saya tanya lagi ya", ("tidak apa-apa", "no problem")),
    ("oke nanti saya hubungi lagi", ("tidak apa-apa", "no problem")),
    ("baik bu, nanti saya sampaikan ke istri saya", OK),
    ("you too", OK),
    ("semoga dinkes makin maju", AMEN),
    ("sedap betul layanan ni", PRAISE),
    ("laju betul jawab", PRAISE),
    ("horas", HELLO),
    ("assalamualaikum wbt", SALAM),
    # small talk that tells beside it and asks nothing
    ("makasih min, tadi anak saya sudah diimunisasi di puskesmas, petugasnya ramah", THANKS),
    ("oke deh, nanti saya coba datang lagi", OK),
]

HANDOVER = [
    "mau bicara dengan petugas",
    "sambungkan ke admin",
    "ada admin?",
    "bisa chat sama orang?",
    "saya mau ngomong sama manusia",
    "tolong hubungkan ke petugas dinkes",
    "hubungi petugas",
    "minta cs",
    "bisa telpon saya?",
    "tolong telpon balik",
    "ada petugas yang bisa bantu?",
    "saya mau sama admin aja",
    "min tolong dibalas",
    "minta nomor wa petugas",
    "mau bicara langsung dengan petugas dinkes",
    "ada operator?",
    "botnya ga ngerti, saya mau sama orang aja",
    "I want to talk to a human",
    "can I speak to someone",
    "real person please",
    "agent please",
    "connect me to staff",
    "can a staff member call me",
    "ambo nak cakap dengan petugas",
    "nak cakap dengan orang",
    "ado urang yang boleh tolong?",
    "bagi nombor pegawai",
    "tak reti ambo, ado pegawai yang boleh tolong?",
    "kartu berobat ibu saya ditolak di rumah sakit padahal aktif, saya mau komplain",
    "sudah tiga kali saya tanya soal kartu bpjs ibu saya yang tidak bisa dipakai tapi jawabannya tidak pas terus, "
    "padahal ibu sedang dirawat dan rumah sakit minta bayar umum, saya sudah capek, "
    "tolong hubungkan saya dengan petugas dinkes yang bisa bantu langsung",
]


def _fitting(result: dict, expected: tuple[str, ...]) -> bool:
    text = text_of(result)
    return any(words in text for words in expected) and not any(no in text for no in NOT_ANSWERED)


async def _first_messages(service: Runtime, messages: list[str]) -> list[dict]:
    """Each message as the first of a new resident (one bot for the whole list: building one takes a second)."""
    return [await Chat(service, user=f"resident{i}").say(message) for i, message in enumerate(messages)]


async def test_a_greeting_is_greeted_back(service: Runtime) -> None:
    results = await _first_messages(service, [m for m, _ in GREETINGS])
    wrong = [
        (m, r["intent"], text_of(r)[:60])
        for (m, expected), r in zip(GREETINGS, results, strict=True)
        if r["intent"] != "greeting" or not _fitting(r, expected)
    ]
    assert not wrong


async def test_small_talk_gets_its_short_answer(service: Runtime) -> None:
    results = await _first_messages(service, [m for m, _ in SMALL_TALK])
    wrong = [
        (m, r["intent"], text_of(r)[:60])
        for (m, expected), r in zip(SMALL_TALK, results, strict=True)
        if r["intent"] not in {"smalltalk", "greeting"} or not _fitting(r, expected)
    ]
    assert not wrong


async def test_a_person_asked_for_in_everyday_words_opens_a_handover(service: Runtime) -> None:
    results = await _first_messages(service, HANDOVER)
    wrong = [
        (m, r["intent"], text_of(r)[:60]) for m, r in zip(HANDOVER, results, strict=True) if r["intent"] != "handover"
    ]
    assert not wrong


def test_the_lists_hold_at_least_150_messages() -> None:
    assert len(GREETINGS) + len(SMALL_TALK) + len(HANDOVER) >= 150


async def test_a_sticker_gets_a_smile_not_please_type(service: Runtime) -> None:
    outcome = await service.handle(Inbound("console:sticker", "console", unsupported="sticker"))
    assert outcome.intent == "smalltalk"
    assert "😊" in outcome.replies[0].text
    photo = await service.handle(Inbound("console:photo", "console", unsupported="photo"))
    assert photo.intent == "unsupported"  # a photo may hold a question we cannot read


# Small talk beside a real question answers the question; a story's or an announcement's own question too.
QUESTIONS = [
    ("makasih kak, kalau imunisasi campak umur berapa?", "imunisasi_vaksin"),
    ("oke, syarat daftar uhc apa aja?", "uhc_dokumen"),
    ("assalamualaikum, anak saya 2 bulan imunisasi apa saja?", "imunisasi_usia"),
    ("wkwk oke, posyandu bulan ini kapan?", "posyandu"),
    ("makasih. anak saya demam setelah imunisasi kemarin, normal ga?", "imunisasi_kipi"),
    ("ini siapa ya? saya mau daftar uhc", "uhc_daftar"),
]


@pytest.mark.parametrize(("message", "intent"), QUESTIONS)
async def test_small_talk_beside_a_question_answers_the_question(chat: Chat, message: str, intent: str) -> None:
    assert (await chat.say(message))["intent"] == intent


@pytest.mark.parametrize(
    "message", ["kak bisa bantu buat cv lamaran kerja", "makasih, btw tau skor psps tadi malam?", "halo, jual pulsa?"]
)
async def test_an_out_of_scope_request_beside_small_talk_is_still_declined(chat: Chat, message: str) -> None:
    assert (await chat.say(message))["intent"] == "fallback"


@pytest.mark.parametrize("message", ["kamu robot atau orang beneran?", "awak robot ke orang betul ni?"])
async def test_asking_whether_the_bot_is_a_person_asks_for_nobody(chat: Chat, message: str) -> None:
    assert (await chat.say(message))["intent"] == "smalltalk"


async def test_a_word_that_is_small_talk_alone_is_no_small_talk_beside_a_question(chat: Chat) -> None:
    result = await chat.say("dah 4 bulan, imunisasi apa ya")
    assert result["intent"] != "smalltalk"
