"""Broadcast workers killed with SIGKILL at random moments: nobody goes without the message.

    .venv/bin/python -m bench.broadcast_kill [--postgres] [--trials 20] [--recipients 300] [--lanes 8] [--seed N]

Each trial: a `python -m bot worker` process (the victim) starts, a staff broadcast to every
subscriber is created, and the victim is killed with SIGKILL when its fake Bot API has accepted a
random number (1-60) of this broadcast's messages, at once or up to 30 ms later: anywhere in its
claim / start / send / record cycle. A second worker (the survivor) runs all along, slower, and
takes over the victim's rows after their leases (claimed rows 1 s, started rows 5 s). After the
last trial every run must be finished and its summary delivered to the author.

The queue is at least once (bot.storage.outbox): after each kill 0 recipients may be without the
message, the recipients who got it twice may be at most the rows the victim had 'sending' at the
kill (one per lane at most), and each such row must be counted in the run's `maybe_twice`, which
the author's summary reports. Victim and survivor talk to two fake Bot APIs, so each copy is seen.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import tempfile
from pathlib import Path
from typing import Any

from bench.webhook_common import machine
from bench.webhook_telegram import postgres_database
from tests.support.broadcast_kill import kill_loop, verdict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="on a throwaway local PostgreSQL database")
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--recipients", type=int, default=300)
    parser.add_argument("--lanes", type=int, default=8, help="per worker (8: the default for Telegram's 30/s)")
    parser.add_argument("--seed", type=int, default=random.randrange(1 << 30))
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="bench-kill-"))

    async def go() -> dict[str, Any]:
        if args.postgres:
            async with postgres_database() as url:
                return await kill_loop(url, args.trials, args.recipients, args.lanes, args.seed, workdir)
        url = f"sqlite+aiosqlite:///{workdir}/kill.db"
        return await kill_loop(url, args.trials, args.recipients, args.lanes, args.seed, workdir)

    print(machine(), f"seed {args.seed}, load average {os.getloadavg()[0]:.1f}")
    result = asyncio.run(go())
    trials = result["trials"]
    summary = {
        "database": "postgresql" if args.postgres else "sqlite",
        "trials": len(trials),
        "recipients": args.recipients,
        "lanes": args.lanes,
        "missing_total": sum(t["missing"] for t in trials),
        "sending_at_kill": [t["sending_at_kill"] for t in trials],
        "doubled": [t["doubled"] for t in trials],
        "resent": [t["resent"] for t in trials],
        "reported_maybe_twice": [t["maybe_twice"] for t in trials],
        "sent_before_kill": [t["sent_before_kill"] for t in trials],
        "seconds": result["seconds"],
        "load_average_after": round(os.getloadavg()[0], 1),
    }
    print(json.dumps(summary))
    wrong = verdict(result, args.recipients, args.lanes)
    print("\n".join(wrong) or "held: 0 missing; doubled <= resent = in flight <= lanes; counted and reported")
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
