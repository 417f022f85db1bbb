"""The SIGKILL harness of issue 20's at-least-once broadcasts, shared by tests/test_broadcast_crash.py and
bench/broadcast_kill.py (which says what a trial is and what must hold)."""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.storage import broadcasts, migrations, outbox, subscriptions
from bot.storage.db import Database
from tests.support.settings import CONTENT, ROOT
from tests.support.telegram_api import FakeTelegram, Limits

AUTHOR = 1  # telegram:1 wrote the broadcasts: the run summaries go to chat 1
TWICE = "mungkin menerima pesan ini dua kali"


def worker_env(database_url: str, tg: FakeTelegram, **settings: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "CONTENT_DIR": str(CONTENT),
        "PSEUDONYM_KEY": "bench-key",
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_BASE_URL": tg.api_url,
        "BROADCAST_POLL_SECONDS": "0.1",
        "BROADCAST_HOUSEKEEPING_SECONDS": "0.2",
        **{f"BROADCAST_{name.upper()}": value for name, value in settings.items()},
    }


async def start_worker(env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    """A worker process, returned once it is sending (its log says so)."""
    with log.open("ab") as out:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "worker", cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=out
        )
    async with asyncio.timeout(90):
        while "sending on telegram" not in (said := _read(log)):
            if proc.returncode is not None:
                raise RuntimeError(f"the worker exited: {said[-3000:]}")
            await asyncio.sleep(0.05)
    return proc


def _read(log: Path) -> str:
    return log.read_text(errors="replace")


async def stop_worker(proc: asyncio.subprocess.Process) -> int:
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
    return await asyncio.wait_for(proc.wait(), 30)


async def subscribe(db: Database, n: int) -> list[int]:
    chats = [10_000 + i for i in range(n)]
    for chat in chats:
        await subscriptions.subscribe_area(db, f"telegram:{chat}", "telegram", "id", "14.71.01.1002")
    return chats


def received(fakes: list[FakeTelegram], marker: str) -> Counter[int]:
    """How many copies of the broadcast marked `marker` each chat got, over every fake Bot API."""
    return Counter(int(m["chat_id"]) for tg in fakes for m in tg.sent if marker in m["text"])


def summaries_of(fakes: list[FakeTelegram]) -> dict[int, str]:
    found = {}
    for tg in fakes:
        for m in tg.sent:
            if int(m["chat_id"]) == AUTHOR and (hit := re.search(r"Siaran #(\d+) selesai", m["text"])):
                found[int(hit.group(1))] = m["text"]
    return found


async def in_flight_of(db: Database, pid: int, at_death: dict[int, tuple[int, str]], counted: set[int]) -> set[int]:
    """The rows a dead worker had 'sending' (its id is host:pid:random): those still 'sending' under its id, and
    those sent again since it died (`at_death`: each row's resends and holder then), which the survivor may have
    taken back from it already on a loaded machine (the lease runs from the request's start). A row counted for
    an earlier victim and sent again since is that victim's, unless this one held it at its death."""
    mine = f":{pid}:"
    still, taken_back = set(), set()
    for r in await outbox.delivery_rows(db):
        if r.status == outbox.SENDING and r.claimed_by and mine in r.claimed_by:
            still.add(r.id)
        resent_then, holder = at_death.get(r.id, (0, ""))
        if r.uncertain_sends > resent_then and (r.id not in counted or mine in holder):
            taken_back.add(r.id)
    return still | taken_back


async def resends(db: Database) -> dict[int, tuple[int, str]]:
    """Each row's resends so far and who holds it."""
    return {r.id: (r.uncertain_sends, r.claimed_by or "") for r in await outbox.delivery_rows(db)}


async def settled(db: Database, ids: list[int], summaries: Callable[[], int], within: float) -> None:
    """Every run finished and its summary delivered to the author."""
    try:
        async with asyncio.timeout(within):
            while True:
                done = [await broadcasts.counts(db, i) for i in ids]
                if all(c.total and c.done for c in done) and summaries() >= len(ids):
                    return
                await asyncio.sleep(0.2)
    except TimeoutError:
        left = [
            (r.key, r.status, r.claimed_by, r.error)
            for r in await outbox.delivery_rows(db)
            if r.status in outbox.UNFINISHED
        ]
        raise AssertionError(f"not settled: {summaries()} summaries, {len(left)} rows left: {left[:10]}") from None


async def kill_loop(
    database_url: str, trials: int, recipients: int, lanes: int, seed: int, workdir: Path
) -> dict[str, Any]:
    """The trials; per trial: messages sent before the kill, rows in flight, missing, doubled, counted, reported."""
    rng = random.Random(seed)
    db = Database(database_url)
    await migrations.upgrade(db)
    chats = await subscribe(db, recipients)
    ids: list[int] = []
    kills: list[tuple[int, int]] = []  # (messages of its trial the victim had sent, its rows 'sending') at the kill
    counted: set[int] = set()  # rows counted in flight at a kill, possibly still to be taken back
    unlimited = Limits(global_per_second=None, per_chat_per_second=None)
    began = time.perf_counter()
    try:
        async with FakeTelegram(limits=unlimited) as for_victims, FakeTelegram(limits=unlimited) as for_survivor:
            fast = {"lanes": str(lanes), "telegram_chat_interval": "0", "slice_seconds": "0.02", "claim_seconds": "1"}
            # The survivor paces itself (victims get most of each broadcast) and sends the victims' started rows
            # again 5 s after they started them; its own requests, on a busy machine, are never taken (60 s).
            survivor_env = worker_env(database_url, for_survivor, telegram_rate="100", lease_seconds="60", **fast)
            victim_env = worker_env(database_url, for_victims, telegram_rate="400", lease_seconds="5", **fast)
            survivor = await start_worker(survivor_env, workdir / "survivor.log")
            try:
                for trial in range(trials):
                    victim = await start_worker(victim_env, workdir / f"victim{trial}.log")
                    marker = f"[uji {trial:02d}]"
                    at, delay = rng.randint(1, 60), rng.choice([0.0, rng.uniform(0.0, 0.03)])
                    mine = 0

                    def kill_at(_chat: int, message: dict[str, Any], marker: str = marker, at: int = at,
                                delay: float = delay, pid: int = victim.pid) -> None:  # fmt: skip
                        nonlocal mine
                        mine += marker in message["text"]
                        if mine == at:
                            asyncio.get_running_loop().call_later(delay, os.kill, pid, signal.SIGKILL)

                    for_victims.on_sent = kill_at
                    text = f"Imunisasi BIAS Kamis {marker}"
                    now = datetime.now(UTC)
                    ids.append(
                        await broadcasts.create_broadcast(
                            db, f"telegram:{AUTHOR}", "id", "staff", text, None, now, None
                        )
                    )
                    try:
                        await asyncio.wait_for(victim.wait(), 90)
                    except TimeoutError:
                        victim.kill()
                        raise AssertionError(
                            f"trial {trial}: the victim never sent {at} messages (seed {seed})"
                        ) from None
                    if victim.returncode != -signal.SIGKILL:
                        raise AssertionError(f"trial {trial}: the victim ended with {victim.returncode}")
                    at_death = await resends(db)
                    # A statement the victim wrote to PostgreSQL just before it died (its 'sending' mark, or the
                    # outcome) is still carried out by the server, later on a loaded machine (1 s was too short
                    # once at load 15): let it land before counting its rows. A row whose lease (5 s from its
                    # request's start) ran out meanwhile, the survivor may have taken back already: it counts too
                    # (counting only the rows still 'sending' once found more rows resent than counted, at load 7-8).
                    await asyncio.sleep(3.0)
                    flying = await in_flight_of(db, victim.pid, at_death, counted)
                    counted |= flying
                    kills.append((mine, len(flying)))
                for_victims.on_sent = None
                fakes = [for_victims, for_survivor]
                await settled(db, ids, lambda: len(summaries_of(fakes)), within=120 + 10 * trials)
            finally:
                with suppress(ProcessLookupError):
                    await stop_worker(survivor)
            reports = summaries_of(fakes)
            per_trial = []
            for trial, broadcast_id in enumerate(ids):
                got = received(fakes, f"[uji {trial:02d}]")
                counts = await broadcasts.counts(db, broadcast_id)
                rows = await outbox.delivery_rows(db, broadcast_id)
                per_trial.append(
                    {
                        "sent_before_kill": kills[trial][0],
                        "sending_at_kill": kills[trial][1],
                        "missing": sum(1 for c in chats if got[c] == 0),
                        "doubled": sum(got[c] - 1 for c in chats if got[c] > 1),
                        "resent": sum(r.uncertain_sends for r in rows),
                        "maybe_twice": counts.maybe_twice,
                        "reported": TWICE in reports[broadcast_id],
                        "sent": counts.sent,
                    }
                )
    finally:
        await db.dispose()
    return {"trials": per_trial, "seconds": round(time.perf_counter() - began, 1)}


def verdict(result: dict[str, Any], recipients: int, lanes: int) -> list[str]:
    """What broke the guarantee (empty: it held).

    A victim may be killed while sending rows of an earlier trial's broadcast that the survivor has
    not finished: rows in flight are compared with rows resent over all trials; each broadcast's
    doubled recipients with its own resent rows.
    """
    wrong = []
    for n, t in enumerate(result["trials"]):
        if t["missing"] or t["sent"] != recipients:
            wrong.append(f"trial {n}: {t['missing']} recipients without the message, {t['sent']} rows sent")
        if t["doubled"] > t["resent"]:
            wrong.append(f"trial {n}: {t['doubled']} recipients got it twice, only {t['resent']} were resent")
        if t["reported"] != (t["maybe_twice"] > 0) or (t["maybe_twice"] > 0) != (t["resent"] > 0):
            wrong.append(f"trial {n}: {t['resent']} resent, {t['maybe_twice']} counted, reported: {t['reported']}")
    in_flight = [t["sending_at_kill"] for t in result["trials"]]
    if max(in_flight, default=0) > lanes:
        wrong.append(f"more rows in flight at a kill than lanes: {in_flight}")
    if sum(t["resent"] for t in result["trials"]) != sum(in_flight):
        wrong.append(f"rows resent {[t['resent'] for t in result['trials']]} are not those in flight {in_flight}")
    return wrong
