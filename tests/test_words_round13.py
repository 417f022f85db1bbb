"""Round 13's single-turn families (issue 19): small talk, handover requests, dialect and English words.

Each example is our own sentence of a family the tuning sets showed missing, played through `chat --jsonl`'s
driver; none is a set's sentence.
"""

from __future__ import annotations

import pytest

from tests.support.chat import Chat, text_of
from tests.support.shipped import shipped_normalize

# Greetings typed without vowels, and a message sent to the wrong place: small talk, never the fallback.
SMALL_TALK = [
    ("asslmkm", "greeting", "Waalaikumsalam"),
    ("aslmkm kak", "greeting", "Waalaikumsalam"),
    ("wlkmslm", "smalltalk", "Terima kasih"),
    ("maaf salah alamat", "smalltalk", "Tidak apa-apa"),
    ("wkwk maaf salah nomor, makasih", "smalltalk", "Sama-sama"),  # not an address asked for
    ("sorry wrong number", "smalltalk", "No problem"),
]


@pytest.mark.parametrize(("said", "intent", "expected"), SMALL_TALK)
async def test_small_talk_families_of_round_13(chat: Chat, said: str, intent: str, expected: str) -> None:
    result = await chat.say(said)
    assert result["intent"] == intent, result
    assert expected in text_of(result)


# An acknowledgement before a question: the question is answered, not "Baik" ("oh ya udah, ..." after a decline).
@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("oke deh, terus jadwal posyandu kapan ya?", "posyandu"),
        ("yaudah, imunisasi campak umur berapa?", "imunisasi_vaksin"),
    ],
)
async def test_a_question_after_an_acknowledgement_is_answered(chat: Chat, said: str, intent: str) -> None:
    await chat.say("berapa harga tiket pesawat ke jakarta")  # declined first: then "yaudah, ..." moves on
    result = await chat.say(said)
    assert result["intent"] == intent, result


@pytest.mark.parametrize("said", ["oke saya coba", "makasih, nanti saya bawa anak ke puskesmas"])
async def test_an_acknowledgement_with_words_that_ask_nothing_stays_small_talk(chat: Chat, said: str) -> None:
    result = await chat.say(said)
    assert result["intent"] == "smalltalk", result


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        # a person asked to call or write back
        ("tolong petugas telepon balik saya", True),
        ("admin tolong telp balik ke nomor ini ya", True),
        ("please have someone call me back", True),
        ("can a staff member contact me back", True),
        ("could someone from the office get back to me", True),
        ("petugasnya kemarin sudah telepon balik, makasih", False),  # told, not asked
        # the whole message asks to be passed to a person
        ("bisa ke admin aja?", True),
        ("boleh sama petugas aja gk", True),
        ("bisa sama manusia aja", True),
        ("bisa ke puskesmas aja?", False),
        ("mau ke puskesmas sama orang tua", False),
        ("nomor telepon petugas puskesmas berapa", False),
    ],
)
def test_asking_for_a_person_round_13(text: str, asks: bool) -> None:
    from bot.engine.features.handover import asks_for_a_person

    normalize = shipped_normalize()
    assert asks_for_a_person(text, normalize(text), normalize) is asks


# Words residents use for a topic: fogging said as "smoke it" or "spray", a Riau birth and doctor, an English
# blood test, a psychosis described.
@pytest.mark.parametrize(
    ("said", "intents"),
    [
        ("gimana caranya minta diasapin di rt kami", {"psn_3m", "dbd"}),
        ("rt kami mau minta pengasapan, ke mana", {"psn_3m", "dbd"}),
        ("budak ambo baru keluar dari perut semalam, imunisasi ape dulu", {"imunisasi_usia", "imunisasi_jadwal"}),
        ("ado doktor gigi tak di puskesmas", {"puskesmas_layanan"}),
        ("can I have my cholesterol tested at a puskesmas", {"puskesmas_layanan", "posbindu"}),
        ("bapak saya sering dengar bisikan dan suka mengamuk, berobat ke mana", {"kesehatan_jiwa"}),
    ],
)
async def test_topics_in_residents_words_round_13(chat: Chat, said: str, intents: set[str]) -> None:
    result = await chat.say(said)
    assert result["intent"] in intents, result


# Everyday, Riau Malay and English words of a topic (language.yaml and a few English variants), in our own sentences.
@pytest.mark.parametrize(
    ("said", "intents"),
    [
        ("istri sy pipis terus malam2 dan sering haus, apa tanda gula?", {"diabetes", "gula_darah"}),
        ("budak ambo umo 9 bulan nak kene cucuk ape", {"imunisasi_usia"}),
        ("sy mesti tes hiv dmn", {"hiv"}),
        ("saya mau komplain pelayanan pustu", {"pengaduan"}),
        ("vaksin rota tu buat nangkal apa", {"imunisasi_vaksin"}),
        ("my girl is a year and a half, are any vaccines due?", {"imunisasi_usia"}),
        ("she skipped her measles shot, can she still get it", {"imunisasi_kejar"}),
        ("I'm 12 weeks along, is it too late to start check ups", {"anc"}),
        ("are prenatal visits covered by bpjs", {"anc"}),
    ],
)
async def test_everyday_riau_and_english_words_round_13(chat: Chat, said: str, intents: set[str]) -> None:
    result = await chat.say(said)
    assert result["intent"] in intents, result


def test_words_near_a_new_one_are_not_bent_to_it() -> None:
    """A new slang word pulls misspellings towards it: words one or two letters from "diasapin" stay themselves."""
    normalize = shipped_normalize()
    assert normalize("diasapin") == "fogging"
    assert normalize("yg harus disiapin apa") == "yang harus disiapkan apa"
    assert "fogging" not in normalize("sakitnya dirasain dari kemarin")
    assert "fogging" not in normalize("lukanya diapain")


@pytest.mark.parametrize(
    "said", ["anak sy ga masuk zonasi smp negeri, jalur apa lagi ya", "ppdb sd tahun ini kapan dibuka"]
)
async def test_school_admission_is_out_of_scope(chat: Chat, said: str) -> None:
    """School admission (zonasi, PPDB/SPMB) is another office's business, even with a child and a school in it."""
    result = await chat.say(said)
    assert result["intent"] == "fallback", result
