"""English that is really English (issue 21): every resident-facing answer and button, walked in English.

The walk: a resident who chose English types English questions that reach every topic, flow, schedule,
puskesmas and UHC answer, reminder and error, then presses every button the answers offer (each new
button once, replaying the path to it in a fresh conversation). Beside it, the English catalogue and
every English text in the content are scanned whole, and the texts that leave outside a chat
(reminders, broadcasts, channel buttons) are rendered in English. Nothing may hold Indonesian outside
proper names, programme names in brackets and cited source titles (tests/support/english.py).
"""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from telegram import Bot

from bot.broadcast.messages import broadcast_texts, doses_due, reminder_text
from bot.channels.telegram.commands import command_menu
from bot.channels.telegram.send import TelegramSender
from bot.channels.whatsapp.api import labels_for
from bot.engine import flood
from bot.engine.features import handover
from bot.engine.types import Inbound
from bot.engine.understanding import understanding_for
from bot.i18n import translations
from bot.i18n_catalog import extract, read
from bot.knowledge.content import Content, load_content
from bot.knowledge.geo import Point
from bot.runtime import Runtime
from bot.storage.broadcasts import Broadcast
from tests.support.chat import Chat
from tests.support.english import indonesian_words, localized_texts, name_words
from tests.support.settings import CONTENT, ROOT, make_settings

TODAY = date(2026, 11, 23)  # a Monday: the office is open at 09:00
SUNDAY = date(2026, 11, 29)  # the office is closed: the handover says when it opens
PEKANBARU = "@loc 0.5071 101.4478"
JAKARTA = "@loc -6.2 106.8"  # far outside the office's area
ENGLISH = "@btn lang:en"
MAX_DEPTH = 12
# Code that speaks to cadres and office staff only (Indonesian health volunteers and officers): its
# English is checked by the catalogue test, not here. Everything else in bot/ is resident-facing.
STAFF_ONLY = ("bot/web/", "bot/engine/features/reminders/broadcast.py", "bot/engine/features/reminders/cadres.py")
# bot/broadcast/messages.py: the run summary (and its possible-duplicates note) goes to its author
STAFF_MESSAGES = ("Siaran #{id} selesai", "{n} penerima mungkin menerima pesan ini dua kali")
# Resident-facing strings a chat cannot reach; each is named with why, and rendered in English elsewhere.
NOT_IN_A_CHAT = {
    "Maaf, data Anda belum bisa dihapus sekarang.": "the database failing during /hapusdata (test_erase)",
    "Maaf, pertanyaan cek UHC sudah diperbarui.": "a UHC step removed by a content reload mid-flow (test_uhc_flow)",
    "Maaf, tanggal lahirnya sudah tidak saya simpan.": "a reminder button pressed after the birth date was erased",
    "Anda bisa menghubungi petugas {office}": "an office with a hotline (Pekanbaru lists none)",
    "Maaf, lokasi puskesmas belum tersedia": "a content pack whose puskesmas have no coordinates",
    "Maaf, daftar rumah sakit belum tersedia.": "a content pack with no hospitals",
    "Maaf, informasinya belum tersedia.": "a UHC answer the content does not have",
    "Maaf, puskesmas untuk {place} belum tercatat": "an area no puskesmas serves (Pekanbaru has none)",
    "Saya belum menemukan puskesmas yang tercatat buka 24 jam": "Pekanbaru lists no opening hours",
    "buka sekarang": "Pekanbaru lists no opening hours",
    "Jam buka: ": "Pekanbaru's puskesmas have announced service hours instead of a timetable",
    "alamat belum tersedia": "every place in the Pekanbaru content has an address",
    "paling cepat umur {age}": "no dose in the content has an earliest age before its recommended one",
    "Puskesmas yang melayani {place}:": "Pekanbaru's puskesmas serve whole kecamatan, not listed kelurahan",
    "Kirim lokasi Anda dengan tombol di bawah": "an area no puskesmas serves (Pekanbaru has none)",
    "📍 Kirim lokasi saya": "Telegram's own button (test_the_telegram_location_button_is_in_the_users_language)",
    # A bot of several offices (CONTENT_DIRS): tests/test_offices_routing.py shows these in English.
    "Bot ini melayani {cities}": "a bot of several offices (test_offices_routing: in English)",
    "Aturan UHC berbeda di tiap daerah": "a bot of several offices (test_offices_routing: in English)",
    "Puskesmas milik {office}": "a bot of several offices, near a border (test_offices_routing: in English)",
    "Lokasi Anda tampaknya di luar wilayah yang dilayani di sini": "a bot of several offices (test_offices_routing)",
    "Desa {name}": "a regency's desa; Pekanbaru has kelurahan only (test_offices_routing: in English)",
}


@dataclass
class Said:
    path: tuple[str, ...]
    intent: str
    text: str
    labels: tuple[str, ...]


def english_content(tmp_path: Path) -> Path:
    """The real content, with the /bahasa choice winning over the language a message is written in.

    The walk types Indonesian names ("Kampung Melayu", "kejang") and the chat's language must stay
    English: what is checked is that English answers are English, not how a message's language is read.
    """
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    office = target / "office.yaml"
    text = office.read_text(encoding="utf-8")
    assert "language_follows_message: true" in text
    office.write_text(text.replace("language_follows_message: true", "language_follows_message: false"), "utf-8")
    return target


# Danger signs the sign's own phrases do not reach (they are described by concepts): English messages that do.
EMERGENCIES = (
    "I want to kill myself", "my son got burned by boiling water", "my child fell into the river and is drowning",
    "he cut his hand and it keeps bleeding a lot", "what is the emergency number", "my baby is unconscious",
)  # fmt: skip


def typed_scripts(content: Content) -> list[tuple[str, ...]]:
    """What an English-speaking resident types, to reach every answer a button does not."""
    scripts: list[tuple[str, ...]] = [
        ("menu",), ("hello",), ("/start",), ("help",), ("/help",), ("xyzzy qwerty blorp",), ("",), ("@btn zz:old",),
        ("/bahasa",), ("/info",), ("/imunisasi",), ("/uhc",), ("/puskesmas",), ("/rumahsakit",), ("/pengingat",),
        ("what about the vaccine and the checkup",),
        # unsure (immunization? the card?): "Did you mean...?" (round 12's matcher declines "does bpjs cover my
        # baby's vaccine at the hospital?" instead, a fallback: this one still leans to two topics)
        ("can my baby get the vaccine with bpjs card at the clinic?",),
        ("my NIK is 1471010101010001",), ("call me on 081234567890",),
        # immunization
        ("which vaccines does a 2 month old baby need",), ("vaccines by age",),
        ("vaccines by age", "blorp 12"),
        ("my baby was born on 3 August 2026, which vaccines are due", "yes"),
        ("my baby was born on 3 August 2026, which vaccines are due", "no"),
        ("my baby was born on 3 August 2026", "yes", "my baby was born on 3 August 2026", "yes"),
        ("my son was born on 1 January 2025, which vaccines", "no"),
        ("my child was born on 1 March 2026, which vaccines",), ("my child was born on 1 June 2026",),
        ("my child was born on 20 November 2026",),
        ("my child was born on 1 January 2015, which vaccines",), ("my child was born on 31 February 2026",),
        ("my child was born on 3 August 2062",), ("my child was born on 3 August 1862",),
        ("my child's schedule", "blorp"), ("my child's schedule", "12"),
        ("my child is 3 years old and missed vaccines",), ("when is the JE vaccine given",), ("@btn imun:zz",),
        # puskesmas
        ("nearest puskesmas", PEKANBARU), ("nearest puskesmas", JAKARTA), ("nearest puskesmas", "atlantis"),
        ("nearest puskesmas", "Kampung Melayu"), ("nearest puskesmas", "Kampung Melayu", "nearest puskesmas"),
        ("which puskesmas is open now", "Kampung Melayu"), ("is the puskesmas open on public holidays", "Kampung Melayu"),
        ("is the puskesmas open on saturday", "Kampung Melayu"), ("puskesmas in kecamatan tampan",), ("puskesmas open 24 hours",), ("puskesmas with a delivery room",),
        ("hospital with an emergency room",), ("nearest puskesmas", PEKANBARU, "hospital with an emergency room"),
        ("nearest puskesmas", PEKANBARU, "my child is having a seizure"), ("puskesmas in kecamatan Rumbai Pesisir",),
        # reminders, stopping, erasing, a person
        ("/pengingat", "Kampung Melayu"), ("/pengingat", "atlantis"), ("/pengingat", "rumbai barat"), ("stop",),
        ("/hapusdata", "yes"), ("/hapusdata", "no"), ("I want to talk to a person",),
        ("I want to talk to a person", "I want to talk to a person"),
        ("what documents do I need to register for UHC? I want to talk to a person",),
        # UHC typed answers
        ("/uhc", "maybe", "maybe"), ("/uhc", "yes", "no"),
        # a long story with two questions
        (
            "hello, my baby is 2 months old and I want to know which vaccines she needs, and also where "
            "is the nearest puskesmas because we just moved here",
        ),
        *((said,) for said in EMERGENCIES),
    ]  # fmt: skip
    for months in (0, 1, 2, 3, 4, 5, 6, 9, 10, 12, 18, 24, 36, 60, 84, 120, 200):
        scripts.append((f"vaccines for a {months} month old",))
    for years in (1, 2, 5, 7, 11, 13, 30):
        scripts.append((f"vaccines for a {years} year old",))
    directory = content.puskesmas
    for kecamatan in directory.kecamatan:
        scripts.append((f"puskesmas in kecamatan {kecamatan.name}",))
        scripts.extend((f"puskesmas in kelurahan {kelurahan.name}",) for kelurahan in kecamatan.kelurahan[:1])
    for place in directory.puskesmas:
        scripts += [(f"address of puskesmas {place.name}",), (f"opening hours of puskesmas {place.name}",)]
    for family in content.smalltalk.families:
        scripts.append((family.phrases[0],))
    understanding = understanding_for(content)
    for sign in content.danger.signs:  # every emergency answer, with its own advice
        said = next((p for p in sign.phrases if (found := understanding.danger(p)) and found.id == sign.id), None)
        if said is not None:
            scripts.append((said,))
    return [(ENGLISH, *s) for s in scripts]


def _button_key(payload: str) -> str:
    return re.sub(r"[0-9a-f]{32}", "*", payload)  # a feedback button carries the answer's reference


async def walk(service: Runtime, content: Content) -> list[Said]:
    """Every reply of every typed script, then of every button reached, each new button pressed once."""
    said: list[Said] = []
    pressed: set[str] = set()
    paths = typed_scripts(content)
    on_sunday = len(paths)
    paths.append((ENGLISH, "I want to talk to a person"))  # the office is closed: when it opens
    for number, path in enumerate(paths):
        chat = Chat(service, user=f"walk-{number}", today=SUNDAY if number == on_sunday else TODAY)
        for at, line in enumerate(path):
            out = await chat.say(line)
            for r in out["replies"]:
                said.append(Said(path[: at + 1], out["intent"], r["text"], tuple(b["label"] for b in r["buttons"])))
        for r in out["replies"]:
            for b in r["buttons"]:
                key = _button_key(b["payload"])
                if key in pressed or (key.startswith("lang:") and key != "lang:en") or len(path) >= MAX_DEPTH:
                    continue  # pressing "Bahasa Indonesia" leaves English, as it should
                pressed.add(key)
                paths.append((*path, f"@btn {b['payload']}"))
    return said + await beyond_typing(service)


async def beyond_typing(service: Runtime) -> list[Said]:
    """What a script cannot type: a photo, a broken location, a flood of messages, a person asked for at dawn."""
    dawn = datetime(2026, 11, 23, 6, 0, tzinfo=ZoneInfo("Asia/Jakarta"))  # a Monday, before the office opens
    events = {
        "photo": [Inbound("console:photo", "console", unsupported="photo")],
        "broken location": [Inbound("console:nan", "console", location=Point(float("nan"), 101.4))],
        "at dawn": [Inbound("console:dawn", "console", text="I want to talk to a person", at=dawn)],
        "a flood": [Inbound("telegram:900", "telegram", text=f"hello {n}") for n in range(flood.FloodGuard().limit)],
    }
    said = []
    for what, inbounds in events.items():
        await service.handle(replace(inbounds[0], text=None, location=None, unsupported=None, payload="lang:en"))
        for inbound in inbounds:
            outcome = await service.handle(inbound, today=TODAY if inbound.at != dawn else None)
        said += [
            Said((ENGLISH, what), outcome.intent, r.text, tuple(b.label for b in r.buttons)) for r in outcome.replies
        ]
    return said


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Said], Content]:
    """The walk, once for the module's tests (its own event loop: the fixture outlives a test's)."""
    tmp = tmp_path_factory.mktemp("english-walk")
    content_dir = english_content(tmp)
    content, problems = load_content(content_dir)
    assert content is not None, problems.errors

    async def run() -> list[Said]:
        service = await Runtime.open(make_settings(tmp, content=content_dir), watch_interval=None)
        try:
            return await walk(service, content)
        finally:
            await service.close()

    return asyncio.run(run()), content


def _found(pieces: Iterator[tuple[str, str]], names: frozenset[str]) -> list[str]:
    return [f"{where}: {words} in {text[:300]!r}" for where, text in pieces if (words := indonesian_words(text, names))]


# --- the detector ------------------------------------------------------------------------------------------------


def test_the_detector_finds_indonesian_and_passes_english_names_and_sources() -> None:
    assert indonesian_words("Grade 6: HPV kejar (bila belum)") == ["kejar"]
    assert indonesian_words("Polio tetes 1, DPT-HB-Hib lanjutan") == ["lanjutan", "tetes"]
    assert indonesian_words("Type batal at any time to stop.") == ["batal"]
    assert indonesian_words("BCG yang diberikan setelah umur 3 bulan") == [
        "bulan",
        "diberikan",
        "setelah",
        "umur",
        "yang",
    ]
    assert indonesian_words("Measles-Rubella (MR): at the puskesmas. Bring your KTP.") == []
    assert indonesian_words("Source: Program Imunisasi Nasional, Kemenkes RI (reviewed 23 November 2026)") == []
    assert indonesian_words("Puskesmas Rejosari, Jl. Tanjung Datuk", names={"rejosari", "jl", "tanjung", "datuk"}) == []


# --- the walk ----------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_every_english_answer_and_button_of_the_walk_is_in_english(walked: tuple[list[Said], Content]) -> None:
    said, content = walked
    names = name_words(content)
    pieces = ((" > ".join(s.path[1:]), piece) for s in said for piece in (s.text, *s.labels))
    found = _found(pieces, names)
    assert not found, f"{len(found)} English replies hold Indonesian:\n" + "\n".join(found)
    je = [s.text for s in said if s.path[-1] == "when is the JE vaccine given"]
    assert je and "including Bali" in je[0]  # a regional note keeps the provinces' capitals


def _resident_messages() -> Iterator[tuple[str, str]]:
    """(msgid, where) of every UI string of the code a resident can see."""
    for message in extract(ROOT):
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        places = [path for path, _ in message.locations]
        if all(p.startswith(STAFF_ONLY) or p.endswith(".html") for p in places) or msgid.startswith(STAFF_MESSAGES):
            continue
        yield msgid, places[0]


@pytest.mark.slow
def test_the_walk_reaches_every_resident_facing_string_of_the_code(walked: tuple[list[Said], Content]) -> None:
    """The walk is only as good as what it reaches: every UI string shows up in it, or is named as unreachable."""
    said, _ = walked
    seen = "\n".join(piece for s in said for piece in (s.text, *s.labels))
    seen += "\n" + "\n".join(outside_a_chat_texts())
    english = translations("en")
    missing = []
    for msgid, where in _resident_messages():
        if any(msgid.startswith(k) for k in NOT_IN_A_CHAT):
            continue
        parts = [p.strip() for p in re.split(r"\{[^}]*\}|\n", english.gettext(msgid)) if len(p.strip()) > 4]
        if parts and not any(p in seen for p in parts):
            missing.append(f"{where}: {msgid[:100]!r}")
    assert not missing, "the English walk never shows:\n" + "\n".join(missing)


# --- texts that leave outside a chat ------------------------------------------------------------------------------


def outside_a_chat_texts() -> list[str]:
    """Reminders and broadcasts as an English subscriber gets them, and the channels' own words (menus, buttons)."""
    content, _ = load_content(CONTENT)
    assert content is not None
    texts = []
    for role in ("staff", "cadre"):
        texts.append(broadcast_texts(content, Broadcast(author_role=role, text="Posyandu Melati, Senin."))["en"])
    birth = date(2026, 8, 3)
    for label, due in doses_due(content, birth, TODAY):
        for today in (due, due - timedelta(days=3)):
            for place in ("", "Rejosari"):
                texts.append(reminder_text("en", None, label.get("en"), due, today, place))
    labels = labels_for("en")
    texts += [labels.choose, labels.section, labels.more]
    texts += [f"/{c.command} {c.description}" for c in command_menu("en")]  # Telegram's command menu
    texts += [handover.handed_back("en"), handover.timed_out("en"), handover.from_officer("en", "Hello.")]
    return texts


# --- static scans: the English catalogue and the content's English texts -----------------------------------------


def test_reminders_broadcasts_and_channel_words_are_in_english() -> None:
    texts = outside_a_chat_texts()
    assert any("Oral polio 1 (OPV)" in t for t in texts)  # the dose label in English, its programme name kept
    content, _ = load_content(CONTENT)
    assert content is not None
    found = _found((("outside a chat", t) for t in texts), name_words(content) | {"melati", "senin"})
    assert not found, "\n".join(found)


async def test_the_telegram_location_button_is_in_the_users_language() -> None:
    async def english(_user_key: str) -> str:
        return "en"

    label = await TelegramSender(Bot("123:offline"), english)._location_label("telegram:1")  # never sends
    assert label == "📍 Send my location" and not indonesian_words(label)


def test_the_english_catalogue_has_no_indonesian() -> None:
    catalog = read(ROOT / "locales" / "en" / "LC_MESSAGES" / "messages.po", "en")
    resident = dict(_resident_messages())
    pieces = []
    for message in catalog:
        msgid = message.id if isinstance(message.id, str) else (message.id[0] if message.id else "")
        if msgid not in resident:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        pieces += [(resident[msgid], s) for s in strings if s]
    content, _ = load_content(CONTENT)
    assert content is not None
    found = _found(iter(pieces), name_words(content))
    assert not found, "\n".join(found)


def test_every_english_text_of_the_content_is_english() -> None:
    content, problems = load_content(CONTENT)
    assert content is not None, problems.errors
    names = name_words(content)
    pieces = ((text.get("id")[:40], text.get("en")) for text in localized_texts(content))
    found = _found(pieces, names)
    assert not found, "\n".join(found)
