"""Shared by the webhook benchmarks (Telegram, WhatsApp): a bounded load generator and the bare baseline.

The load generator posts N prepared bodies to one URL with a fixed number of requests in
flight. A request counts as done when the HTTP answer is back, or, when a `completion`
is given, when that awaitable says the bot's answer for that body reached the (fake)
platform: a webhook that acknowledges fast and works in the background is measured end
to end that way. The baseline is a bare aiohttp handler that only parses the JSON and
answers 200: what the framework alone costs on this machine, measured in the same run.

Usage from a channel benchmark (servers in their own processes, as in production):

    async with server_process(bare_command("/webhook")) as base:
        baseline = await post_load(base + "/webhook", bodies, concurrency=32)
    async with server_process([sys.executable, "-m", "bot", "serve", "--no-worker"], env=...) as base:
        result = await post_load(base + "/webhook", bodies, 32, headers=..., completion=wait_for_answer)
    print(format_table([("bare aiohttp", baseline), ("telegram webhook", result)]))

`running(app)` serves an app inside the benchmark's own process instead.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from tests.support.servers import LOOPBACK


@dataclass(frozen=True)
class LoadResult:
    """What one load run measured; latencies in milliseconds."""

    sent: int
    ok: int
    seconds: float
    latencies_ms: tuple[float, ...]
    statuses: Mapping[int, int] = field(default_factory=dict)
    errors: int = 0  # connection errors and completions that timed out
    acks_ms: tuple[float, ...] = ()  # with a completion: when the HTTP answer came (the platform's view)

    @property
    def throughput(self) -> float:
        """Completed requests per second over the whole run."""
        return self.ok / self.seconds if self.seconds > 0 else 0.0

    @property
    def p50_ms(self) -> float:
        return percentile(self.latencies_ms, 50)

    @property
    def p99_ms(self) -> float:
        return percentile(self.latencies_ms, 99)

    @property
    def ack_p50_ms(self) -> float:
        return percentile(self.acks_ms, 50)

    @property
    def ack_p99_ms(self) -> float:
        return percentile(self.acks_ms, 99)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile by nearest rank (0.0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


Completion = Callable[[int], Awaitable[None]]


async def post_load(
    url: str,
    bodies: Sequence[bytes],
    concurrency: int,
    headers: Mapping[str, str] | Callable[[int, bytes], Mapping[str, str]] | None = None,
    completion: Completion | None = None,
    completion_timeout: float = 30.0,
) -> LoadResult:
    """POST every body once to `url`, `concurrency` at a time; see the module docstring for 'done'.

    `headers` is fixed, or a function of (index, body) for signed webhooks (WhatsApp's HMAC).
    `completion(i)` is awaited after a 200 for body i; it raising or timing out counts as an error.
    """
    if not url.startswith(f"http://{LOOPBACK}:"):
        raise ValueError(f"benchmarks only target {LOOPBACK}: {url}")
    latencies: list[float] = []
    acks: list[float] = []
    statuses: Counter[int] = Counter()
    errors = 0
    ok = 0
    next_index = 0
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(i: int) -> None:
            nonlocal ok, errors
            body = bodies[i]
            head = headers(i, body) if callable(headers) else (headers or {})
            started = time.perf_counter()
            try:
                async with session.post(
                    url, data=body, headers={"Content-Type": "application/json", **head}
                ) as response:
                    await response.read()
                    statuses[response.status] += 1
                    if response.status != 200:
                        return
                if completion is not None:
                    acks.append((time.perf_counter() - started) * 1000)
                    await asyncio.wait_for(completion(i), completion_timeout)
            except (aiohttp.ClientError, TimeoutError, OSError):
                errors += 1
                return
            latencies.append((time.perf_counter() - started) * 1000)
            ok += 1

        async def worker() -> None:
            nonlocal next_index
            while next_index < len(bodies):
                i = next_index
                next_index += 1
                await one(i)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(max(1, concurrency))))
        seconds = time.perf_counter() - started
    return LoadResult(len(bodies), ok, seconds, tuple(latencies), dict(statuses), errors, tuple(acks))


async def _bare_handler(request: web.Request) -> web.Response:
    """The baseline: read and parse the JSON body, answer 200. Nothing else."""
    try:
        json.loads(await request.read())
    except ValueError:
        return web.Response(status=400)
    return web.Response(status=200)


def bare_app(path: str) -> web.Application:
    """A bare aiohttp app with one POST route at `path` that only parses the JSON."""
    app = web.Application()
    app.router.add_post(path, _bare_handler)
    return app


def echo_app(
    path: str, reply_url: str, reply: Callable[[Any], dict[str, Any] | None], auth: str | None = None
) -> web.Application:
    """The floor of any 'update in -> answer sent' path: parse the JSON, POST one answer, 200.

    No secret check, dedupe, state, engine, query log or rendering: whatever the bot does
    costs more than this, so its throughput bounds what any webhook that answers can reach.
    `reply(update)` gives the answer's JSON (None: nothing to answer).
    """
    app = web.Application()

    async def start(app: web.Application) -> AsyncIterator[None]:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64)) as session:
            app[SESSION] = session
            yield

    async def handler(request: web.Request) -> web.Response:
        try:
            update = json.loads(await request.read())
        except ValueError:
            return web.Response(status=400)
        answer = reply(update)
        if answer is not None:
            headers = {"Authorization": auth} if auth else None
            async with request.app[SESSION].post(reply_url, json=answer, headers=headers) as response:
                await response.read()
        return web.Response(status=200)

    app.cleanup_ctx.append(start)
    app.router.add_post(path, handler)
    return app


SESSION = web.AppKey("session", aiohttp.ClientSession)
ECHO_REPLIES: dict[str, Callable[[Any], dict[str, Any] | None]] = {
    "telegram": lambda u: {"chat_id": u["message"]["chat"]["id"], "text": "Halo!"} if "message" in u else None,
    "whatsapp": lambda u: (
        {
            "messaging_product": "whatsapp",
            "to": u["entry"][0]["changes"][0]["value"]["messages"][0]["from"],
            "type": "text",
            "text": {"body": "Halo!"},
        }
        if "messages" in u["entry"][0]["changes"][0]["value"]
        else None
    ),  # a delivery status: nothing to answer
}


def bare_command(path: str) -> list[str]:
    """The command line that serves the bare baseline; pass it to server_process."""
    return [sys.executable, "-m", "bench.webhook_common", "bare", "--path", path, "--port", "{port}"]


def echo_command(path: str, kind: str, reply_url: str, auth: str = "") -> list[str]:
    """The command line that serves the echo floor (see echo_app) for 'telegram' or 'whatsapp' updates."""
    command = [sys.executable, "-m", "bench.webhook_common", "echo", "--path", path, "--kind", kind, "--port", "{port}"]
    return [*command, "--reply-url", reply_url, "--auth", auth]


def machine() -> str:
    """A one-line description of this machine for RESULTS.md."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            names = [line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")]
        if names:
            cpu = names[0]
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def format_table(rows: Sequence[tuple[str, LoadResult]], baseline: LoadResult | None = None) -> str:
    """A Markdown table of the runs; the ratio column is throughput / the baseline's throughput."""
    base = baseline or rows[0][1]
    lines = [
        "| path | sent | ok | errors | updates/s | p50 ms | p99 ms | ratio to baseline |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in rows:
        ratio = r.throughput / base.throughput if base.throughput else 0.0
        lines.append(
            f"| {name} | {r.sent} | {r.ok} | {r.errors} | {r.throughput:.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} "
            f"| {ratio:.2f} |"
        )
    return "\n".join(lines)


def _serve_bare(argv: list[str] | None = None) -> int:
    """`python -m bench.webhook_common bare|echo --port N --path /x`: the baseline or the floor in its own process."""
    parser = argparse.ArgumentParser(prog="webhook_common")
    parser.add_argument("mode", choices=["bare", "echo"])
    parser.add_argument("--path", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--kind", choices=sorted(ECHO_REPLIES), default="telegram")
    parser.add_argument("--reply-url", help="echo: where each answer is POSTed")
    parser.add_argument("--auth", default="", help="echo: the answer's Authorization header")
    args = parser.parse_args(argv)
    if args.mode == "bare":
        app = bare_app(args.path)
    else:
        app = echo_app(args.path, args.reply_url, ECHO_REPLIES[args.kind], args.auth or None)
    app.router.add_get("/healthz", lambda _request: _ok())
    web.run_app(app, host=LOOPBACK, port=args.port, access_log=None, print=None)
    return 0


async def _ok() -> web.Response:
    return web.Response(text="ok")


if __name__ == "__main__":
    sys.exit(_serve_bare())
