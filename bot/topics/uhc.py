"""The UHC eligibility check as a pure flow machine over the content's declarative flow.

`start` gives the first step; `answer(flow, step, typed)` turns what a resident typed
into the next step, an outcome, or a `Reask` when the answer fits none of the step's
choices. No database, no I/O: the engine keeps the current step in the conversation state.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from bot.knowledge.uhc import Choice, Flow, FlowOutcome, Step

# An answer longer than this is a sentence, not a reply to a yes/no question: a stray "ada" or
# "ya" inside a new question must not push the resident down a branch.
MAX_ANSWER_WORDS = 8

_NON_WORD = re.compile(r"[^\w]+")
_RUNS = re.compile(r"(\w)\1+")


@dataclass(frozen=True, slots=True)
class Reask:
    """The typed text fits none of the step's answers: ask the same question again."""

    step: Step


Next = Step | FlowOutcome | Reask
Trail = tuple[tuple[str, int], ...]  # the answers given on a path: (step id, choice index), in order


def start(flow: Flow) -> Step:
    return flow.steps[flow.start]


def answer(flow: Flow, step_id: str, typed: str, aliases: Mapping[str, str] | None = None) -> Next | None:
    """Where a typed answer to `step_id` leads; None when the step no longer exists (content changed)."""
    step = flow.steps.get(step_id)
    if step is None:
        return None
    choice = match_choice(step, typed, aliases or {})
    if choice is None:
        return Reask(step)
    return follow(flow, choice)


def choose(flow: Flow, step_id: str, index: int) -> Step | FlowOutcome | None:
    """Where a pressed button (the step's answer number `index`, from 0) leads; None if it is stale."""
    step = flow.steps.get(step_id)
    if step is None or not 0 <= index < len(step.choices):
        return None
    return follow(flow, step.choices[index])


def follow(flow: Flow, choice: Choice) -> Step | FlowOutcome:
    node = flow.node(choice.next)
    if node is None:  # the content check refuses dangling branches; guard anyway
        raise LookupError(f"flow branch to unknown node {choice.next!r}")
    return node


def match_choice(step: Step, typed: str, aliases: Mapping[str, str]) -> Choice | None:
    """The one choice the typed text means, or None when it means none or several.

    Every accepted phrase found in the text counts, except phrases inside a longer one
    found at the same place ("tidak tahu" is not "tidak"); all that remain must agree.
    """
    words = _words(typed, aliases)
    if not words or len(words) > MAX_ANSWER_WORDS:
        return None
    found: list[tuple[int, int, int]] = []  # (start, end, choice index)
    for index, choice in enumerate(step.choices):
        for phrase in choice.phrases:
            target = _words(phrase, aliases)
            if not target:
                continue
            for at in range(len(words) - len(target) + 1):
                if words[at : at + len(target)] == target:
                    found.append((at, at + len(target), index))
    chosen = {hit[2] for hit in found if not _inside_longer(hit, found)}
    if len(chosen) != 1:
        return None
    return step.choices[chosen.pop()]


def paths(flow: Flow) -> Iterator[tuple[Trail, FlowOutcome]]:
    """Every path from the start to an outcome: ((step id, choice index), ...) and the outcome reached."""

    def walk(step: Step, trail: Trail, seen: frozenset[str]) -> Iterator[tuple[Trail, FlowOutcome]]:
        for index, choice in enumerate(step.choices):
            node = flow.node(choice.next)
            here = (*trail, (step.id, index))
            if isinstance(node, FlowOutcome):
                yield here, node
            elif isinstance(node, Step) and node.id not in seen:  # a loop back adds no new path
                yield from walk(node, here, seen | {node.id})

    yield from walk(start(flow), (), frozenset({flow.start}))


def _inside_longer(hit: tuple[int, int, int], found: list[tuple[int, int, int]]) -> bool:
    """A phrase found inside a longer one found at the same place ("tidak" inside "tidak tahu")."""
    start, end, _ = hit
    return any(o[0] <= start and end <= o[1] and o[1] - o[0] > end - start for o in found)


def _words(text: str, aliases: Mapping[str, str]) -> list[str]:
    """Lower case, punctuation gone, slang expanded, letter runs squeezed ("iyaaa" = "iya", "nggak" = "ngak")."""
    text = _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).lower().replace("_", " "))
    expanded = " ".join(aliases.get(w, w) for w in text.split())
    return [_RUNS.sub(r"\1", w) for w in expanded.split()]
