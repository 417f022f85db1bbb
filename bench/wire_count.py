"""Issue 23: instructions per update of a `serve` process, a count that the machine's load does not change.

    .venv/bin/python -m bench.wire_count [--channels whatsapp] [--databases sqlite,postgres]
        [--updates 300] [--concurrency 32] [--warmup 150] [--idle 5] [--tree before=/work/wt/before]

CPU time per update on a 2-core machine shared with other work swings 3-4x with the load (round 11), so
same-run CPU figures need many rounds to separate a 5 % change. This runs each server under valgrind's
callgrind with its instrumentation off (startup, content, the warm-up, `--warmup` updates, run at about a
fifth of native speed), switches it on (`callgrind_control -i on`) for a sustained run of `--updates` updates
(bench/wire.py's mix and fakes, `--concurrency` in flight), and reads the instructions executed (Ir) from the
dump: all threads of the process, the driver's and SQLite's included. Then `--idle` seconds with no load are
counted the same way (the retry loop's poll and the late writers' timers) and subtracted at the run's duration,
since under callgrind a run lasts about 50 times longer than natively. The echo floor is counted the same way,
so a bot's quiet-machine CPU can be estimated from the echo floor's measured 0.15-0.16 ms (round 10):
bot_ms ~ 0.155 * bot_Ir / floor_Ir (a different mix of instructions runs at a different speed: an estimate).

Reports the median and the least Ir per update of `--windows` counted windows for every server.

Limits, measured (round 12): under callgrind a window of 50 updates lasts about a minute, so the process's work
per second (the retry loop's poll, the content watcher, the heap settler; 0.5-1.6 M Ir a second, itself varying)
adds 0.5-1.8 M Ir to each update's 5-6 M, and the dashboard's rebuild every 120 s lands in a window now and
then: one server's windows spread 6.3-8.1 M. It separates changes of 15 % or more, not a few per cent; an
in-process replay without the background tasks would be the next step.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.webhook_common import echo_command, post_load
from bench.webhook_telegram import bot_env
from bench.wire import ROOT, Channel, Telegram, WhatsApp, database_for, fresh, whatsapp_env
from bot.channels.whatsapp.api import GraphConfig
from tests.support.graph_api import FakeGraph
from tests.support.servers import LOOPBACK, server_process
from tests.support.telegram_api import FakeTelegram

FLOOR_QUIET_MS = 0.155  # the echo floor's CPU per update on a quiet machine (round 10 lead)


def _control(pid: int, prefix: Path, *args: str) -> None:
    """callgrind_control; valgrind names its pipes after $USER and $HOST, and the server's environment sets HOST
    to its address: the same here."""
    env = {**os.environ, "HOST": LOOPBACK}
    done = subprocess.run(
        ["callgrind_control", f"--vgdb-prefix={prefix}", *args, str(pid)], capture_output=True, text=True, timeout=120,
        env=env,
    )  # fmt: skip
    if "OK" not in done.stdout or "error" in done.stderr:
        raise RuntimeError(f"callgrind_control {args} {pid}: {done.stdout} {done.stderr}")


async def _ir(out: Path, before: set[Path]) -> int:
    """Total Ir of the dump file written after `before` (callgrind writes it when the process next runs)."""
    total, new = 0, set()
    for _ in range(600):
        new = set(out.parent.glob(out.name + ".*")) - before
        if new and all("totals:" in p.read_text(errors="replace") for p in new):
            break
        await asyncio.sleep(0.1)
    for path in new:
        for line in path.read_text(errors="replace").splitlines():
            m = re.match(r"totals:\s+(\d+)", line)
            if m:
                total += int(m.group(1))
                break
    return total


async def counted(
    channel: Channel, label: str, command: list[str], env: dict[str, str] | None, args: argparse.Namespace,
    cwd: str | None = None,
) -> dict[str, object]:  # fmt: skip
    work = Path(tempfile.mkdtemp(prefix="wire-count-"))
    out = work / "cg.out"
    grind = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}", "--dump-line=no",
             f"--vgdb-prefix={work / 'vgdb'}"]  # fmt: skip
    async with server_process([*grind, *command], env=env, cwd=cwd, ready_within=600) as base:
        channel.base = base
        if channel.name == "telegram" and env is not None:
            tg = channel.fake  # type: ignore[attr-defined]
            await tg.wait_until(lambda: bool(tg.webhook), within=300)
        batch = await channel.bodies(args.warmup, fresh())
        await post_load(base + channel.path, [b for _, b in batch], args.concurrency, headers=channel.headers,
                        completion=lambda i, b=batch: channel.answered(b[i][0]), completion_timeout=300)  # fmt: skip
        await asyncio.sleep(1.0)
        # idle: what the process does with nothing to do, per second
        _control(base.pid, work / "vgdb", "-z")
        _control(base.pid, work / "vgdb", "-i", "on")
        t0 = time.monotonic()
        await asyncio.sleep(args.idle)
        _control(base.pid, work / "vgdb", "-i", "off")
        idle_s = time.monotonic() - t0
        _control(base.pid, work / "vgdb", "--dump=idle")
        idle_ir = await _ir(out, set())
        windows: list[float] = []  # Ir per update of each window
        ok = sent = 0
        run_s = 0.0
        for _ in range(args.windows):
            dumped = set(work.glob("cg.out.*"))  # noqa: ASYNC240
            batch = await channel.bodies(args.updates // args.windows, fresh())
            _control(base.pid, work / "vgdb", "-z")
            _control(base.pid, work / "vgdb", "-i", "on")
            t0 = time.monotonic()
            result = await post_load(base + channel.path, [b for _, b in batch], args.concurrency, headers=channel.headers,
                                     completion=lambda i, b=batch: channel.answered(b[i][0]), completion_timeout=300)  # fmt: skip
            _control(base.pid, work / "vgdb", "-i", "off")
            run_s += time.monotonic() - t0
            _control(base.pid, work / "vgdb", "--dump=run")
            windows.append(await _ir(out, dumped) / max(result.ok, 1))
            ok, sent = ok + result.ok, sent + result.sent
    shutil.rmtree(work, ignore_errors=True)
    windows.sort()
    idle_rate = idle_ir / max(idle_s, 1e-9)
    return {
        "server": label, "ok": ok, "sent": sent, "run_s": round(run_s, 1), "idle_ir_per_s": idle_rate,
        "windows": [round(w) for w in windows], "ir_per_update": statistics.median(windows),
        "ir_per_update_min": windows[0],
    }  # fmt: skip


async def run(args: argparse.Namespace) -> list[dict[str, object]]:
    trees = [("bot", ROOT), *[(label, Path(path)) for label, path in (t.split("=", 1) for t in args.tree)]]
    if args.skip_self:
        trees = trees[1:]
    rows: list[dict[str, object]] = []
    async with FakeTelegram() as tg, FakeGraph() as graph:
        for name in args.channels.split(","):
            channel: Channel = Telegram(tg) if name == "telegram" else WhatsApp(graph)
            if args.floor:
                if isinstance(channel, Telegram):
                    echo = channel.echo_command()
                else:
                    url = GraphConfig(graph.base_url, graph.token, graph.phone_number_id).messages_url
                    echo = echo_command(channel.path, "whatsapp", url, f"Bearer {graph.token}")
                row = await counted(channel, "echo floor", echo, None, args)
                rows.append({"channel": name, "database": "-", **row})
                print(json.dumps(rows[-1]), flush=True)
            for kind in args.databases.split(","):
                for label, tree in trees:
                    async with database_for(kind) as (url, _pg):
                        if isinstance(channel, Telegram):
                            env = bot_env(tg, url)
                            env["CONTENT_DIR"] = str(tree / "content")
                        else:
                            env = whatsapp_env(graph, url, tree / "content")
                        python = tree / ".venv" / "bin" / "python"
                        command = [str(python) if python.exists() else sys.executable, "-m", "bot", "serve",
                                   "--no-worker"]  # fmt: skip
                        row = await counted(channel, label, command, env, args, cwd=str(tree))
                    rows.append({"channel": name, "database": kind, **row})
                    print(json.dumps(rows[-1]), flush=True)
            if isinstance(channel, WhatsApp):
                await channel.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--channels", default="whatsapp")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--updates", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=150)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--idle", type=float, default=3.0)
    parser.add_argument("--windows", type=int, default=6, help="counted windows; the median is reported")
    parser.add_argument("--no-floor", dest="floor", action="store_false")
    parser.add_argument("--skip-self", action="store_true", help="count only the --tree servers")
    parser.add_argument("--tree", action="append", default=[], help="label=PATH of another work tree")
    args = parser.parse_args(argv)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    rows = asyncio.run(run(args))
    floors = {r["channel"]: r["ir_per_update"] for r in rows if r["server"] == "echo floor"}
    print(f"started {started}; load average at the end {os.getloadavg()}; argv {sys.argv[1:]}")
    print("| channel | server | database | answered | Ir/update, median of windows (M) | min (M) | x echo floor |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: |")
    for r in rows:
        med = float(r["ir_per_update"])  # type: ignore[arg-type]
        floor = floors.get(r["channel"])
        times = f"{med / floor:.2f}" if floor else "-"
        print(
            f"| {r['channel']} | {r['server']} | {r['database']} | {r['ok']}/{r['sent']} | {med / 1e6:.2f} | "
            f"{float(r['ir_per_update_min']) / 1e6:.2f} | {times} |"  # type: ignore[arg-type]
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
