"""Scoring blind conversations: a turn is right when its intent answers the labelled topic and the
answer holds the facts the writer expected; a conversation is right when every turn is."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bench.blind.topics import DECLINED, TOPIC_INTENTS, UNSURE, answers

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Turn:
    say: str
    topic: str
    facts: tuple[tuple[str, ...], ...]  # every group must have one of its words in the answer


@dataclass(frozen=True)
class Conversation:
    id: str
    tags: tuple[str, ...]
    turns: tuple[Turn, ...]


HELD_OUT_SHARE = 3  # one conversation in about three of a tuning set is held out: looked at only as totals


def held_out(conv_id: str) -> bool:
    """The fixed held-out part of a tuning set: chosen by a hash of the conversation id, never by its content."""
    return int(hashlib.sha256(conv_id.encode()).hexdigest(), 16) % HELD_OUT_SHARE == 0


def load_conversations(path: Path) -> list[Conversation]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for item in raw:
        turns = []
        for t in item["turns"]:
            groups: list[tuple[str, ...]] = [(str(f),) for f in t.get("facts") or ()]
            groups += [tuple(str(w) for w in g) for g in t.get("facts_any") or ()]
            if t["topic"] not in TOPIC_INTENTS:
                raise ValueError(f"{item['id']}: unknown topic {t['topic']}")
            turns.append(Turn(str(t["say"]), t["topic"], tuple(groups)))
        out.append(Conversation(str(item["id"]), tuple(item.get("tags") or ()), tuple(turns)))
    return out


@dataclass(frozen=True)
class TurnResult:
    turn: Turn
    intent: str
    text: str

    @property
    def topic_ok(self) -> bool:
        return answers(self.turn.topic, self.intent)

    @property
    def facts_ok(self) -> bool:
        low = self.text.lower()
        return all(any(w.lower() in low for w in group) for group in self.turn.facts)

    @property
    def ok(self) -> bool:
        return self.topic_ok and (self.facts_ok or self.turn.topic == "out_of_scope")

    @property
    def wrong(self) -> bool:
        """A confident answer on another topic: worse than saying "I don't know"."""
        if self.topic_ok:
            return False
        return self.intent not in DECLINED | UNSURE


@dataclass
class Report:
    name: str
    conversations: int = 0
    right: int = 0
    wrong: int = 0  # conversations with at least one confident wrong answer
    in_scope_turns: int = 0
    out_of_scope: int = 0
    declined: int = 0
    by_tag: Counter[str] = field(default_factory=Counter)
    by_tag_right: Counter[str] = field(default_factory=Counter)
    misses: list[tuple[str, TurnResult]] = field(default_factory=list)

    def add(self, conv: Conversation, results: list[TurnResult]) -> None:
        self.conversations += 1
        ok = all(r.ok for r in results)
        self.right += ok
        self.wrong += any(r.wrong for r in results)
        for tag in conv.tags or ("untagged",):
            self.by_tag[tag] += 1
            self.by_tag_right[tag] += ok
        for r in results:
            if r.turn.topic == "out_of_scope":
                self.out_of_scope += 1
                self.declined += r.intent in DECLINED
            else:
                self.in_scope_turns += 1
            if not r.ok:
                self.misses.append((conv.id, r))

    def lines(self) -> list[str]:
        pct = lambda a, b: f"{a / b:.1%} ({a}/{b})" if b else "—"  # noqa: E731
        rows = [
            f"### {self.name}",
            "",
            "| measure | result |",
            "| --- | ---: |",
            f"| conversations answered right (every turn) | {pct(self.right, self.conversations)} |",
            f"| out-of-scope questions declined | {pct(self.declined, self.out_of_scope)} |",
            f"| conversations with a confident wrong answer | {pct(self.wrong, self.conversations)} |",
            "",
            "| tag | right |",
            "| --- | ---: |",
        ]
        rows += [f"| {tag} | {pct(self.by_tag_right[tag], n)} |" for tag, n in sorted(self.by_tag.items())]
        return rows


def result_of(turn: Turn, answer: dict[str, Any]) -> TurnResult:
    text = "\n".join(r["text"] for r in answer["replies"])
    labels = " ".join(b["label"] for r in answer["replies"] for b in r["buttons"])
    return TurnResult(turn, answer["intent"], f"{text}\n{labels}")
