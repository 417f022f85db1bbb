"""`serve`: the web app with every configured channel, and the worker unless told otherwise."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from bot.config import Settings
from bot.heap import Settler
from bot.runtime import Runtime, stop_on_signals
from bot.web.app import create_app

log = logging.getLogger(__name__)


def build_app(runtime: Runtime) -> web.Application:
    """The app with a route for each channel whose credentials are set, and the dashboard."""
    from bot.web import dashboard

    settings = runtime.settings
    app = create_app(runtime)
    dashboard.install(app, runtime)
    if settings.telegram_token:
        from bot.channels import telegram

        telegram.install(app, settings, runtime.handle, runtime.db, runtime.recipients, runtime.telegram_bot())
    if settings.whatsapp_access_token:
        from bot.channels import whatsapp

        whatsapp.install(app, settings, runtime.handle, runtime.db, runtime.content, runtime.recipients)
    return app


async def serve(settings: Settings, with_worker: bool = True) -> int:
    async with Runtime.start(settings, senders=with_worker) as runtime:
        runner = web.AppRunner(build_app(runtime), handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, settings.host, settings.port)
        await site.start()
        log.info("serving on %s:%s (content %s)", settings.host, settings.port, runtime.content().version)
        stop = stop_on_signals()
        worker = asyncio.create_task(runtime.worker().run(stop)) if with_worker else None
        settler = asyncio.create_task(Settler(runtime.offices).run(), name="heap-settler")
        await stop.wait()
        settler.cancel()
        log.info("shutting down: finishing requests in flight")
        await runner.cleanup()  # stops accepting, lets handlers and their tasks finish
        if worker is not None:
            await worker
    return 0
