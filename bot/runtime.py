"""The composition root: every command (chat, serve, poll, worker, admin) assembles the bot here.

`async with Runtime.start(settings) as rt:` loads the content and watches its files for edits,
opens the database, and builds the query recorder and the service whose `rt.handle` every
channel calls. With `senders=True` it also opens each configured channel's outbound Sender,
which `rt.worker()` sends reminders and broadcasts through. Leaving the block closes everything
in reverse order: senders, the content watcher, the query log (its queued rows are written),
the database. Each part receives what it uses (`handle`, `db`, `content`), never the whole bot.

One bot may serve several offices (CONTENT_DIRS): the holder keeps one pack per office and
`rt.offices()` gives them all; the engine picks each resident's office (bot/engine/offices.py),
the worker each broadcast's and reminder's, the dashboard each login's. `rt.content()` stays the
default (first) office's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError

from bot.broadcast.worker import Worker, WorkerConfig
from bot.config import Settings
from bot.delivery import Handle, Recipients, Sender
from bot.engine.requirements import CHECKS as CODE_NEEDS
from bot.engine.semantic import SemanticStage
from bot.engine.understanding import understanding_for
from bot.i18n import DEFAULT_LANG
from bot.knowledge.content import Content
from bot.knowledge.holder import ContentHolder
from bot.knowledge.offices import Offices
from bot.querylog.recorder import QueryRecorder
from bot.service import BotService
from bot.storage import conversations, migrations, subscriptions
from bot.storage.db import Database

if TYPE_CHECKING:
    import aiohttp
    from telegram import Bot

    from bot.channels.http_post import Poster

log = logging.getLogger(__name__)

WATCH_INTERVAL = 2.0  # seconds between two looks at the content files (one stat per file)


class Runtime:
    """The assembled bot of one process: settings, database, live content, query log, service, senders."""

    def __init__(self, settings: Settings, db: Database, holder: ContentHolder) -> None:
        self.settings, self.db, self.holder = settings, db, holder
        self.querylog = QueryRecorder(db, settings.pseudonym_secret())
        self.semantic = SemanticStage() if settings.semantic_stage else None  # off by default (bot/config.py)
        self.service = BotService(self.content, db, self.querylog, self.offices, semantic=self.semantic)
        self.handle: Handle = self.service.handle  # what every channel calls for an inbound message
        self.recipients = recipients_in(db, settings.pseudonym_secret())  # what channels ask or report about a user
        self.senders: dict[str, Sender] = {}
        self._senders_opened = False
        self._closing = contextlib.AsyncExitStack()  # the watcher and the senders, closed last-opened first
        self._http: aiohttp.ClientSession | None = None
        self._poster: Poster | None = None

    def content(self) -> Content:
        """The default office's content live right now (a reload swaps it in only when it validates)."""
        return self.holder.current

    def offices(self) -> Offices:
        """Every office this bot serves (CONTENT_DIRS), each on its live content; one for CONTENT_DIR."""
        return self.holder.offices

    @classmethod
    async def open(
        cls,
        settings: Settings,
        *,
        watch_interval: float | None = WATCH_INTERVAL,
        senders: bool = False,
        answers: bool = True,
    ) -> Runtime:
        """Content (invalid content refuses to start), migrated database, watcher; `close()` it after.

        `answers`: each content version's Understanding is built off the loop before it serves (at start, then
        in the watcher's thread), not at a resident's turn; the worker, which answers nobody, builds none."""
        prepare = understanding_for if answers else None  # the checks: the same as `content check`
        holder = await asyncio.to_thread(ContentHolder, settings.office_dirs, CODE_NEEDS, prepare)
        db = Database(settings.database_url)
        try:
            await migrations.upgrade(db, settings.pseudonym_secret())
        except BaseException:
            await db.dispose()
            raise
        runtime = cls(settings, db, holder)
        if runtime.semantic is not None:
            runtime.semantic.prepare(holder.current)  # in its worker thread; skipped until ready
        try:
            if watch_interval is not None:
                runtime.watch(watch_interval)
            if senders:
                await runtime.open_senders()
        except BaseException:
            await runtime.close()
            raise
        return runtime

    @classmethod
    @contextlib.asynccontextmanager
    async def start(
        cls,
        settings: Settings,
        *,
        watch_interval: float | None = WATCH_INTERVAL,
        senders: bool = False,
        answers: bool = True,
    ) -> AsyncIterator[Runtime]:
        """`open` for the length of an `async with` block, then `close`."""
        runtime = await cls.open(settings, watch_interval=watch_interval, senders=senders, answers=answers)
        try:
            yield runtime
        finally:
            await runtime.close()

    def watch(self, interval: float = WATCH_INTERVAL) -> None:
        """Follow staff's edits of the content files: a valid edit goes live within `interval` seconds."""
        task = asyncio.create_task(self.holder.watch(interval), name="content-watcher")
        self._closing.push_async_callback(_cancel, task)

    async def open_senders(self) -> None:
        """The outbound Sender of every configured channel, for the reminder and broadcast worker."""
        self._senders_opened = True
        settings = self.settings
        if settings.telegram_token:
            from bot.channels.telegram.send import make_sender as telegram_sender

            telegram = telegram_sender(settings, self.telegram_bot())
            await telegram.start()
            self.senders["telegram"] = telegram
            self._closing.push_async_callback(_quietly, telegram.bot.shutdown)
        if settings.whatsapp_access_token:
            from bot.channels.whatsapp.api import make_sender as whatsapp_sender

            whatsapp = whatsapp_sender(settings, self.db, self.content, self.recipients)
            if whatsapp is not None:
                self.senders["whatsapp"] = whatsapp
                self._closing.push_async_callback(_quietly, whatsapp.close)

    async def sender(self, channel: str) -> Sender | None:
        """The channel's Sender, opened on first use (the dashboard's replies to a handover)."""
        if not self._senders_opened:
            self._senders_opened = True
            if not self.senders:
                await self.open_senders()
        return self.senders.get(channel)

    @property
    def http(self) -> aiohttp.ClientSession:
        """The process's pooled HTTP client session (keep-alive), opened on first use and closed last."""
        if self._http is None or self._http.closed:
            from bot.channels.telegram.aiohttp_request import session

            self._http = session()
        return self._http

    @property
    def poster(self) -> Poster:
        """The process's lean client for answers' POSTs (channels/http_post.py), opened on first use, closed last."""
        if self._poster is None or self._poster.closed:
            from bot.channels.http_post import Poster
            from bot.channels.telegram.aiohttp_request import CONNECT_TIMEOUT, READ_TIMEOUT, USER_AGENT

            self._poster = Poster(connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT, user_agent=USER_AGENT)
        return self._poster

    def telegram_bot(self) -> Bot:
        """A python-telegram-bot Bot sending over `http` (bench/telegram_send.py: 4-5x less CPU per answer
        than PTB's httpx default). Each user (webhook, polling, the worker's sender) gets its own Bot, so
        one shutting down never stops another; they share the session's connections."""
        from telegram import Bot

        from bot.channels.telegram.aiohttp_request import AiohttpRequest
        from bot.channels.telegram.send import POLL_TIMEOUT, api_base_url

        if not self.settings.telegram_token:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set")
        return Bot(
            self.settings.telegram_token,
            base_url=api_base_url(self.settings),
            request=AiohttpRequest(self.http, poster=self.poster),
            get_updates_request=AiohttpRequest(self.http, read_timeout=POLL_TIMEOUT + 10),
        )

    def worker(self, config: WorkerConfig | None = None) -> Worker:
        """The reminder and broadcast worker on this runtime's database, live content and senders."""
        return Worker(self.db, self.content, self.senders, config or WorkerConfig.from_env(), self.offices)

    async def close(self) -> None:
        """Senders and watcher first, then every queued log row is written, then the database goes."""
        await self._closing.aclose()
        if self._http is not None:
            await self._http.close()  # after the senders: their last requests went over it
        if self._poster is not None:
            await self._poster.close()
        await self.querylog.close()
        await self.db.dispose()
        if self.semantic is not None:
            self.semantic.close()


def recipients_in(db: Database, pseudonym_secret: bytes) -> Recipients:
    """The channels' questions about a user, answered from storage (conversations are kept by pseudonym)."""

    async def language(user_key: str) -> str:
        return await conversations.language_of(db, user_key, pseudonym_secret) or DEFAULT_LANG

    async def opted_in(user_key: str) -> bool:
        row = await subscriptions.subscriber(db, user_key)
        return row is not None and row.active and not row.blocked

    async def blocked(user_key: str) -> None:
        try:
            await subscriptions.mark_blocked(db, user_key)
        except SQLAlchemyError:  # the answer is lost anyway; the worker's queue records blocks too
            log.exception("could not mark a blocked user inactive")

    return Recipients(language, opted_in, blocked)


@contextlib.asynccontextmanager
async def database(settings: Settings) -> AsyncIterator[Database]:
    """Only the migrated database, for commands that need nothing else (admin, db upgrade)."""
    db = Database(settings.database_url)
    try:
        await migrations.upgrade(db, settings.pseudonym_secret())
        yield db
    finally:
        await db.dispose()


def stop_on_signals() -> asyncio.Event:
    """An event that SIGTERM or SIGINT sets: long-running commands finish what is in hand and stop."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    return stop


async def _cancel(task: asyncio.Task[Any]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def _quietly(close: Callable[[], Awaitable[Any]]) -> None:
    """Closing a sender's connections must not stop the rest from closing."""
    try:
        await close()
    except Exception:
        log.warning("closing a sender failed", exc_info=True)
