"""The UHC eligibility check, driven like `chat --jsonl`: every path in content, and explicit transcripts."""

from __future__ import annotations

import os
from pathlib import Path

from bot.engine.langdetect import detect
from bot.engine.types import Inbound
from bot.knowledge.content import load_content
from bot.knowledge.uhc import Choice, Flow, FlowOutcome, Step
from bot.runtime import Runtime
from bot.topics import uhc as machine
from tests.support.chat import Chat, payloads_of, text_of
from tests.support.cli import chat_jsonl
from tests.support.settings import CONTENT, make_settings


def _flow(service: Runtime) -> Flow:
    return service.holder.current.uhc.flow


def _aliases(service: Runtime) -> dict[str, str]:
    return service.holder.current.language.replacement_map


def _typed_for(step: Step, choice: Choice, aliases: dict[str, str]) -> str:
    """A typed synonym (not the button label) that the flow reads as this choice."""
    labels = {choice.label.get(code).lower() for code in choice.label.languages}
    for phrase in reversed(choice.phrases):  # the shared word sets and `typed` come after the label
        if detect(phrase) == "en":
            continue  # an English synonym is answered in English (bot/engine/langdetect.py); this walk is Indonesian
        if phrase.lower() not in labels and machine.match_choice(step, phrase, aliases) is choice:
            return phrase
    raise AssertionError(f"step {step.id}: no typed synonym reaches '{choice.label}'")


def _assert_outcome(result: dict, outcome: FlowOutcome) -> None:
    text = text_of(result)
    assert result["intent"] == "uhc"
    assert outcome.title.get() in text
    for step in outcome.next_steps:
        assert step.get() in text
    assert "Sumber:" in text
    assert "uhc:start" in payloads_of(result)


async def test_every_path_in_content_reaches_its_outcome_with_typed_answers(service: Runtime) -> None:
    flow, aliases = _flow(service), _aliases(service)
    paths = list(machine.paths(flow))
    assert len(paths) >= len(flow.outcomes)  # every outcome is reached by at least one path
    assert {outcome.id for _, outcome in paths} == set(flow.outcomes)
    for number, (trail, outcome) in enumerate(paths):
        chat = Chat(service, user=f"path{number}")
        result = await chat.say("/uhc")
        for step_id, index in trail:
            step = flow.steps[step_id]
            assert step.question.get() in text_of(result), (trail, step_id)
            result = await chat.say(_typed_for(step, step.choices[index], aliases))
        _assert_outcome(result, outcome)


async def test_every_path_also_works_with_buttons_and_typed_numbers(service: Runtime) -> None:
    flow = _flow(service)
    for number, (trail, outcome) in enumerate(machine.paths(flow)):
        pressed, typed = Chat(service, user=f"btn{number}"), Chat(service, user=f"num{number}")
        await pressed.say("/uhc")
        await typed.say("/uhc")
        for step_id, index in trail:
            by_button = await pressed.say(f"@btn uhc:{step_id}:{index}")
            by_number = await typed.say(str(index + 1))
        assert text_of(by_button) == text_of(by_number)
        _assert_outcome(by_button, outcome)


async def test_every_accepted_phrase_means_its_own_answer(service: Runtime) -> None:
    flow, aliases = _flow(service), _aliases(service)
    for step in flow.steps.values():
        for choice in step.choices:
            for phrase in choice.phrases:
                assert machine.match_choice(step, phrase, aliases) is choice, (step.id, phrase)


async def test_transcript_free_treatment_with_ktp(chat: Chat) -> None:
    start = await chat.say("apakah saya bisa berobat gratis pakai KTP?")
    assert start["intent"] == "uhc"
    assert "KTP" in text_of(start) and "NIK" in text_of(start)  # says it will never ask for one
    assert "uhc:ktp:0" in payloads_of(start)
    asked = await chat.say("iyaa kak, saya warga pekanbaru")
    assert "BPJS" in text_of(asked)
    work = await chat.say("belum pernah")
    assert "karyawan" in text_of(work)
    done = await chat.say("saya ibu rumah tangga")
    text = text_of(done)
    assert "KTP" in text and "Kartu Keluarga" in text and "puskesmas" in text
    assert "kelas III" in text
    after = await chat.say("ya")  # the check is over: "ya" is no longer an answer to it
    assert "Langkah berikutnya" not in text_of(after)


async def test_transcript_unknown_status_points_to_the_official_channels(chat: Chat) -> None:
    await chat.run("/uhc", "y", "udah")
    result = await chat.say("gak tau kak")
    text = text_of(result)
    for channel in ("Mobile JKN", "0811-8165-165", "0811-8750-400", "165"):
        assert channel in text


async def test_transcript_employee_with_inactive_bpjs(chat: Chat) -> None:
    results = await chat.run("/uhc", "benar", "punya kartu", "sudah nonaktif", "saya karyawan swasta")
    assert "HRD" in text_of(results[-1])
    assert "kantor" in text_of(results[-1]).lower()


async def test_outside_pekanbaru(chat: Chat) -> None:
    result = (await chat.run("/uhc", "nggak, ktp saya luar kota"))[-1]
    assert "Disdukcapil" in text_of(result)


async def test_an_unexpected_answer_is_asked_again_politely(chat: Chat) -> None:
    first = await chat.say("/uhc")
    again = await chat.say("ya tidak")  # two answers at once: ask again, never guess
    assert again["intent"] == "uhc" and again["replies"][0]["text"].startswith("Maaf")
    assert payloads_of(again) == payloads_of(first)
    nonsense = await chat.say("qwerty")
    assert "batal" in text_of(nonsense)  # after two misses it says how to leave
    assert (await chat.say("ya"))["replies"][0]["text"] != again["replies"][0]["text"]


async def test_batal_and_menu_leave_the_check_at_any_step(chat: Chat) -> None:
    for leave in ("batal", "menu"):
        await chat.run("/uhc", "ya")
        left = await chat.say(leave)
        assert left["intent"] == "menu"
        after = await chat.say("sudah")
        assert after["intent"] != "uhc"


async def test_a_new_question_in_the_middle_is_answered(chat: Chat) -> None:
    await chat.run("/uhc", "ya")
    other = await chat.say("berapa iuran bpjs kelas 1")
    assert other["intent"] == "jkn_iuran"
    assert "150.000" in text_of(other)


async def test_the_check_survives_a_restart(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    first = await Runtime.open(settings, watch_interval=None)
    await Chat(first, user="ani").run("/uhc", "ya")
    await first.close()
    second = await Runtime.open(settings, watch_interval=None)
    try:
        result = await Chat(second, user="ani").say("sudah")
        assert "aktif" in text_of(result)
        assert "uhc:aktif:0" in payloads_of(result)
    finally:
        await second.close()


async def test_a_stale_button_starts_again(chat: Chat) -> None:
    result = await chat.say("@btn uhc:langkah_lama:0")
    assert "diperbarui" in text_of(result)
    assert "uhc:ktp:0" in payloads_of(result)


async def test_a_nik_inside_the_check_is_not_echoed_and_the_question_stays(chat: Chat) -> None:
    await chat.say("/uhc")
    result = await chat.say("ini nik saya 1471 0212 3456 0001")
    text = text_of(result)
    assert "1471" not in text and "0001" not in text
    assert "jangan kirim NIK" in text
    assert "uhc:ktp:0" in payloads_of(result)


async def test_english_speakers_get_the_check_in_english(service: Runtime) -> None:
    flow = _flow(service)
    first = await service.handle(Inbound(user_key="console:en", channel="console", text="/uhc", language_hint="en"))
    assert flow.steps[flow.start].question.get("en") in first.replies[-1].text
    follow = await service.handle(Inbound(user_key="console:en", channel="console", text="yes", language_hint="en"))
    assert flow.steps["punya_jkn"].question.get("en") in follow.replies[-1].text


NATURAL_ANSWERS = [
    ("ktp", "Iyaaa kak", "punya_jkn"),
    ("ktp", "ya, saya warga pekanbaru asli", "punya_jkn"),
    ("ktp", "gak, ktp sy kampar", "luar_daerah"),
    ("ktp", "bukan warga pekanbaru", "luar_daerah"),
    ("punya_jkn", "udh punya", "aktif"),
    ("punya_jkn", "blm pernah", "kerja_baru"),
    ("punya_jkn", "nggak tau kak", "cek_status"),
    ("punya_jkn", "lupa", "cek_status"),
    ("aktif", "masih aktif kok", "sudah_aktif"),
    ("aktif", "udah gak aktif", "kerja_nonaktif"),
    ("aktif", "nunggak", "kerja_nonaktif"),
    ("aktif", "gatau", "cek_status"),
    ("kerja_baru", "saya bukan karyawan", "daftar_pemda"),
    ("kerja_baru", "ibu rumah tangga", "daftar_pemda"),
    ("kerja_baru", "iya sy karyawan", "karyawan"),
    ("kerja_nonaktif", "sudah berhenti kerja", "nonaktif_pemda"),
    ("kerja_nonaktif", "pegawai", "karyawan"),
]


async def test_natural_answers_lead_where_a_person_means(service: Runtime) -> None:
    flow, aliases = _flow(service), _aliases(service)
    for step_id, typed, expected in NATURAL_ANSWERS:
        result = machine.answer(flow, step_id, typed, aliases)
        assert not isinstance(result, machine.Reask), (step_id, typed)
        assert result is not None and result.id == expected, (step_id, typed, result)


async def test_unclear_or_long_answers_are_asked_again(service: Runtime) -> None:
    flow, aliases = _flow(service), _aliases(service)
    for typed in ("", "ya tidak", "???", "apakah ada puskesmas yang buka hari minggu di dekat rumah saya ya"):
        assert isinstance(machine.answer(flow, "ktp", typed, aliases), machine.Reask), typed
    assert machine.answer(flow, "langkah_yang_dihapus", "ya", aliases) is None


async def test_an_open_check_survives_a_content_edit_that_removes_its_step(tmp_path: Path, content_dir: Path) -> None:
    service = await Runtime.open(make_settings(tmp_path, content=content_dir), watch_interval=None)
    try:
        chat = Chat(service, user="edit")
        await chat.run("/uhc", "ya")  # now at step punya_jkn
        path = content_dir / "uhc.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("punya_jkn", "sudah_jkn"), encoding="utf-8")
        assert service.holder.reload()
        result = await chat.say("sudah")
        assert "diperbarui" in text_of(result)
        assert "uhc:ktp:0" in payloads_of(result)  # begins again at the first question, no crash
    finally:
        await service.close()


def test_every_path_through_the_real_chat_jsonl_command(tmp_path: Path) -> None:
    """The same paths, typed into `python -m bot chat --jsonl` itself (one process, one user, one path after another)."""
    content, _ = load_content(CONTENT)
    assert content is not None
    flow, aliases = content.uhc.flow, content.language.replacement_map
    lines: list[str] = []
    expected: list[FlowOutcome] = []
    for trail, outcome in machine.paths(flow):
        lines.append("/uhc")
        lines += [_typed_for(flow.steps[s], flow.steps[s].choices[i], aliases) for s, i in trail]
        expected.append(outcome)
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/jsonl.db", "CONTENT_DIR": str(CONTENT)}
    results = chat_jsonl(lines, env, user="paths")
    assert [r["in"] for r in results] == lines
    finals = [results[i - 1] for i, line in enumerate(lines) if line == "/uhc" and i > 0] + [results[-1]]
    assert len(finals) == len(expected)
    for result, outcome in zip(finals, expected, strict=True):
        _assert_outcome(result, outcome)


async def test_a_command_in_the_middle_is_a_command(chat: Chat) -> None:
    await chat.run("/uhc", "ya")
    again = await chat.say("/uhc")
    assert "uhc:ktp:0" in payloads_of(again)  # begins anew instead of "I did not understand"
    assert not again["replies"][-1]["text"].startswith("Maaf")
