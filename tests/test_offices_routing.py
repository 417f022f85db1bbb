"""Several offices in one bot (CONTENT_DIRS): the resident's office comes from a shared location or
a typed kelurahan, is remembered, and every answer is that office's; near a border the nearest
puskesmas is listed whichever office runs it, and the answer says whose it is.

Two neighbours: Kota Pekanbaru (14.71, the default office) and Kabupaten Kampar (14.01).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from bot.runtime import Runtime
from tests.support.chat import Chat, text_of
from tests.support.offices import KAMPAR, PEKANBARU, build_kampar, located, nearest, read, two_offices
from tests.support.settings import CONTENT

TODAY = date(2026, 11, 23)
PEKANBARU_OFFICE = "Dinas Kesehatan Kota Pekanbaru"
KAMPAR_OFFICE = "Dinas Kesehatan Kabupaten Kampar"


@pytest.fixture(scope="module")
def kampar(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_kampar(tmp_path_factory.mktemp("offices"))


@pytest.fixture
async def bot(tmp_path: Path, kampar: Path) -> AsyncIterator[Runtime]:
    runtime = await Runtime.open(two_offices(tmp_path, kampar), watch_interval=None)
    yield runtime
    await runtime.close()


def chat(bot: Runtime, user: str) -> Chat:
    return Chat(bot, user=user, today=TODAY)


def far_in_kampar(kampar: Path) -> tuple[str, float, float]:
    """A Kampar puskesmas whose nearest neighbours are all Kampar's (deep inside the regency)."""
    packs = {PEKANBARU: CONTENT, KAMPAR: kampar}
    return next(p for p in located(kampar) if all(c == KAMPAR for c, _n in nearest(packs, p[1], p[2], 5)))


async def test_a_new_resident_is_answered_by_the_default_office_and_told_whom_the_bot_serves(bot: Runtime) -> None:
    hello = text_of(await chat(bot, "new").say("halo"))
    assert PEKANBARU_OFFICE in hello and "Kabupaten Kampar" in hello  # the bot says which offices it serves
    uhc = text_of(await chat(bot, "new2").say("apa itu uhc"))
    assert "28 Juli 2023" in uhc and "Kota Pekanbaru" in uhc.split("\n")[0]  # whose rule this is, said first


async def test_a_shared_location_chooses_the_office_and_it_is_remembered(bot: Runtime, kampar: Path) -> None:
    name, lat, lon = far_in_kampar(kampar)
    resident = chat(bot, "loc")
    await resident.say("puskesmas terdekat")
    listed = text_of(await resident.say(f"@loc {lat} {lon}"))
    assert listed.split("\n\n")[1].splitlines()[0].endswith(f"Puskesmas {name} — 0 km")
    assert "Puskesmas milik" not in listed  # all of them the resident's own office's
    hello = text_of(await resident.say("halo"))
    assert KAMPAR_OFFICE in hello and PEKANBARU_OFFICE not in hello
    uhc = text_of(await resident.say("apa itu uhc"))
    assert "UHC di Kabupaten Kampar" in uhc and "28 Juli 2023" not in uhc  # Kampar's rule, not Pekanbaru's


async def test_the_office_survives_a_restart(tmp_path: Path, kampar: Path) -> None:
    _name, lat, lon = far_in_kampar(kampar)
    settings = two_offices(tmp_path, kampar)
    first = await Runtime.open(settings, watch_interval=None)
    try:
        await chat(first, "kept").say(f"@loc {lat} {lon}")
    finally:
        await first.close()
    second = await Runtime.open(settings, watch_interval=None)
    try:
        assert KAMPAR_OFFICE in text_of(await chat(second, "kept").say("halo"))
    finally:
        await second.close()


async def test_a_typed_kelurahan_chooses_the_office(bot: Runtime, kampar: Path) -> None:
    wilayah = read(kampar, "wilayah.yaml")
    tambang = next(k for k in wilayah["kecamatan"] if k["name"] == "Tambang")
    desa = next(kel["name"] for kel in tambang["kelurahan"] if kel["name"] == "Tarai Bangun")
    resident = chat(bot, "typed")
    answer = await resident.say(f"puskesmas di desa {desa.lower()}")
    assert answer["intent"].startswith("puskesmas")
    assert "Puskesmas Tambang" in text_of(answer)  # the puskesmas of its kecamatan, from Kampar's pack
    assert KAMPAR_OFFICE in text_of(await resident.say("halo"))
    # A kelurahan of Pekanbaru brings the resident back to Pekanbaru's office.
    back = await resident.say("puskesmas di kelurahan simpang baru")
    assert "Puskesmas Simpang Baru" in text_of(back)
    assert PEKANBARU_OFFICE in text_of(await resident.say("halo"))


async def test_a_place_name_of_two_words_needs_no_place_word_and_one_word_does(bot: Runtime) -> None:
    resident = chat(bot, "words")
    await resident.say("anak saya main di pulau")  # 'Pulau' is a desa in Kampar, and a common word
    assert PEKANBARU_OFFICE in text_of(await resident.say("halo"))
    await resident.say("saya tinggal dekat rimbo panjang")
    assert KAMPAR_OFFICE in text_of(await resident.say("halo"))


async def test_a_resident_near_the_border_gets_the_nearest_whichever_office_runs_it(bot: Runtime, kampar: Path) -> None:
    packs = {PEKANBARU: CONTENT, KAMPAR: kampar}
    garuda = next(p for p in located(CONTENT) if p[0] == "Garuda")
    siak = next(p for p in located(kampar) if p[0] == "Siak Hulu II")
    lat, lon = siak[1] + (garuda[1] - siak[1]) * 0.3, siak[2] + (garuda[2] - siak[2]) * 0.3  # nearer Siak Hulu II
    expected = nearest(packs, lat, lon)
    assert {code for code, _ in expected} == {PEKANBARU, KAMPAR}  # the point really lies between the two

    # A Pekanbaru resident (they told us their kelurahan) standing near the border.
    resident = chat(bot, "border")
    await resident.say("puskesmas di kelurahan simpang baru")
    await resident.say("puskesmas terdekat")
    text = text_of(await resident.say(f"@loc {lat} {lon}"))
    entries = text.split("\n\n")[1:4]
    assert [e.splitlines()[0].split(". ", 1)[1].split(" — ")[0] for e in entries] == [
        f"Puskesmas {name}" for _c, name in expected
    ]
    for (code, _name), entry in zip(expected, entries, strict=True):
        assert ("Puskesmas milik " + KAMPAR_OFFICE in entry) == (code == KAMPAR), entry
    assert PEKANBARU_OFFICE in text_of(await resident.say("halo"))  # still a Pekanbaru resident

    # Someone who told us nothing yet: the location chooses the office of the nearest puskesmas.
    stranger = chat(bot, "stranger")
    text = text_of(await stranger.say(f"@loc {lat} {lon}"))
    first_office = expected[0][0]
    assert "Puskesmas milik" in text  # the other office's puskesmas is named as theirs
    hello = text_of(await stranger.say("halo"))
    assert (KAMPAR_OFFICE if first_office == KAMPAR else PEKANBARU_OFFICE) in hello


async def test_the_emergency_answer_names_the_nearest_igd_of_either_office(bot: Runtime, kampar: Path) -> None:
    _name, lat, lon = far_in_kampar(kampar)
    resident = chat(bot, "igd")
    await resident.say(f"@loc {lat} {lon}")
    text = text_of(await resident.say("anak saya kejang dan tidak sadar"))
    assert "119" in text
    kampar_igd = [h["name"] for h in read(kampar, "puskesmas.yaml")["hospitals"] if h["lat"] is not None]
    pekanbaru_igd = [h["name"] for h in read(CONTENT, "puskesmas.yaml")["hospitals"] if h["lat"] is not None]
    assert any(h in text for h in kampar_igd + pekanbaru_igd)


async def test_in_english_too(bot: Runtime, kampar: Path) -> None:
    """The words a bot of several offices adds, as an English-speaking resident reads them."""
    packs = {PEKANBARU: CONTENT, KAMPAR: kampar}
    resident = chat(bot, "english")
    await resident.say("/bahasa")
    await resident.say("@btn lang:en")
    assert "This bot serves Kota Pekanbaru, Kabupaten Kampar" in text_of(await resident.say("hello"))
    assert "these are Kota Pekanbaru's" in text_of(await resident.say("what is uhc"))
    garuda = next(p for p in located(CONTENT) if p[0] == "Garuda")
    siak = next(p for p in located(kampar) if p[0] == "Siak Hulu II")
    lat, lon = siak[1] + (garuda[1] - siak[1]) * 0.3, siak[2] + (garuda[2] - siak[2]) * 0.3
    assert {code for code, _ in nearest(packs, lat, lon)} == {PEKANBARU, KAMPAR}
    await resident.say("nearest puskesmas")
    assert "Puskesmas run by Dinas Kesehatan" in text_of(await resident.say(f"@loc {lat} {lon}"))
    assert "Village Tarai Bangun" in text_of(await resident.say("puskesmas in desa tarai bangun"))
    far = text_of(await resident.say("@loc -8.65 115.21"))  # Bali: far from both offices
    assert "outside the areas served here (Kota Pekanbaru, Kabupaten Kampar)" in far
    newcomer = chat(bot, "english2")  # nothing remembered to fall back on
    await newcomer.say("/bahasa")
    await newcomer.say("@btn lang:en")
    lost = text_of(await newcomer.say("puskesmas in kecamatan zzyzx"))
    assert "This bot serves Kota Pekanbaru, Kabupaten Kampar; type the full name" in lost
