"""Hostile input: whatever a user types or staff save, the bot answers or reports, never crashes."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine.types import Inbound, Location
from bot.knowledge.content import load_content
from bot.runtime import Runtime
from tests.support.settings import CONTENT, make_settings

NASTY = [
    "",
    " ",
    "\u200b\u200c\u200d\ufeff",  # zero-width characters only
    "مرحبا كيف حالك",  # right-to-left
    "\u202eimunisasi\u202c",  # RTL override around a real word
    "👶💉❓" * 50,
    "a" * 100_000,  # 100 kB
    "imunisasi " * 10_000,
    "\x00\x01\x02 null bytes",
    "/start@TanyaSehatBot extra",
    "/",
    "@btn",
    "1" * 16,
    "𝕚𝕞𝕦𝕟𝕚𝕤𝕒𝕤𝕚 𝕓𝕒𝕪𝕚",  # mathematical letters (NFKC folds them)
    "İSTANBUL ǅ ß ﬁ",
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    loop = asyncio.new_event_loop()
    service = loop.run_until_complete(
        Runtime.open(make_settings(tmp_path_factory.mktemp("hostile")), watch_interval=None)
    )
    yield loop, service
    loop.run_until_complete(service.close())
    loop.close()


def _answer(engine, inbound: Inbound):  # type: ignore[no-untyped-def]
    loop, service = engine
    return loop.run_until_complete(service.handle(inbound))


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_nasty_texts_get_a_reply(engine, text: str) -> None:  # type: ignore[no-untyped-def]
    outcome = _answer(engine, Inbound(user_key="console:nasty", channel="console", text=text))
    assert outcome.replies and all(r.text for r in outcome.replies)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=500), user=st.integers(0, 3))
def test_any_text_gets_a_reply(engine, text: str, user: int) -> None:  # type: ignore[no-untyped-def]
    outcome = _answer(engine, Inbound(user_key=f"console:h{user}", channel="console", text=text))
    assert outcome.replies and all(r.text for r in outcome.replies)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.text(max_size=200))
def test_any_button_payload_gets_a_reply(engine, payload: str) -> None:  # type: ignore[no-untyped-def]
    outcome = _answer(engine, Inbound(user_key="console:btn", channel="console", payload=payload or "x"))
    assert outcome.replies


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lat=st.floats(-90, 90), lon=st.floats(-180, 180))
def test_any_location_gets_a_reply(engine, lat: float, lon: float) -> None:  # type: ignore[no-untyped-def]
    outcome = _answer(engine, Inbound(user_key="console:loc", channel="console", location=Location(lat, lon)))
    assert outcome.replies


YAMLISH = st.text(alphabet=st.sampled_from(list("abc:- \n\t[]{}'\"#&*!|>%@`0123456789")), max_size=300)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=YAMLISH, victim=st.sampled_from(["office.yaml", "faq/kantor.yaml", "language.yaml", "danger_signs.yaml"]))
def test_content_loader_reports_instead_of_crashing(
    tmp_path_factory: pytest.TempPathFactory, text: str, victim: str
) -> None:
    directory = tmp_path_factory.mktemp("content")
    shutil.copytree(CONTENT, directory, dirs_exist_ok=True)
    (directory / victim).write_text(text)
    content, problems = load_content(Path(directory))
    if content is None:
        assert problems.errors
        assert all(p.line >= 1 and p.file for p in problems.errors)


@pytest.mark.parametrize(
    "fields",
    [
        {"text": {"a": 1}},
        {"text": ["halo"]},
        {"payload": 42},
        {"location": Location([1], 2)},  # type: ignore[arg-type]
        {"location": Location(float("nan"), 101.4)},
        {"location": Location(500.0, 101.4)},
        {"text": "halo", "language_hint": {"en": 1}},
        {"text": "halo", "at": "kemarin"},
    ],
    ids=range(8),
)
def test_wrongly_typed_fields_from_a_channel(engine, fields: dict) -> None:  # type: ignore[no-untyped-def]
    outcome = _answer(engine, Inbound(user_key="console:typed", channel="console", **fields))
    assert outcome.replies and all(r.text for r in outcome.replies)
