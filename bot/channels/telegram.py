"""Placeholder for the telegram channel (its own work replaces this)."""

from __future__ import annotations

from aiohttp import web

from bot.service import BotService


def install(app: web.Application, service: BotService) -> None:
    raise RuntimeError("the telegram channel is not built yet")
