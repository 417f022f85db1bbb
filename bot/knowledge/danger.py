"""Danger signs: phrases that always win over any other intent and point to 119."""

from __future__ import annotations

from dataclasses import dataclass

from bot.knowledge.source import Document, Fields, Localized, Problems

FILES = ("danger_signs.yaml",)
KINDS = ("medical", "mental")


@dataclass(frozen=True, slots=True)
class DangerSign:
    id: str
    kind: str  # "medical": 119 and the nearest IGD; "mental": also the mental-health line
    phrases: tuple[str, ...]  # normalised phrases; all words of one phrase must appear close together
    advice: Localized  # first-aid-level advice while help is on the way (no diagnosis)
    unless: tuple[str, ...] = ()  # everyday phrases that only look like the sign ("saya tidak sadar kalau...")


@dataclass(frozen=True, slots=True)
class DangerSigns:
    signs: tuple[DangerSign, ...]
    source: str
    reviewed: object


def parse(docs: list[Document], problems: Problems) -> DangerSigns:
    doc = docs[0]
    top = Fields(doc.data, doc.name, problems, "danger_signs")
    signs: list[DangerSign] = []
    seen: set[str] = set()
    for line, raw in top.items("signs"):
        f = Fields(raw, doc.name, problems, "sign", line)
        sign_id = f.text("id")
        if sign_id in seen:
            f.error("id", f"duplicate id '{sign_id}'")
        seen.add(sign_id)
        kind = f.text("kind", required=False, default="medical")
        if kind not in KINDS:
            f.error("kind", f"kind must be one of {', '.join(KINDS)}")
        signs.append(
            DangerSign(
                id=sign_id,
                kind=kind,
                phrases=tuple(p.lower() for p in f.texts("phrases")),
                advice=f.localized("advice") or Localized.plain(""),
                unless=tuple(p.lower() for p in f.texts("unless", required=False)),
            )
        )
        f.done()
    result = DangerSigns(tuple(signs), top.text("source"), top.date("reviewed"))
    top.done()
    return result
