"""A chat driver that talks to the bot exactly like `chat --jsonl`, and readers of its results."""

from __future__ import annotations

import json
from datetime import date

from bot.channels.console import outcome_json, parse_line
from bot.runtime import Runtime


class Chat:
    """Drives the bot exactly like `chat --jsonl`: one line in, one JSON object out."""

    def __init__(self, service: Runtime, user: str = "tester", today: date | None = None) -> None:
        self.service, self.user, self.today = service, user, today

    async def say(self, line: str) -> dict:
        outcome = await self.service.handle(parse_line(line, f"console:{self.user}"), today=self.today)
        return json.loads(outcome_json(line, outcome))

    async def run(self, *lines: str) -> list[dict]:
        return [await self.say(line) for line in lines]


def text_of(result: dict) -> str:
    return "\n".join(r["text"] for r in result["replies"])


def payloads_of(result: dict) -> list[str]:
    return [b["payload"] for r in result["replies"] for b in r["buttons"]]
