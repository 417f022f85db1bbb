"""The puskesmas topic: nearest (against brute force), areas and names with typos, opening hours, the content file."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.knowledge import puskesmas as kp
from bot.knowledge.geo import GridIndex
from bot.knowledge.source import Problems, read_yaml
from bot.topics import name_index
from bot.topics import puskesmas as topic

CONTENT = Path(__file__).resolve().parent.parent / "content"
JAKARTA = ZoneInfo("Asia/Jakarta")


def load(directory: Path = CONTENT) -> tuple[kp.Directory | None, Problems]:
    problems = Problems()
    docs = [read_yaml(directory / name, name, problems) for name in kp.FILES]
    return kp.parse([d for d in docs if d is not None], problems), problems


DIRECTORY, PROBLEMS = load()
RAW = yaml.safe_load((CONTENT / "puskesmas.yaml").read_text(encoding="utf-8"))
WILAYAH = yaml.safe_load((CONTENT / "wilayah.yaml").read_text(encoding="utf-8"))


def directory() -> kp.Directory:
    assert DIRECTORY is not None, [str(p) for p in PROBLEMS]
    return DIRECTORY


def brute_force(lat: float, lon: float, k: int = 3) -> list[str]:
    """Straight from the YAML: every puskesmas with coordinates, by haversine, file order on ties."""
    rows = [r for r in RAW["puskesmas"] if r.get("lat") is not None]

    def km(r: dict) -> float:
        p1, p2 = math.radians(lat), math.radians(r["lat"])
        a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(r["lon"] - lon) / 2) ** 2
        return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))

    ranked = sorted(enumerate(rows), key=lambda ir: (km(ir[1]), ir[0]))
    return [r["name"] for _, r in ranked[:k]]


# --- the content file -----------------------------------------------------------------------------------------


def test_content_parses_without_problems() -> None:
    assert not PROBLEMS.errors, [str(p) for p in PROBLEMS]
    d = directory()
    assert len(d.puskesmas) == 19 and len(d.kecamatan) == 15
    assert d.hospitals and all(h.igd for h in d.hospitals)
    assert d.holiday(dt.date(2026, 8, 17)) is not None


def test_suspect_coordinates_are_left_empty_never_invented() -> None:
    flagged = {"P1471010203", "P1471021102", "P1471011201"}  # coord_suspect=Y in the 2019 file
    for row in RAW["puskesmas"]:
        if row["code"] in flagged:
            assert row["lat"] is None and row["lon"] is None
    assert all(not r["phone"] and not r["hours"] for r in RAW["puskesmas"])  # no source gives them
    assert {"faskes2019", "wilayah2025"} <= set(RAW["sources"])
    for source in RAW["sources"].values():
        assert source["commit"] and source["year"] and source["licence"]


def test_every_kecamatan_is_reachable() -> None:
    d = directory()
    for kecamatan in d.kecamatan:
        area = topic.Area("kecamatan", kecamatan.name, (kecamatan,))
        assert topic.puskesmas_for_area(d, area).puskesmas, kecamatan.name


def test_broken_hours_are_reported_with_file_and_line(tmp_path: Path) -> None:
    for name in kp.FILES:
        (tmp_path / name).write_text((CONTENT / name).read_text(encoding="utf-8"), encoding="utf-8")
    text = (tmp_path / "puskesmas.yaml").read_text(encoding="utf-8")
    text = text.replace("  hours: {}\n", "  hours: {senin: pagi saja, kamus: 07.00-12.00}\n", 1)
    (tmp_path / "puskesmas.yaml").write_text(text, encoding="utf-8")
    _, problems = load(tmp_path)
    messages = [str(p) for p in problems.errors]
    assert any(m.startswith("puskesmas.yaml:") and "senin" in m for m in messages), messages
    assert any("unknown day 'kamus'" in m for m in messages), messages


def test_build_script_reproduces_a_valid_directory(tmp_path: Path) -> None:
    """From the reference data shipped in bot/office/data, no download: the same places (staff may edit the rest)."""
    from tools.build_puskesmas import main

    assert main(["--region", "14.71", "--out", str(tmp_path), "--today", "2026-11-23"]) == 0
    (tmp_path / "holidays.yaml").write_text((CONTENT / "holidays.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    built, problems = load(tmp_path)
    assert built is not None and not problems.errors
    assert [(p.code, p.kecamatan) for p in built.puskesmas] == [(p.code, p.kecamatan) for p in directory().puskesmas]


def test_build_reports_what_it_could_not_match() -> None:
    from bot.office.facilities import collect
    from bot.office.reference import regions

    report = collect(regions()["14.71"], dt.date(2026, 11, 23)).report
    assert any("KARYA WANITA" in line and "belum pasti" in line for line in report)  # ambiguity is reported


# --- nearest --------------------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.tuples(st.floats(0.3, 0.75), st.floats(101.25, 101.65)),  # in and around the city
        st.tuples(st.floats(-11.0, 6.0), st.floats(95.0, 141.0)),  # anywhere in Indonesia
        st.tuples(st.floats(-80.0, 80.0), st.floats(-180.0, 180.0)),  # anywhere at all
    )
)
def test_nearest_three_equal_brute_force(point: tuple[float, float]) -> None:
    lat, lon = point
    found = topic.nearest_puskesmas(directory(), kp.Point(lat, lon), 3)
    assert [p.name for p, _ in found] == brute_force(lat, lon)
    assert [km for _, km in found] == sorted(km for _, km in found)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.floats(-60, 60), st.floats(-180, 180)), min_size=1, max_size=60),
    st.tuples(st.floats(-60, 60), st.floats(-180, 180)),
    st.integers(1, 5),
    st.sampled_from([0.05, 0.25, 2.0]),
)
def test_grid_index_is_exact_anywhere(
    points: list[tuple[float, float]], query: tuple[float, float], k: int, cell: float
) -> None:
    index = GridIndex(((lat, lon, i) for i, (lat, lon) in enumerate(points)), cell_deg=cell)
    expected = index.scan(query[0], query[1], k)
    assert index.nearest(query[0], query[1], k) == expected
    assert [i for i, _ in index.scan_vectorised(query[0], query[1], k)] == [i for i, _ in expected]
    odd = index.nearest(query[0], query[1], k, accept=lambda i: i % 2 == 1)
    assert odd == index.scan(query[0], query[1], k, accept=lambda i: i % 2 == 1)


def test_outside_the_city_is_recognised() -> None:
    d = directory()
    assert not topic.outside_area(d, kp.Point(0.51, 101.45))
    assert topic.outside_area(d, kp.Point(-6.2, 106.8))  # Jakarta


def test_nearest_igd_prefers_general_hospitals() -> None:
    found = topic.nearest_igd(directory(), kp.Point(0.465, 101.382), 2)  # next to RS Jiwa Tampan
    assert found and all(h.kind == "umum" for h, _ in found)


# --- areas and names ------------------------------------------------------------------------------------------


def typo(name: str) -> str:
    """Drop one letter from the middle of the longest word: 'Sukajadi' -> 'Sukadi'-like slips."""
    words = name.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    words[longest] = word[: len(word) // 2] + word[len(word) // 2 + 1 :]
    return " ".join(words)


KECAMATAN = [(k["code"], k["name"]) for k in WILAYAH["kecamatan"]]


@pytest.mark.parametrize(("code", "name"), KECAMATAN)
def test_every_kecamatan_typed_is_found(code: str, name: str) -> None:
    d = directory()
    variants = [f"puskesmas di kecamatan {name}", f"kec {name.lower()}"]
    if len(name.replace(" ", "")) >= 6:
        variants.append(f"puskesmas kecamatan {typo(name)}")
    for text in variants:
        area = topic.find_area(d, text)
        assert area is not None and area.kind == "kecamatan" and area.kecamatan[0].code == code, text


KELURAHAN = [(kel["code"], kel["name"]) for k in WILAYAH["kecamatan"] for kel in k["kelurahan"]][::4]


@pytest.mark.parametrize(("code", "name"), KELURAHAN)
def test_kelurahan_typed_is_found(code: str, name: str) -> None:
    d = directory()
    variants = [f"pkm dekat kelurahan {name}"]
    if name not in {k for _, k in KECAMATAN}:  # a bare "Sukajadi" means the kecamatan of that name
        variants.append(name.upper())
    if len(name.replace(" ", "")) >= 6:
        variants.append(f"kelurahan {typo(name)}")
    for text in variants:
        area = topic.find_area(d, text)
        assert area is not None and area.kelurahan is not None and area.kelurahan.code == code, text


def test_old_kecamatan_name_points_to_its_successors() -> None:
    area = topic.find_area(directory(), "puskesmas di kecamatan Tampan")
    assert area is not None and area.kind == "former"
    assert {k.name for k in area.kecamatan} == {"Binawidya", "Tuahmadani"}


def test_unknown_area_is_none() -> None:
    for text in ("puskesmas di kecamatan Antah Berantah", "puskesmas terdekat", "", "🙂" * 50):
        assert topic.find_area(directory(), text) is None


def test_names_with_typos() -> None:
    d = directory()
    assert [p.name for p in topic.find_by_name(d, "alamat puskesmas Rejosari")] == ["Rejosari"]
    assert [p.name for p in topic.find_by_name(d, "puskesmas rejosai")] == ["Rejosari"]
    assert [p.name for p in topic.find_by_name(d, "pkm umban sari")] == ["Umbansari"]
    assert topic.find_by_name(d, "puskesmas terdekat") == []


def plain_best(windows: list[str], names: list[tuple[str, object]], threshold: float) -> tuple[float, object | None]:
    """The matcher as it was: every window against every name, in Python (what the index must agree with)."""
    from rapidfuzz import fuzz

    best: tuple[float, int, object | None] = (0.0, 0, None)
    for window in windows:
        if len(window) < 3:
            continue
        for name, value in names:
            if window == name:
                score = 100.0
            elif len(window) >= 6 and name.startswith(window):
                score = 90.0
            else:
                score = fuzz.ratio(window, name) - (10 if len(name) <= 5 else 0)
            if (score, len(name)) > best[:2]:
                best = (score, len(name), value)
    return (best[0], best[2]) if best[0] >= threshold else (best[0], None)


_LETTERS = st.text(alphabet="abdeiknrstu", min_size=1, max_size=12)


@settings(max_examples=400, deadline=None)
@given(
    names=st.lists(_LETTERS, min_size=1, max_size=12),
    windows=st.lists(_LETTERS, max_size=10),
    threshold=st.sampled_from([85.0, 70.0]),
)
def test_indexed_matcher_answers_as_the_plain_loop(names: list[str], windows: list[str], threshold: float) -> None:
    """Same name (ties included: the longer name, then the earlier window and name), same score once it
    reaches the threshold; below it the index may report a lower score (callers only compare it with found ones)."""
    # the windows a text gives are runs of words: derive some from the names so that near and exact pairs occur
    windows = windows + [n[: len(n) - 1] for n in names[:3]] + [n + "a" for n in names[3:5]] + names[5:7]
    table: list[tuple[str, object]] = [(name, index) for index, name in enumerate(names)]
    score, found = name_index.best(windows, name_index.NameTable.of(table), threshold)
    plain_score, plain_found = plain_best(windows, table, threshold)
    assert found == plain_found
    if plain_found is not None:
        assert score == plain_score


def test_area_and_name_lookups_on_the_labelled_questions() -> None:
    """find_area and match_name over every labelled question answer as the plain loop did (table shared)."""
    d = directory()
    names = name_index.directory_names(d)
    labelled = yaml.safe_load((CONTENT.parent / "bench" / "understanding" / "labelled.yaml").read_text("utf-8"))
    texts = [q for questions in labelled["in_scope"].values() for q in questions]
    kel: list[tuple[str, object]] = list(zip(names.kelurahan.keys, names.kelurahan.values, strict=True))
    for text in texts:
        windows = name_index.windows_for(text)
        _score, found = name_index.best(windows, names.kelurahan, topic.AREA_SCORE)
        assert found == plain_best(windows, kel, topic.AREA_SCORE)[1], text


def test_filters_in_questions() -> None:
    assert topic.find_filter("puskesmas yang buka 24 jam") == topic.Filter("24h")
    assert topic.find_filter("puskesmas buka hari minggu?") == topic.Filter("day", "minggu")
    assert topic.find_filter("apakah puskesmas buka hari libur") == topic.Filter("day", kp.HOLIDAY)
    assert topic.find_filter("puskesmas yang buka sekarang") == topic.Filter("now")
    assert topic.find_filter("alamat puskesmas garuda") is None


# --- opening hours --------------------------------------------------------------------------------------------


def hours(**days: str) -> kp.Hours:
    parsed = {day: kp.parse_ranges(spec) for day, spec in days.items()}
    assert all(v is not None for v in parsed.values())
    return kp.Hours(tuple((day, ranges) for day, ranges in parsed.items() if ranges is not None))


def at(day: str, hhmm: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=JAKARTA)


HOLIDAYS = topic.holiday_checker(DIRECTORY) if DIRECTORY else (lambda day: False)
WEEKDAYS = {d: "07.30-14.00" for d in ("senin", "selasa", "rabu", "kamis")}
REGULAR = hours(**WEEKDAYS, jumat="07.30-11.00, 13.30-16.00", sabtu="07.30-12.00", minggu="tutup", libur="tutup")


def test_open_now_across_days() -> None:
    assert topic.open_now(REGULAR, at("2026-11-23", "09:00"), HOLIDAYS) is True  # Monday
    assert topic.open_now(REGULAR, at("2026-11-23", "07:29"), HOLIDAYS) is False
    assert topic.open_now(REGULAR, at("2026-11-23", "14:00"), HOLIDAYS) is False  # the end is exclusive
    assert topic.open_now(REGULAR, at("2026-11-27", "12:00"), HOLIDAYS) is False  # Friday prayer break
    assert topic.open_now(REGULAR, at("2026-11-27", "14:00"), HOLIDAYS) is True
    assert topic.open_now(REGULAR, at("2026-11-28", "11:59"), HOLIDAYS) is True  # Saturday
    assert topic.open_now(REGULAR, at("2026-11-29", "09:00"), HOLIDAYS) is False  # Sunday


def test_public_holidays_from_content_close_a_weekday() -> None:
    monday_holiday = dt.date(2026, 8, 17)  # Proklamasi, listed in content/holidays.yaml
    assert HOLIDAYS(monday_holiday) and monday_holiday.weekday() == 0
    assert topic.open_now(REGULAR, at("2026-08-17", "09:00"), HOLIDAYS) is False
    assert topic.open_now(REGULAR, at("2026-08-18", "09:00"), HOLIDAYS) is True
    # A holiday the puskesmas has no "libur" hours for: unknown, not the weekday's hours.
    no_holiday_entry = hours(**WEEKDAYS)
    assert topic.open_now(no_holiday_entry, at("2026-08-17", "09:00"), HOLIDAYS) is None


def test_hours_across_midnight() -> None:
    night = hours(jumat="20.00-02.00", sabtu="tutup", libur="tutup")
    assert topic.open_now(night, at("2026-11-27", "23:30"), HOLIDAYS) is True  # Friday night
    assert topic.open_now(night, at("2026-11-28", "01:59"), HOLIDAYS) is True  # Saturday, still Friday's shift
    assert topic.open_now(night, at("2026-11-28", "02:00"), HOLIDAYS) is False
    assert topic.open_now(night, at("2026-11-27", "19:59"), HOLIDAYS) is False  # before Friday's shift
    assert topic.open_now(night, at("2026-11-26", "23:00"), HOLIDAYS) is None  # Thursday: nobody told us
    always = hours(**{d: "24 jam" for d in (*kp.DAYS, kp.HOLIDAY)})
    assert topic.open_now(always, at("2026-11-28", "00:00"), HOLIDAYS) is True
    assert topic.is_24h(always) is True and topic.is_24h(REGULAR) is False and topic.is_24h(kp.Hours()) is None


def test_unknown_hours_say_unknown() -> None:
    assert topic.open_now(kp.Hours(), at("2026-11-23", "09:00"), HOLIDAYS) is None
    assert topic.open_on(kp.Hours(), "minggu") is None
    assert topic.open_on(REGULAR, "minggu") is False and topic.open_on(REGULAR, "sabtu") is True


def test_parse_ranges_rejects_nonsense() -> None:
    assert kp.parse_ranges("07.30-14.00") == ((450, 840),)
    assert kp.parse_ranges("07:30 – 12:00, 13.00-16.00") == ((450, 720), (780, 960))
    for bad in ("pagi", "25.00-26.00", "07.30-07.30", "07.60-08.00", ""):
        assert kp.parse_ranges(bad) is None, bad
