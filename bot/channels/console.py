"""The console channel: an interactive terminal chat, and the scripted `chat --jsonl` protocol."""

from __future__ import annotations

import asyncio
import json
import re
import sys
from datetime import date
from typing import TextIO

from bot.delivery import Handle
from bot.engine.types import Inbound, Location, Outcome, Reply

CHANNEL = "console"
_LOC = re.compile(r"^@loc\s+(-?\d+(?:\.\d+)?)[\s,]+(-?\d+(?:\.\d+)?)\s*$")


class ScriptError(ValueError):
    """A scripted line that is not a valid action (e.g. '@loc abc')."""


def parse_line(line: str, user_key: str) -> Inbound:
    """One scripted or typed line -> one Inbound ('@loc LAT LON', '@btn PAYLOAD', or text)."""
    text = line.rstrip("\r\n")
    stripped = text.strip()
    if stripped.startswith("@loc"):
        m = _LOC.match(stripped)
        if not m:
            raise ScriptError("@loc needs two numbers: @loc LAT LON")
        lat, lon = float(m.group(1)), float(m.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ScriptError("@loc is out of range: latitude -90..90, longitude -180..180")
        return Inbound(user_key=user_key, channel=CHANNEL, location=Location(lat, lon))
    if stripped.startswith("@btn"):
        payload = stripped[4:].strip()
        if not payload:
            raise ScriptError("@btn needs a payload: @btn PAYLOAD")
        return Inbound(user_key=user_key, channel=CHANNEL, payload=payload)
    return Inbound(user_key=user_key, channel=CHANNEL, text=text)


def outcome_json(line: str, outcome: Outcome) -> str:
    return json.dumps(
        {
            "in": line,
            "intent": outcome.intent,
            "replies": [
                {
                    "text": r.text,
                    "buttons": [{"payload": b.payload, "label": b.label} for b in r.buttons],
                    "location_request": r.location_request,
                }
                for r in outcome.replies
            ],
        },
        ensure_ascii=False,
    )


async def run_jsonl(handle: Handle, source: TextIO, sink: TextIO, user: str, today: date | None) -> int:
    """Scripted chat: one JSON line out for every line in; a bad line gets an 'error' object."""
    user_key = f"{CHANNEL}:{user}"
    for raw in source:
        line = raw.rstrip("\r\n")
        try:
            inbound = parse_line(line, user_key)
        except ScriptError as exc:
            sink.write(
                json.dumps({"in": line, "intent": "error", "error": str(exc), "replies": []}, ensure_ascii=False) + "\n"
            )
            sink.flush()
            continue
        outcome = await handle(inbound, today=today)
        sink.write(outcome_json(line, outcome) + "\n")
        sink.flush()
    return 0


def render(reply: Reply) -> str:
    """A reply as a person reads it in a terminal: text, then numbered buttons."""
    lines = [reply.text]
    for i, button in enumerate(reply.buttons, 1):
        lines.append(f"  [{i}] {button.label}")
    if reply.location_request:
        lines.append("  [📍 kirim lokasi: ketik @loc LAT LON]")
    return "\n".join(lines)


async def run_interactive(handle: Handle, user: str, today: date | None) -> int:
    """A terminal chat: type like a resident; @loc and @btn work as in the scripted protocol."""
    user_key = f"{CHANNEL}:{user}"
    out = sys.stdout
    out.write("TanyaSehat — ketik pesan (contoh: halo). Ctrl-D untuk keluar.\n")
    out.write("Tekan tombol dengan mengetik nomornya; kirim lokasi dengan @loc LAT LON.\n\n")
    while True:
        try:
            line = await asyncio.to_thread(input, "anda> ")
        except (EOFError, KeyboardInterrupt):
            out.write("\nSampai jumpa, sehat selalu!\n")
            return 0
        if not line.strip():
            continue
        try:
            inbound = parse_line(line, user_key)
        except ScriptError as exc:
            out.write(f"(!) {exc}\n")
            continue
        outcome = await handle(inbound, today=today)
        for reply in outcome.replies:
            out.write("\nbot> " + render(reply).replace("\n", "\n     ") + "\n")
        out.write("\n")
