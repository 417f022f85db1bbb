"""The uhc section: facts about the region's free JKN (UHC) and the eligibility check as a declarative flow.

Staff change the questions, accepted answers, branches and outcomes in `uhc.yaml`;
this module reads them with their lines and refuses a flow a resident could get lost
in: a branch to nowhere, a loop without an exit, a question nobody reaches, or an
outcome that does not say what to do next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from bot.knowledge.source import Document, Fields, LineMap, Localized, Problems

FILES = ("uhc.yaml",)

# Handlers "uhc.<name>" answer with the facts listed under answers.<name>; "uhc.start" opens the flow.
START_HANDLER = "uhc.start"
HANDLER_PREFIX = "uhc."


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    title: Localized
    text: Localized
    source: str
    reviewed: dt.date | None
    line: int


@dataclass(frozen=True, slots=True)
class Choice:
    """One accepted answer of a step: its button label, what may be typed for it, and where it leads."""

    label: Localized
    phrases: tuple[str, ...]  # typed forms (the label, its own `typed` and the shared `words` sets), as written
    next: str
    line: int  # the line of `next`, where a dangling branch is reported


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    question: Localized
    choices: tuple[Choice, ...]
    line: int


@dataclass(frozen=True, slots=True)
class FlowOutcome:
    id: str
    title: Localized
    text: Localized
    next_steps: tuple[Localized, ...]
    related: tuple[str, ...]  # intent ids offered as buttons after the outcome
    source: str
    reviewed: dt.date | None
    line: int


@dataclass(frozen=True, slots=True)
class Flow:
    intro: Localized | None
    start: str
    steps: Mapping[str, Step]
    outcomes: Mapping[str, FlowOutcome]

    def node(self, node_id: str) -> Step | FlowOutcome | None:
        return self.steps.get(node_id) or self.outcomes.get(node_id)


@dataclass(frozen=True, slots=True)
class UhcGuide:
    region: str
    facts: Mapping[str, Fact]
    answers: Mapping[str, tuple[str, ...]]  # answer name (handler suffix) -> fact ids, in order
    flow: Flow
    file: str

    def facts_for(self, answer: str) -> tuple[Fact, ...]:
        return tuple(self.facts[f] for f in self.answers.get(answer, ()) if f in self.facts)


def parse(docs: list[Document], problems: Problems) -> UhcGuide:
    doc = docs[0]
    top = Fields(doc.data, doc.name, problems, "uhc")
    region = top.text("region")
    facts = _parse_facts(top, doc.name, problems)
    answers = _parse_answers(top, doc.name, problems, facts)
    flow_fields = Fields(_mapping(top, "flow"), doc.name, problems, "flow")
    flow = _parse_flow(flow_fields, doc.name, problems)
    top.done()
    return UhcGuide(region=region, facts=facts, answers=answers, flow=flow, file=doc.name)


def check(content: Any, problems: Problems) -> None:
    """Cross-section: outcome buttons name real intents, and every `uhc.x` handler has its answer here."""
    guide: UhcGuide = content.uhc
    for outcome in guide.flow.outcomes.values():
        for related in outcome.related:
            if content.intents.get(related) is None:
                problems.error(
                    guide.file, outcome.line, f"outcome '{outcome.id}': related '{related}' is not a known intent id"
                )
    for intent in content.intents.intents:
        handler = intent.handler or ""
        if handler.startswith(HANDLER_PREFIX) and handler != START_HANDLER:
            name = handler.removeprefix(HANDLER_PREFIX)
            if name not in guide.answers:
                problems.error(
                    intent.file,
                    intent.line,
                    f"entry '{intent.id}': handler '{handler}' needs 'answers: {name}:' in {guide.file}",
                )


def _parse_facts(top: Fields, file: str, problems: Problems) -> dict[str, Fact]:
    facts: dict[str, Fact] = {}
    for fact_id, raw in _mapping(top, "facts").items():
        f = Fields(raw, file, problems, f"fact '{fact_id}'", line=_key_line(top.data.get("facts"), fact_id))
        facts[fact_id] = Fact(
            id=fact_id,
            title=f.localized("title") or Localized.plain(fact_id),
            text=f.localized("text") or Localized.plain(""),
            source=f.text("source"),
            reviewed=f.date("reviewed"),
            line=f.line,
        )
        f.done()
    return facts


def _parse_answers(top: Fields, file: str, problems: Problems, facts: Mapping[str, Fact]) -> dict[str, tuple[str, ...]]:
    raw = _mapping(top, "answers")
    f = Fields(raw, file, problems, "answers", top.line_of("answers"))
    answers: dict[str, tuple[str, ...]] = {}
    for name in raw:
        ids = f.texts(name)
        for fact_id in ids:
            if fact_id not in facts:
                f.error(name, f"'{name}' lists unknown fact '{fact_id}'")
        answers[name] = ids
    return answers


def _parse_flow(f: Fields, file: str, problems: Problems) -> Flow:
    intro = f.localized("intro", required=False)
    start = f.text("start")
    words = _parse_words(f, file, problems)
    steps: dict[str, Step] = {}
    steps_raw = _mapping(f, "steps")
    for step_id, raw in steps_raw.items():
        steps[step_id] = _parse_step(step_id, raw, _key_line(steps_raw, step_id), file, problems, words)
    outcomes: dict[str, FlowOutcome] = {}
    outcomes_raw = _mapping(f, "outcomes")
    for outcome_id, raw in outcomes_raw.items():
        outcome = _parse_outcome(outcome_id, raw, _key_line(outcomes_raw, outcome_id), file, problems)
        outcomes[outcome_id] = outcome
        if outcome_id in steps:
            problems.error(file, outcome.line, f"outcome '{outcome_id}' has the same id as a step: rename one")
    f.done()
    flow = Flow(intro=intro, start=start, steps=steps, outcomes=outcomes)
    if steps_raw and start and start not in steps:
        f.error("start", f"start '{start}' is not a step")
    _check_graph(flow, file, problems)
    return flow


def _parse_words(f: Fields, file: str, problems: Problems) -> dict[str, tuple[str, ...]]:
    raw = _mapping(f, "words", required=False)
    wf = Fields(raw, file, problems, "words", f.line_of("words"))
    return {name: wf.texts(name) for name in raw}


def _parse_step(
    step_id: str, raw: Any, line: int, file: str, problems: Problems, words: Mapping[str, tuple[str, ...]]
) -> Step:
    f = Fields(raw, file, problems, f"step '{step_id}'", line)
    f.line = line  # report problems of the whole step at its id, where staff look for it
    question = f.localized("question") or Localized.plain(step_id)
    choices: list[Choice] = []
    owner: dict[str, int] = {}  # typed phrase -> index of the choice that accepts it
    for item_line, item in f.items("answers"):
        c = Fields(item, file, problems, f"step '{step_id}' answer", item_line)
        label = c.localized("label") or Localized.plain("?")
        phrases = list(label.get(code) for code in label.languages)
        for name in c.texts("words", required=False):
            if name not in words:
                c.error("words", f"unknown word set '{name}' (known: {', '.join(sorted(words)) or 'none'})")
            phrases.extend(words.get(name, ()))
        phrases.extend(c.texts("typed", required=False))
        target = c.text("next")
        for phrase in phrases:
            key = " ".join(phrase.lower().split())
            if owner.setdefault(key, len(choices)) != len(choices):
                c.error("typed", f"'{phrase}' is accepted by two answers of this step: keep it in one")
        choices.append(Choice(label=label, phrases=tuple(phrases), next=target, line=c.line_of("next")))
        c.done()
    f.done()
    return Step(id=step_id, question=question, choices=tuple(choices), line=line)


def _parse_outcome(outcome_id: str, raw: Any, line: int, file: str, problems: Problems) -> FlowOutcome:
    f = Fields(raw, file, problems, f"outcome '{outcome_id}'", line)
    f.line = line
    next_steps: list[Localized] = []
    for item_line, item in f.items("next_steps", required=False):
        text = _localized_item(item, item_line, file, problems, f"outcome '{outcome_id}' next step")
        if text is not None:
            next_steps.append(text)
    if not next_steps and f.ok:
        f.error(None, "has no next_steps: say what the resident should do next")
    outcome = FlowOutcome(
        id=outcome_id,
        title=f.localized("title") or Localized.plain(outcome_id),
        text=f.localized("text") or Localized.plain(""),
        next_steps=tuple(next_steps),
        related=f.texts("related", required=False),
        source=f.text("source"),
        reviewed=f.date("reviewed"),
        line=line,
    )
    f.done()
    return outcome


def _check_graph(flow: Flow, file: str, problems: Problems) -> None:
    """Dangling branches, steps nobody reaches, and steps from which no outcome can be reached."""
    for step in flow.steps.values():
        for choice in step.choices:
            if choice.next and flow.node(choice.next) is None:
                problems.error(
                    file, choice.line, f"step '{step.id}': answer leads to unknown step or outcome '{choice.next}'"
                )
    reached = set(_reachable(flow, flow.start)) if flow.start in flow.steps else set()
    for step in flow.steps.values():
        if reached and step.id not in reached:
            problems.error(file, step.line, f"step '{step.id}' is unreachable: no answer leads to it from the start")
    for outcome in flow.outcomes.values():
        if reached and outcome.id not in reached:
            problems.warn(file, outcome.line, f"outcome '{outcome.id}' is unreachable: no answer leads to it")
    trapped = [
        s for s in flow.steps.values() if s.choices and not any(n in flow.outcomes for n in _reachable(flow, s.id))
    ]  # a step without answers is already reported as such
    for step in trapped:
        loop = ", ".join(sorted(n for n in _reachable(flow, step.id) if n in flow.steps))
        problems.error(
            file, step.line, f"step '{step.id}' cannot reach any outcome: a cycle with no exit (through {loop})"
        )


def _reachable(flow: Flow, start: str) -> Iterator[str]:
    """Every node reachable from `start` (itself included), following known branches only."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        yield node
        step = flow.steps.get(node)
        if step is not None:
            todo.extend(c.next for c in step.choices if flow.node(c.next) is not None)


def _localized_item(value: Any, line: int, file: str, problems: Problems, where: str) -> Localized | None:
    """A list item that is a Localized text (plain Indonesian or {id: ..., en: ...})."""
    holder = LineMap(text=value)
    holder.line, holder.key_lines = line, {"text": line}
    return Fields(holder, file, problems, where).localized("text")


def _mapping(f: Fields, key: str, required: bool = True) -> LineMap:
    """The mapping under `key`, or an empty one when it is missing or not a mapping (already reported)."""
    found = f.mapping(key, required)
    if found is not None:
        return found
    empty = LineMap()
    empty.line, empty.key_lines = f.line_of(key), {}
    return empty


def _key_line(mapping: Any, key: str) -> int:
    if isinstance(mapping, LineMap):
        return mapping.key_lines.get(key, mapping.line)
    return 1
