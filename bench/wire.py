"""Issue 23: the answering path against the wire, in one run: the echo floor, PTB's echo bot, the bot.

    .venv/bin/python -m bench.wire [--channels telegram,whatsapp] [--databases sqlite,postgres]
        [--updates 1000] [--concurrency 32] [--rounds 2] [--tree before=/work/wt/before] [--profile DIR]
        [--statuses 0..3] [--mix canonical|residents]

Every server runs as its own process against the same fake platform API (in this process) and gets
the same updates (bench/webhook_telegram.py's mix: greetings, /start, menu, immunization, puskesmas,
UHC, a shared location, BPJS, /bantuan; every update from a different resident; `--mix residents`: the
first texts of the understanding tuning sets' conversations, none sent twice to one server). Per server:
- sustained: `--updates` posted with `--concurrency` in flight; answered updates per second (update
  in -> answer accepted by the fake), p50/p99 ms, and the server process's CPU ms per update
  (/proc utime+stime over the run: the steadiest figure on a shared machine), plus, on PostgreSQL,
  the database server's backends' CPU ms per update;
- at half that rate, paced (open loop, latency counted from when each update was due): p50/p99 ms.
Servers: the echo floor (parse, one answer POSTed on a keep-alive session, 200:
`python -m bench.webhook_common echo`), python-telegram-bot's own echo bot (bench/ptb_echo.py,
Telegram only), the bot (`python -m bot serve --no-worker`, query log on, a fresh SQLite file or
PostgreSQL database each), and the bot of any other work tree given with --tree (its own venv and
content), all interleaved round by round. `--statuses N` (WhatsApp, 0-3): after each answer reached the fake,
the load generator posts N of its delivery statuses (sent, delivered, read), each as its own signed webhook, as
Meta does, before the message counts as answered: the production mix, which the echo floor only acknowledges. `--profile DIR` also samples each bot with py-spy during a
second sustained run and prints what share of its CPU goes where (bench/wire_profile.py).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import wire_profile
from bench.webhook_common import LoadResult, echo_command, machine, percentile, post_load
from bench.webhook_telegram import MESSAGES, SECRET, Mix, bot_env, postgres_database, resident_mix, updates
from bench.webhook_whatsapp import SECRET as WA_SECRET
from bench.webhook_whatsapp import messages
from bot.channels.telegram import SECRET_HEADER, WEBHOOK_PATH
from bot.channels.whatsapp import PATH as WA_PATH
from bot.channels.whatsapp.api import GraphConfig
from tests.support import graph_api as meta
from tests.support.graph_api import FakeGraph
from tests.support.servers import Served, server_process
from tests.support.telegram_api import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")
_FRESH = itertools.count(1)
READY_WITHIN = 180.0  # seconds a server may take to start: the bot builds its understanding first (slow on a busy VM)


def fresh() -> int:
    """The first id of a range no other load of this run uses: every update comes from a resident (chat,
    WhatsApp number) never seen before, and the fakes' "answered" marks of earlier loads cannot count."""
    return next(_FRESH) * 100_000


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all its threads), in seconds."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


@dataclass
class Measured:
    server: str
    database: str
    load: float  # 1-minute load average when the run started
    sustained: LoadResult
    cpu_ms: float  # server process CPU per answered update
    db_cpu_ms: float | None  # PostgreSQL backends' CPU per update
    paced_rate: float = 0.0
    paced: list[float] = field(default_factory=list)  # latencies at half the sustained rate

    def row(self, floor: float) -> str:
        s = self.sustained
        paced = f"{percentile(self.paced, 50):.1f} / {percentile(self.paced, 99):.1f}" if self.paced else "-"
        db = f"{self.db_cpu_ms:.2f}" if self.db_cpu_ms is not None else "-"
        return (
            f"| {self.server} | {self.database} | {self.load:.1f} | {s.ok}/{s.sent} | {s.throughput:.0f} | "
            f"{s.throughput / floor:.2f} | {s.p50_ms:.1f} / {s.p99_ms:.1f} | {self.cpu_ms:.2f} | {db} | "
            f"{self.paced_rate:.0f}: {paced} |"
        )


HEADER = (
    "| round | channel | server | database | load | answered | updates/s | ratio to echo floor | p50 / p99 ms | CPU ms/update "
    "| DB server CPU ms/update | at half rate (/s): p50 / p99 ms |\n"
    "| ---: | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
)


class Channel:
    """One platform's fake, its update bodies and how to know an update was answered."""

    name: str
    path: str
    base = ""  # the server under load (its base URL), set by `measure`
    mix: Mix = MESSAGES  # what the updates say (`--mix`)
    said = 0  # how far into the mix the server under load is: `measure` starts each server at 0

    def next_texts(self, count: int) -> int:
        """Where the next `count` updates start in the mix: each server gets the same texts, none twice in a row."""
        start, self.said = self.said, self.said + count
        return start

    async def bodies(self, count: int, first: int) -> list[tuple[Any, bytes]]:
        raise NotImplementedError

    async def answered(self, key: Any) -> None:
        raise NotImplementedError

    def headers(self, _i: int, body: bytes) -> dict[str, str]:
        raise NotImplementedError

    def servers(self, bot_env_of: Callable[[str, Path], dict[str, str]]) -> list[tuple[str, list[str]]]:
        raise NotImplementedError


class Telegram(Channel):
    name, path = "telegram", WEBHOOK_PATH

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake
        self.waiting: dict[int, asyncio.Future[None]] = {}
        fake.on_sent = self._sent

    def _sent(self, chat_id: int, _params: dict[str, Any]) -> None:
        future = self.waiting.pop(chat_id, None)
        if future is not None and not future.done():
            future.set_result(None)
        self.fake.calls.clear()  # the fake keeps every call; a long run needs flat memory
        self.fake.sent.clear()

    async def bodies(self, count: int, first: int) -> list[tuple[Any, bytes]]:
        loop = asyncio.get_running_loop()
        out = updates(count, first, self.mix, self.next_texts(count))
        for chat_id, _ in out:
            self.waiting[chat_id] = loop.create_future()
        return list(out)

    async def answered(self, key: Any) -> None:
        future = self.waiting.get(key)
        if future is not None:
            await future

    def headers(self, _i: int, body: bytes) -> dict[str, str]:
        return {SECRET_HEADER: SECRET}

    def echo_command(self) -> list[str]:
        return echo_command(self.path, "telegram", f"{self.fake.base_url}{self.fake.token}/sendMessage")

    def ptb_command(self) -> list[str]:
        return [sys.executable, "-m", "bench.ptb_echo", "--port", "{port}", "--path", self.path]


class WhatsApp(Channel):
    name, path = "whatsapp", WA_PATH

    def __init__(self, graph: FakeGraph, statuses: int = 0) -> None:
        self.graph, self.statuses = graph, statuses
        self._http: Any = None  # aiohttp session for the status webhooks

    async def bodies(self, count: int, first: int) -> list[tuple[Any, bytes]]:
        return list(messages(count, first, self.mix, self.next_texts(count)))

    async def answered(self, key: Any) -> None:
        await self.graph.wait_for(key)
        for state in ("sent", "delivered", "read")[: self.statuses]:  # what Meta sends back for the answer
            await self.post_status(key, state)

    async def post_status(self, wa_id: str, state: str) -> None:
        import aiohttp

        if self._http is None:
            self._http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=256))
        body = json.dumps(meta.webhook(statuses=[meta.status(f"wamid.HBgM{wa_id}", wa_id, state)])).encode()
        head = {"Content-Type": "application/json", **self.headers(0, body)}
        async with self._http.post(self.base + self.path, data=body, headers=head) as response:
            await response.read()

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()

    def headers(self, _i: int, body: bytes) -> dict[str, str]:
        return {"X-Hub-Signature-256": meta.sign(body, WA_SECRET)}


async def sustained(channel: Channel, base: str, count: int, first: int, concurrency: int) -> LoadResult:
    batch = await channel.bodies(count, first)
    return await post_load(
        base + channel.path,
        [b for _, b in batch],
        concurrency,
        headers=channel.headers,
        completion=lambda i: channel.answered(batch[i][0]),
    )


async def paced(channel: Channel, base: str, rate: float, count: int, first: int) -> list[float]:
    """Open loop: update i is due at start + i/rate; its latency runs from then to its answer at the fake."""
    import aiohttp

    batch = await channel.bodies(count, first)
    latencies: list[float] = []
    loop = asyncio.get_running_loop()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=256)) as http:

        async def one(i: int, due: float) -> None:
            key, body = batch[i]
            head = {"Content-Type": "application/json", **channel.headers(i, body)}
            try:
                async with http.post(base + channel.path, data=body, headers=head) as response:
                    await response.read()
                    if response.status != 200:
                        return
                await asyncio.wait_for(channel.answered(key), 30)
            except (aiohttp.ClientError, TimeoutError):
                return
            latencies.append((loop.time() - due) * 1000)

        start, tasks = loop.time() + 0.05, []
        for i in range(len(batch)):
            due = start + i / rate
            await asyncio.sleep(max(0.0, due - loop.time()))
            tasks.append(asyncio.create_task(one(i, due)))
        await asyncio.gather(*tasks)
    return latencies


async def backend_cpu(admin: Any, database: str) -> dict[int, float]:
    pids = await admin.fetch("SELECT pid FROM pg_stat_activity WHERE datname = $1", database)
    found = {}
    for row in pids:
        try:
            found[row["pid"]] = cpu_seconds(row["pid"])
        except OSError:
            continue
    return found


async def measure(
    channel: Channel,
    label: str,
    command: list[str],
    env: dict[str, str] | None,
    count: int,
    concurrency: int,
    database: str = "-",
    pg: tuple[Any, str] | None = None,
    cwd: str | None = None,
    profile: Path | None = None,
) -> Measured:
    async with server_process(command, env=env, cwd=cwd, ready_within=READY_WITHIN) as base:
        channel.base, channel.said = base, 0
        if channel.name == "telegram" and env is not None:
            tg = channel.fake  # type: ignore[attr-defined]
            await tg.wait_until(lambda: bool(tg.webhook), within=30)
        await sustained(channel, base, max(100, count // 5), fresh(), concurrency)  # warm-up
        load = os.getloadavg()[0]
        before = cpu_seconds(base.pid)
        db_before = await backend_cpu(*pg) if pg else None
        result = await sustained(channel, base, count, fresh(), concurrency)
        cpu_ms = (cpu_seconds(base.pid) - before) * 1000 / max(result.ok, 1)
        db_cpu = None
        if pg and db_before is not None:
            db_after = await backend_cpu(*pg)
            spent = sum(db_after[p] - db_before.get(p, 0.0) for p in db_after)
            db_cpu = spent * 1000 / max(result.ok, 1)
        measured = Measured(label, database, load, result, cpu_ms, db_cpu)
        measured.paced_rate = max(1.0, result.throughput / 2)
        paced_count = int(min(count, measured.paced_rate * 10))
        measured.paced = await paced(channel, base, measured.paced_rate, paced_count, fresh())
        if profile is not None and env is not None:
            await run_profiled(channel, base, label, database, count, concurrency, fresh(), profile)
        return measured


async def run_profiled(
    channel: Channel, base: Served, label: str, database: str, count: int, concurrency: int, first: int, out: Path
) -> None:
    """A second sustained run with py-spy sampling the server; the split is printed.

    py-spy samples only the thread holding the GIL (--gil): Python's CPU; time in C with the GIL
    released (SQLite's own work in aiosqlite's threads) is not in the split, only in the CPU total."""
    name = f"{channel.name}-{database}-{label}".replace(" ", "_").replace("/", "_")
    raw = out / f"{name}.txt"
    spy = await asyncio.create_subprocess_exec(
        py_spy(), "record", "--pid", str(base.pid), "--rate", "250", "--gil",
        "--nonblocking", "--format", "raw", "--output", str(raw),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    await asyncio.sleep(1.0)  # py-spy attaches
    before = cpu_seconds(base.pid)
    result = await sustained(channel, base, count, first, concurrency)
    cpu_ms = (cpu_seconds(base.pid) - before) * 1000 / max(result.ok, 1)
    spy.send_signal(2)  # SIGINT: py-spy writes what it has
    await spy.wait()
    split = wire_profile.split(raw.read_text())
    wire_profile.PRINTED.append((f"{channel.name}, {database}, {label}", cpu_ms, split))


def py_spy() -> str:
    """py-spy: $PY_SPY, else on PATH, else beside this Python (a venv that installed it)."""
    return os.environ.get("PY_SPY") or shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")


@asynccontextmanager
async def database_for(kind: str) -> AsyncIterator[tuple[str, tuple[Any, str] | None]]:
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{tempfile.mkdtemp(prefix='bench-wire-')}/bench.db", None
        return
    import asyncpg

    async with postgres_database() as url:
        admin = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres")
        try:
            yield url, (admin, url.rsplit("/", 1)[1])
        finally:
            await admin.close()


def whatsapp_env(graph: FakeGraph, url: str, content: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": url,
        "CONTENT_DIR": str(content),
        "PSEUDONYM_KEY": "bench",
        "WHATSAPP_ACCESS_TOKEN": graph.token,
        "WHATSAPP_PHONE_NUMBER_ID": graph.phone_number_id,
        "WHATSAPP_APP_SECRET": WA_SECRET,
        "WHATSAPP_VERIFY_TOKEN": "bench-verify",
        "WHATSAPP_API_BASE_URL": graph.base_url,
        "LOG_LEVEL": "WARNING",
    }


async def one_round(
    channel: Channel,
    trees: Sequence[tuple[str, Path]],
    databases: Sequence[str],
    count: int,
    concurrency: int,
    profile: Path | None,
) -> list[Measured]:
    results: list[Measured] = []
    if isinstance(channel, Telegram):
        results.append(await measure(channel, "echo floor", channel.echo_command(), None, count, concurrency))
        tg = channel.fake
        ptb = [*channel.ptb_command(), "--api", tg.api_url, "--token", tg.token, "--secret", SECRET]
        results.append(await measure(channel, "PTB echo bot", ptb, None, count, concurrency))
    else:
        graph = channel.graph  # type: ignore[attr-defined]
        reply_url = GraphConfig(graph.base_url, graph.token, graph.phone_number_id).messages_url
        echo = echo_command(channel.path, "whatsapp", reply_url, f"Bearer {graph.token}")
        results.append(await measure(channel, "echo floor", echo, None, count, concurrency))
    for kind in databases:
        for label, tree in trees:
            async with database_for(kind) as (url, pg):
                if isinstance(channel, Telegram):
                    env = bot_env(channel.fake, url)
                    env["CONTENT_DIR"] = str(tree / "content")
                else:
                    env = whatsapp_env(channel.graph, url, tree / "content")  # type: ignore[attr-defined]
                python = tree / ".venv" / "bin" / "python"  # the tree's own venv, else this one (run in the tree)
                command = [str(python) if python.exists() else sys.executable, "-m", "bot", "serve", "--no-worker"]
                results.append(
                    await measure(
                        channel, label, command, env, count, concurrency, kind, pg, cwd=str(tree), profile=profile,
                    )
                )  # fmt: skip
    return results


async def run(args: argparse.Namespace) -> list[tuple[int, str, list[Measured]]]:
    trees = [("bot", ROOT), *[(label, Path(path)) for label, path in (t.split("=", 1) for t in args.tree)]]
    databases = args.databases.split(",")
    mix = resident_mix() if args.mix == "residents" else MESSAGES
    rounds: list[tuple[int, str, list[Measured]]] = []
    async with FakeTelegram() as tg, FakeGraph() as graph:
        for r in range(args.rounds):
            order = trees if r % 2 == 0 else list(reversed(trees))  # interleaved: A B, then B A
            for name in args.channels.split(","):
                channel: Channel = Telegram(tg) if name == "telegram" else WhatsApp(graph, args.statuses)
                channel.mix = mix
                profile = Path(args.profile) if args.profile and r == 0 else None
                measured = await one_round(channel, order, databases, args.updates, args.concurrency, profile)
                floor = measured[0].sustained.throughput or 1.0
                for m in measured:  # as it goes (stderr): a run stopped early still leaves its rounds
                    print(f"| {r + 1} | {name} {m.row(floor)}", file=sys.stderr, flush=True)
                rounds.append((r + 1, name, measured))
                if isinstance(channel, WhatsApp):
                    await channel.close()
    return rounds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--channels", default="telegram,whatsapp")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--updates", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--statuses", type=int, default=0, choices=range(4), help="WhatsApp: statuses per answer")
    parser.add_argument(
        "--tree", action="append", default=[], help="label=PATH of another work tree (its .venv if any)"
    )
    parser.add_argument("--profile", help="directory for py-spy's raw samples (first round only)")
    parser.add_argument(
        "--mix",
        choices=("canonical", "residents"),
        default="canonical",
        help="canonical: ten texts in turn (the figures of rounds 1-12); residents: texts residents wrote, none twice",
    )
    args = parser.parse_args(argv)
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    rounds = asyncio.run(run(args))
    print(f"machine: {machine()}; started {started}; load average at the end {os.getloadavg()}")
    print(
        f"{args.updates} updates per sustained run at concurrency {args.concurrency}; ratios to the same round's echo floor"
    )
    print(HEADER)
    for number, channel, results in rounds:
        floor = results[0].sustained.throughput or 1.0
        for m in results:
            print(f"| {number} | {channel} {m.row(floor)}")
    wire_profile.print_splits()
    print(json.dumps({"argv": sys.argv[1:]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
