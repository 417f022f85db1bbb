"""`serve`: the web app with every configured channel, and the worker unless told otherwise."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from aiohttp import web

from bot.config import Settings
from bot.service import BotService
from bot.web.app import create_app

log = logging.getLogger(__name__)


def build_app(service: BotService) -> web.Application:
    """The app with a route for each channel whose credentials are set."""
    from bot.web import dashboard

    settings = service.settings
    app = create_app(service)
    dashboard.install(app, service)
    if settings.telegram_token:
        from bot.channels import telegram

        telegram.install(app, service)
    if settings.whatsapp_access_token:
        from bot.channels import whatsapp

        whatsapp.install(app, service)
    return app


async def serve(settings: Settings, with_worker: bool = True) -> int:
    service = await BotService.start(settings)
    app = build_app(service)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port)
    await site.start()
    log.info("serving on %s:%s (content %s)", settings.host, settings.port, service.holder.current.version)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    worker_task = None
    if with_worker:
        from bot.broadcast.worker import run_worker

        worker_task = asyncio.create_task(run_worker(service, stop))
    await stop.wait()
    log.info("shutting down: finishing requests in flight")
    await runner.cleanup()  # stops accepting, lets handlers and their tasks finish
    if worker_task is not None:
        await worker_task
    await service.close()
    return 0
