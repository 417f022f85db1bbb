"""English is understood as well as Indonesian on the same topics, through the real `python -m bot chat --jsonl`.

Each topic has an Indonesian question and English ones written as residents write them (US and UK
spellings, "health center", "check up"); each English question must reach the topic its Indonesian
twin reaches, both for a resident who chose English with /bahasa and for one who just writes English.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bot.knowledge.content import load_content
from tests.support.cli import run_bot
from tests.support.english import TOPIC_TWINS, indonesian_words, name_words
from tests.support.settings import CONTENT, ROOT

TODAY = "2026-11-23"
# The same question in both spellings: the same answer.
SPELLINGS = (
    ("where is the nearest health center", "where is the nearest health centre"),
    ("immunization schedule for my baby", "immunisation schedule for my baby"),
    ("extra vaccines at a pediatric clinic", "extra vaccines at a paediatric clinic"),
    ("anemia in pregnancy", "anaemia in pregnancy"),
    ("vaccination at school", "immunization at school", "immunisation at school"),
)
CHOOSE_ENGLISH = ("/bahasa", "@btn lang:en")


def chat(lines: list[str], tmp: Path, user: str) -> list[dict]:
    """The lines through one `chat --jsonl` process (one resident); one output per line."""
    env = {k: v for k, v in os.environ.items() if k != "LOCALES_DIR"}
    env.update(DATABASE_URL=f"sqlite+aiosqlite:///{tmp}/{user}.db", CONTENT_DIR=str(ROOT / "content"))
    env["PSEUDONYM_KEY"] = "test-key"
    done = run_bot("chat", "--jsonl", "--today", TODAY, "--user", user, input="\n".join(lines) + "\n", env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    outputs = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert [o["in"] for o in outputs] == lines
    return outputs


def asked(questions: list[str], first: tuple[str, ...] = ()) -> list[str]:
    """Each question after 'menu' (no flow or topic carried over from the one before)."""
    return [*first, *(line for q in questions for line in ("menu", q))]


def answers(outputs: list[dict], first: tuple[str, ...] = ()) -> list[dict]:
    return outputs[len(first) + 1 :: 2]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, tuple[str, str]]]:
    """{run: {question: (intent, first reply)}} for the Indonesian run and the two English runs."""
    tmp = tmp_path_factory.mktemp("english-understanding")
    indonesian = [q for q, _ in TOPIC_TWINS.values()]
    english = [e for _, es in TOPIC_TWINS.values() for e in es]
    found = {}
    for run, questions, first in (
        ("id", indonesian, ()),
        ("en-chosen", english, CHOOSE_ENGLISH),
        ("en-typed", english, ()),
    ):
        outputs = answers(chat(asked(questions, first), tmp, run), first)
        found[run] = {q: (o["intent"], o["replies"][0]["text"]) for q, o in zip(questions, outputs, strict=True)}
    return found


@pytest.mark.slow
@pytest.mark.parametrize("run", ["en-chosen", "en-typed"])
def test_english_reaches_the_topic_its_indonesian_twin_reaches(
    runs: dict[str, dict[str, tuple[str, str]]], run: str
) -> None:
    intents = {r: {q: intent for q, (intent, _) in found.items()} for r, found in runs.items()}
    wrong = []
    for topic, (indonesian, english) in TOPIC_TWINS.items():
        assert intents["id"][indonesian] == topic, f"the Indonesian twin: {indonesian!r} -> {intents['id'][indonesian]}"
        wrong += [f"{e!r} -> {intents[run][e]} (not {topic})" for e in english if intents[run][e] != topic]
    right_id = sum(intents["id"][q] == t for t, (q, _) in TOPIC_TWINS.items()) / len(TOPIC_TWINS)
    english = [(t, e) for t, (_, es) in TOPIC_TWINS.items() for e in es]
    right_en = sum(intents[run][e] == t for t, e in english) / len(english)
    assert right_en >= right_id, f"English {right_en:.0%} < Indonesian {right_id:.0%}:\n" + "\n".join(wrong)
    assert not wrong, "\n".join(wrong)


@pytest.mark.slow
def test_a_resident_who_writes_english_is_answered_in_english_without_pressing_anything(
    runs: dict[str, dict[str, tuple[str, str]]],
) -> None:
    content, _ = load_content(CONTENT)
    assert content is not None
    names = name_words(content)
    indonesian = {q: said.split("\n")[0] for q, (_, said) in runs["en-typed"].items()}
    found = {q: words for q, first in indonesian.items() if (words := indonesian_words(first, names))}
    assert not found, found


@pytest.mark.slow
def test_both_spellings_get_the_same_answer(tmp_path: Path) -> None:
    questions = [q for group in SPELLINGS for q in group]
    outputs = answers(chat(asked(questions, CHOOSE_ENGLISH), tmp_path, "spellings"), CHOOSE_ENGLISH)
    said = {  # "Was this answer helpful?" is asked once in a while: the answer before it
        q: (o["intent"], o["replies"][0]["text"].split("\n\nWas this answer")[0])
        for q, o in zip(questions, outputs, strict=True)
    }
    for group in SPELLINGS:
        assert len({said[q] for q in group}) == 1, {q: said[q][0] for q in group}
        assert said[group[0]][0] not in {"fallback", "clarify"}, said[group[0]]


@pytest.mark.slow
def test_nearest_health_center_asks_where_the_resident_is_and_never_says_the_area_is_unknown(tmp_path: Path) -> None:
    """Asked again while the bot waits for a place, the question is not read as a place it cannot find."""
    lines = [
        "nearest health center",
        "where is the nearest health center",
        "nearest health centre",
        "is the health center open on friday",
        "kecamatan sukajadi",
    ]
    outputs = chat(lines, tmp_path, "nearest")
    for out in outputs[:4]:
        text = out["replies"][0]["text"]
        assert out["intent"] in {"puskesmas", "puskesmas_jam"}, out
        assert out["replies"][0]["location_request"], out  # the button that shares a location
        assert "couldn't find" not in text and "belum menemukan" not in text, text
        assert "send your location" in text, text  # asked in English, answered in English
    found = outputs[4]["replies"][0]["text"]
    assert found.startswith("I can't be sure which puskesmas are open on Friday"), found
    assert "Puskesmas in Kecamatan Sukajadi" in found and "Puskesmas Langsat" in found
