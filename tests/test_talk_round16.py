"""Round 16: a resident's first small talk in the language it is written in, who the resident is talking with, Minang
spellings, and questions about other places' hospitals or shopping that share a health word (declined).

Written from field knowledge of how Pekanbaru residents chat (Indonesian chat spellings, Riau Malay, Minang, English),
not taken from the blind sets. Each message is a new resident's first message through the `chat --jsonl` driver.
"""

from __future__ import annotations

import pytest

from bot.engine.langdetect import detect, unstretched
from bot.runtime import Runtime
from tests.support.chat import Chat, text_of

ENGLISH_ANSWER = ("Alright", "Hello!", "You're welcome", "I'm TanyaSehat", "Good ")


# A chat word with stretched letters is the word ("okee" is "oke"): no English, the conversation's language stays.
@pytest.mark.parametrize(
    "text",
    [
        "okee", "okeee", "sipp", "sippp", "siappp", "haiii", "hallo", "hallooo", "byee", "heyy", "soree", "iyee",
        "ocee", "mantabbb", "siippp", "puntenn", "yowess", "pinterr", "aslm", "asslmlkm", "wkwkk", "mkshh", "wslmm",
        "awkwk", "awokwok", "tqqq", "owhhh",
    ],
)  # fmt: skip
def test_a_stretched_or_shortened_chat_word_is_not_english(text: str) -> None:
    assert detect(text) != "en"


@pytest.mark.parametrize("text", ["hello", "helloo", "thanks", "thankss", "sorry", "morning", "noted"])
def test_a_lone_english_word_still_reads_english(text: str) -> None:
    assert detect(text) == "en"


@pytest.mark.parametrize(
    ("word", "plain"), [("okee", "oke"), ("haiii", "hai"), ("sipp", "sip"), ("helloo", "hello"), ("hello", "hello")]
)
def test_unstretched(word: str, plain: str) -> None:
    assert unstretched(word) == plain


async def _first_messages(service: Runtime, messages: list[str]) -> list[dict]:
    return [await Chat(service, user=f"talk16-{i}").say(m) for i, m in enumerate(messages)]


async def test_a_first_okee_sipp_or_haiii_is_answered_in_indonesian(service: Runtime) -> None:
    said = ["okee", "sipp", "haiii", "okeee kak", "siappp", "hallooo", "byee", "wkwkk", "mkshh"]
    results = await _first_messages(service, said)
    wrong = [(m, text_of(r)[:50]) for m, r in zip(said, results, strict=True) if text_of(r).startswith(ENGLISH_ANSWER)]
    assert not wrong
    assert all(r["intent"] in {"smalltalk", "greeting"} for r in results)


ABOUT = ("asisten otomatis", "automated assistant")
WHO = [
    "Hello, who am I talking to?",
    "Hello? Who am I talking to right now?",
    "hello, who am I talking to here",
    "Hello, who is talking to me?",
    "hi, is this a real person?",
    "Hello, am I talking to a real person?",
    "is this automated?",
    "who runs this account?",
    "who is replying to me",
    "halo, saya bicara dengan siapa ya?",
    "ini saya ngobrol sama siapa",
    "ini dengan siapa ya",
    "dengan siapa saya bicara",
    "ini yang bales siapa",
    "yang bales orang apa bot",
    "ini balasan otomatis ya?",
    "ambo cakap dengan siape ni",
    "ko siapo",
]


async def test_who_the_resident_is_talking_with_is_the_bot_introducing_itself(service: Runtime) -> None:
    results = await _first_messages(service, WHO)
    wrong = [
        (m, r["intent"], text_of(r)[:50])
        for m, r in zip(WHO, results, strict=True)
        if r["intent"] != "smalltalk" or not any(w in text_of(r) for w in ABOUT)
    ]
    assert not wrong


@pytest.mark.parametrize(
    ("message", "family"),
    [
        ("slmt pgi", "Selamat pagi"),
        ("met lebaran kak", "selamat juga"),
        ("hmm", "😊"),
        ("have a nice day", "Goodbye"),
    ],
)
async def test_more_small_talk_as_typed(chat: Chat, message: str, family: str) -> None:
    result = await chat.say(message)
    assert result["intent"] in {"smalltalk", "greeting"} and family in text_of(result)


@pytest.mark.parametrize(
    "message",
    ["gk ngerti sy, petugas aja lah yg bales", "sy gak mau dijawab mesin, ada orang dinkes yg bisa bales langsung?"],
)
async def test_who_replies_beside_a_request_for_a_person_is_still_a_handover(chat: Chat, message: str) -> None:
    assert (await chat.say(message))["intent"] == "handover"


# Minang final syllables and first-syllable "a" (colloquial.py), and words listed in language.yaml.
@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("apo syaraik nyo daftar uhc", "uhc_dokumen"),
        ("bayo iuran bpjs barapo sabulan", "jkn_iuran"),
        ("anak ambo umuanyo 2 bulan, imunisasi apo se", "imunisasi_usia"),
    ],
)
async def test_minang_spellings_are_read(chat: Chat, message: str, intent: str) -> None:
    assert (await chat.say(message))["intent"] == intent


def test_minang_words_read_as_standard_words() -> None:
    from pathlib import Path

    from bot.engine.understanding import understanding_for
    from bot.knowledge.content import load_content
    from tests.support.settings import CONTENT

    content, _ = load_content(Path(CONTENT))
    assert content is not None
    norm = understanding_for(content).normalize
    for minang, standard in [
        ("syaraik", "syarat"), ("sakik", "sakit"), ("umua", "umur"), ("lahia", "lahir"), ("jauah", "jauh"),
        ("paliang", "paling"), ("kampuang", "kampung"), ("haruih", "harus"), ("barapo", "berapa"),
        ("takuik", "takut"), ("masuak", "masuk"), ("baliak", "balik"), ("lapeh", "lepas"), ("baobat", "berobat"),
    ]:  # fmt: skip
        assert norm(minang) == standard, minang
    assert norm("bales") == "balas"  # a small-talk phrase must not make a chat spelling a known word


# Out of scope though a health word is in it: a hospital or puskesmas in another city (language.yaml `elsewhere`),
# buying from a shop (`buying` and `shops`), money lent for a hospital bill (`off_topic`).
DECLINED = [
    "rs di batam yang ada igd 24 jam",
    "rumah sakit di jakarta yang terima bpjs",
    "rumah sakit di dumai yang ada igd",
    "puskesmas di bangkinang jam berapa buka",
    "best hospital in jakarta for heart surgery",
    "nak berubat kat melaka, hospital mane yang bagus",
    "beli obat hipertensi online aman ga",
    "beli obat darah tinggi di shopee boleh ga",
    "can i buy my diabetes medicine online",
    "where to buy blood pressure medicine online",
    "nak beli ubat darah tinggi online kat mane",
    "mau kredit biaya rawat inap bisa di rs mana",
    "ada dana talangan buat biaya operasi di rs?",
    "can I borrow money from the hospital to pay the bill",
]


async def test_other_places_shops_and_loans_are_declined(service: Runtime) -> None:
    results = await _first_messages(service, DECLINED)
    wrong = [(m, r["intent"]) for m, r in zip(DECLINED, results, strict=True) if r["intent"] != "fallback"]
    assert not wrong


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("rs yang ada igd di pekanbaru", "rumah_sakit"),  # the office's own city
        ("obat darah tinggi gratis di puskesmas?", "ptm_kontrol"),  # free medicine: no buying, no shop
        ("daftar bpjs online bisa?", "uhc_daftar"),  # online, nothing bought
        ("tunggakan bpjs bisa dicicil?", "uhc_nonaktif"),  # arrears paid in parts: no loan
        ("sy pindahan dr medan, bisa dapat bpjs gratis pekanbaru ga?", "uhc_pindah"),  # another city, no facility
    ],
)
async def test_the_office_own_questions_beside_those_words_are_answered(chat: Chat, message: str, intent: str) -> None:
    assert (await chat.say(message))["intent"] == intent


async def test_a_place_of_the_office_with_another_city_name_is_the_office_s(chat: Chat) -> None:
    # "Padang Bulan" is a kelurahan of Pekanbaru; a resident away asks about a hospital here
    said = "ibu sy tinggal di rumbai, kemarin jatuh. sy lg di batam. rs terdekat yg ada igd di rumbai apa ya"
    assert (await chat.say(said))["intent"] == "rumah_sakit"
    assert (await chat.say("rs di padang bulan"))["intent"] != "fallback"


# A person asked for by passing the message on ("teruskan"), by the person first ("min bales dong"), a supervisor,
# a number to call back on, a doctor or midwife to consult, an admin on duty (handover_words.py, smalltalk.yaml).
PERSON = [
    "tolong teruskan ke petugas",
    "teruskan ke admin ya",
    "minta tolong diteruskan ke petugas dinkes",
    "min bales dong",
    "tolong admin respon",
    "let me talk to your supervisor",
    "tolong hubungi saya di nomor ini",
    "ada admin yang standby?",
    "saya mau konsultasi dengan bidan",
    "nak jumpa orang dinkes, boleh?",
]


async def test_a_person_asked_for_in_more_everyday_words_opens_a_handover(service: Runtime) -> None:
    results = await _first_messages(service, PERSON)
    assert not [(m, r["intent"]) for m, r in zip(PERSON, results, strict=True) if r["intent"] != "handover"]


@pytest.mark.parametrize(
    "message", ["teruskan minum obatnya ya", "obatnya diteruskan sampai habis?", "tolong teruskan info ini ke warga"]
)
async def test_continuing_or_passing_on_to_nobody_is_no_handover(chat: Chat, message: str) -> None:
    assert (await chat.say(message))["intent"] != "handover"
