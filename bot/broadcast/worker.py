"""Placeholder worker: waits for the stop signal. The broadcasts work replaces it."""

from __future__ import annotations

import asyncio

from bot.service import BotService


async def run_worker(service: BotService, stop: asyncio.Event) -> None:
    await stop.wait()
