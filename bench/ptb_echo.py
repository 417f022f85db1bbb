"""python-telegram-bot's own webhook echo bot, as its examples build one, for the benchmarks to compare with.

    python -m bench.ptb_echo --port 8080 --api http://127.0.0.1:PORT --token TOKEN [--secret S]

The shape of PTB's "custom webhook bot" example: an `Application` without an Updater, its
handlers run by `application.start()`, and a custom aiohttp route that checks the secret
header, turns the JSON into an `Update` (`Update.de_json`) and puts it on
`application.update_queue`, answering 200 at once. One handler echoes every message
(a location gets a fixed text). Sending is PTB's default (`HTTPXRequest`). No database, no
dedupe, no state: what PTB itself costs per answered update.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from aiohttp import web
from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
APPLICATION: web.AppKey[Application] = web.AppKey("application", Application)  # type: ignore[type-arg]


async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None:
        await message.reply_text(message.text or "Halo!")


def build(api: str, token: str) -> Application:  # type: ignore[type-arg]
    application = Application.builder().token(token).base_url(f"{api}/bot").updater(None).build()
    application.add_handler(MessageHandler(filters.ALL, echo))
    return application


def web_app(application: Application, path: str, secret: str | None) -> web.Application:  # type: ignore[type-arg]
    async def telegram(request: web.Request) -> web.Response:
        if secret is not None and request.headers.get(SECRET_HEADER) != secret:
            return web.Response(status=403)
        try:
            data = json.loads(await request.read())
        except ValueError:
            return web.Response(status=400)
        await application.update_queue.put(Update.de_json(data, application.bot))
        return web.Response()

    async def healthz(_request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application()
    app[APPLICATION] = application
    app.router.add_post(path, telegram)
    app.router.add_get("/healthz", healthz)
    return app


async def serve(port: int, path: str, api: str, token: str, secret: str | None) -> None:
    application = build(api, token)
    runner = web.AppRunner(web_app(application, path, secret), access_log=None)
    async with application:
        await application.start()
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        try:
            await asyncio.Event().wait()  # until SIGTERM ends the process
        finally:
            await runner.cleanup()
            await application.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/telegram/webhook")
    parser.add_argument("--api", required=True, help="the Bot API server, e.g. http://127.0.0.1:8081")
    parser.add_argument("--token", required=True)
    parser.add_argument("--secret")
    args = parser.parse_args(argv)
    asyncio.run(serve(args.port, args.path, args.api, args.token, args.secret))
    return 0


if __name__ == "__main__":
    sys.exit(main())
