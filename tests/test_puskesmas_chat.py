"""The puskesmas conversation through the `chat` fixture: location, typed areas (with typos), names, filters."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.engine.features import puskesmas as feature
from bot.engine.state import ConversationState
from bot.engine.turn import Turn
from bot.engine.types import Inbound, Location
from bot.runtime import Runtime
from tests.support.chat import Chat, text_of
from tests.support.settings import make_settings

CONTENT = Path(__file__).resolve().parent.parent / "content"
RAW = yaml.safe_load((CONTENT / "puskesmas.yaml").read_text(encoding="utf-8"))
WILAYAH = yaml.safe_load((CONTENT / "wilayah.yaml").read_text(encoding="utf-8"))
MAPS = "https://www.google.com/maps/search/?api=1&query="


def expected_for_kecamatan(kecamatan: dict) -> set[str]:
    """From the content files: its puskesmas, or those of the 2018 kecamatan it came from."""
    inside = {p["name"] for p in RAW["puskesmas"] if p["kecamatan"] == kecamatan["code"]}
    if inside:
        return inside
    formerly = {name.lower() for name in kecamatan["formerly"]}
    return {p["name"] for p in RAW["puskesmas"] if p["kecamatan_bps"].lower() in formerly}


def typo(name: str) -> str:
    words = name.split()
    i = max(range(len(words)), key=lambda n: len(words[n]))
    words[i] = words[i][: len(words[i]) // 2] + words[i][len(words[i]) // 2 + 1 :]
    return " ".join(words)


@pytest.mark.parametrize("kecamatan", WILAYAH["kecamatan"], ids=lambda k: k["name"])
async def test_every_kecamatan_leads_to_its_puskesmas(chat: Chat, kecamatan: dict) -> None:
    names = [kecamatan["name"]] + ([typo(kecamatan["name"])] if len(kecamatan["name"]) >= 6 else [])
    for typed in names:
        result = await chat.say(f"puskesmas di kecamatan {typed}")
        assert result["intent"].startswith("puskesmas"), (typed, result)
        text = text_of(result)
        for name in expected_for_kecamatan(kecamatan):
            assert f"Puskesmas {name}" in text, (typed, name, text)


SAMPLE = [kel | {"kecamatan": k} for k in WILAYAH["kecamatan"] for kel in k["kelurahan"]][1::5]


@pytest.mark.parametrize("kelurahan", SAMPLE, ids=lambda k: k["name"])
async def test_kelurahan_typed_after_the_question(chat: Chat, kelurahan: dict) -> None:
    first = await chat.say("puskesmas terdekat")
    assert first["intent"] == "puskesmas" and first["replies"][0]["location_request"] is True
    typed = typo(kelurahan["name"]) if len(kelurahan["name"].replace(" ", "")) >= 6 else kelurahan["name"]
    result = await chat.say(f"kelurahan {typed}")
    text = text_of(result)
    assert result["intent"] == "puskesmas", (typed, result)
    for name in expected_for_kecamatan(kelurahan["kecamatan"]):
        assert f"Puskesmas {name}" in text, (typed, name, text)


async def test_old_kecamatan_tampan(chat: Chat) -> None:
    text = text_of(await chat.say("puskesmas di kecamatan Tampan"))
    assert "Binawidya" in text and "Tuahmadani" in text
    for name in ("Simpang Baru", "Sidomulyo", "RI Sidomulyo"):
        assert f"Puskesmas {name}" in text


async def test_typed_kelurahan_is_remembered(service: object) -> None:
    chat = Chat(service, user="remember")  # type: ignore[arg-type]
    await chat.say("pkm dekat kelurahan Simpang Baru")
    state_text = text_of(await chat.say("puskesmas buka hari minggu?"))
    assert "Simpangbaru" in state_text and "Puskesmas Simpang Baru" in state_text
    assert "belum tersedia" in state_text  # no source gives Sunday hours: the bot says so


async def test_unknown_area_gets_a_helpful_answer(chat: Chat) -> None:
    result = await chat.say("puskesmas di kecamatan Antah Berantah")
    assert result["intent"] == "puskesmas_area"
    text = text_of(result)
    assert "belum menemukan" in text and "Tuahmadani" in text  # it lists the real kecamatan
    assert result["replies"][-1]["location_request"] is True
    # Still asking: a correct name typed next is answered.
    follow = await chat.say("Tuah Madani")
    assert "Puskesmas Sidomulyo" in text_of(follow)


async def test_shared_location_lists_three_nearest(chat: Chat) -> None:
    await chat.say("puskesmas terdekat")
    result = await chat.say("@loc 0.5255 101.4440")
    text = text_of(result)
    assert result["intent"] == "puskesmas"
    assert text.count(MAPS) == 3 and text.count(" km") >= 3
    assert "Puskesmas Pekanbaru Kota" in text.split("\n\n")[1]  # Jl. Sago, a few hundred metres away
    # No timetable and no phone in any source; Pekanbaru's announcement (until 21.00) is said as it is.
    assert RAW["hours_notes"][0]["text"]["id"] in text and "Telepon: belum tersedia" in text
    assert "di luar" not in text


async def test_location_far_away_says_so_and_still_answers(chat: Chat) -> None:
    result = await chat.say("@loc -6.2 106.8")
    text = text_of(result)
    assert "di luar Kota Pekanbaru" in text and text.count("Puskesmas ") >= 3


async def test_name_and_filters(chat: Chat) -> None:
    text = text_of(await chat.say("alamat puskesmas Rejosari"))
    assert "Jl. Taman Sari No. 3" in text and MAPS in text
    result = await chat.say("puskesmas yang buka 24 jam")
    assert result["intent"] == "puskesmas_jam" and result["replies"][0]["location_request"] is True
    text = text_of(await chat.say("@loc 0.5255 101.4440"))
    assert "24 jam" in text and text.count(MAPS) == 3  # honest about missing hours, still the nearest


async def test_emergency_gives_the_nearest_igd(chat: Chat) -> None:
    await chat.say("@loc 0.5255 101.4440")
    result = await chat.say("anak saya kejang dan tidak sadar")
    assert result["intent"] == "emergency"
    assert "IGD terdekat" in text_of(result) and "km" in text_of(result)


def test_emergency_lines_never_raise() -> None:
    class Broken:
        def __getattr__(self, name: str) -> object:
            raise RuntimeError("broken content")

    turn = Turn.__new__(Turn)
    turn.content = Broken()  # type: ignore[assignment]
    turn.state = ConversationState(profile={"last_location": "nonsense"})
    assert feature.emergency_lines(turn) == []


async def test_hospitals_list(chat: Chat) -> None:
    result = await chat.say("rumah sakit yang ada igd")
    assert result["intent"] == "rumah_sakit"
    assert "RS Umum Awal Bros Pekanbaru" in text_of(result)


async def test_a_named_hospital_comes_first(chat: Chat) -> None:
    result = await chat.say("rumah sakit santa maria ada igd?")
    assert result["intent"] == "rumah_sakit"
    hospitals = [line for line in text_of(result).splitlines() if line.startswith("🏥")]
    assert hospitals[0].startswith("🏥 RS Santa Maria Pekanbaru") and len(hospitals) > 1  # then the others


def with_hours(content_dir: Path) -> Path:
    """The office fills in hours: Melur keeps office hours, Sail is open around the clock."""
    path = content_dir / "puskesmas.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    regular = {d: "07.30-14.00" for d in ("senin", "selasa", "rabu", "kamis", "jumat")}
    for row in data["puskesmas"]:
        if row["name"] == "Melur":
            row["hours"] = regular | {"sabtu": "07.30-12.00", "minggu": "tutup", "libur": "tutup"}
            row["phone"] = "0761-000000"  # a test value, not a real number
        if row["name"] == "Sail":
            row["hours"] = {
                d: "24 jam" for d in ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu", "libur")
            }
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return content_dir


async def test_filters_use_the_hours_the_office_filled_in(tmp_path: Path, content_dir: Path) -> None:
    service = await Runtime.open(make_settings(tmp_path, with_hours(content_dir)), watch_interval=None)
    try:
        monday = Chat(service, user="monday", today=date(2026, 11, 23))  # 09.00 on a Monday
        text = text_of(await monday.say("alamat puskesmas melur"))
        assert "buka sekarang" in text and "0761-000000" in text and "hari Minggu tutup" in text
        await monday.say("puskesmas yang buka 24 jam")
        text = text_of(await monday.say("@loc 0.5243 101.4316"))  # at Melur's door
        assert "Puskesmas Sail" in text and "Puskesmas Melur" not in text
        await monday.say("puskesmas buka hari minggu")
        text = text_of(await monday.say("@loc 0.5243 101.4316"))
        assert "Puskesmas Sail" in text and "Puskesmas Melur" not in text
        holiday = Chat(service, user="holiday", today=date(2026, 8, 17))  # Proklamasi, a Monday
        await holiday.say("puskesmas yang buka sekarang")
        text = text_of(await holiday.say("@loc 0.5243 101.4316"))
        assert "Puskesmas Sail" in text and "Puskesmas Melur" not in text
        text = text_of(await holiday.say("alamat puskesmas melur"))
        assert "tutup sekarang" in text
    finally:
        await service.close()


async def test_emergency_uses_the_remembered_kelurahan(chat: Chat) -> None:
    await chat.say("pkm dekat kelurahan Simpang Baru")
    text = text_of(await chat.say("anak saya kejang"))
    assert "IGD terdekat" in text and "RS Jiwa" not in text


async def test_nonsense_location_is_refused_kindly(service: Runtime) -> None:
    # The console refuses such input itself; another channel might pass it on.
    for lat, lon in ((float("nan"), 101.4), (123.0, 500.0)):
        outcome = await service.handle(Inbound(user_key="console:odd", channel="console", location=Location(lat, lon)))
        assert outcome.intent == "puskesmas" and "tidak bisa saya baca" in outcome.replies[0].text


@pytest.mark.parametrize("row", RAW["puskesmas"], ids=lambda r: r["name"])
async def test_every_puskesmas_by_name(chat: Chat, row: dict) -> None:
    typed = [f"puskesmas {row['name']}"] + ([f"alamat puskesmas {typo(row['name'])}"] if len(row["name"]) >= 7 else [])
    for text in typed:
        result = await chat.say(text)
        assert result["intent"].startswith("puskesmas"), (text, result["intent"])
        assert f"Puskesmas {row['name']}" in text_of(result) and row["address"] in text_of(result), text


@pytest.mark.parametrize(
    "message", ["alamat igd rs bhayangkara di mana", "which hospital near sudirman has an emergency room"]
)
async def test_a_question_about_a_hospitals_igd_gets_the_hospitals_and_the_emergency_number(
    chat: Chat, message: str
) -> None:
    result = await chat.say(message)
    assert result["intent"] == "rumah_sakit", result["intent"]
    assert "119" in text_of(result)  # the hospital answer still gives the emergency number
    assert "IGD" in text_of(result)
