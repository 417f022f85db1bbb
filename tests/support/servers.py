"""Servers on 127.0.0.1 for integration tests and benchmarks: an app in this process, or a command in its own."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import IO

import aiohttp
from aiohttp import web

LOOPBACK = "127.0.0.1"  # tests and benchmarks never target anything else


@asynccontextmanager
async def running(app: web.Application) -> AsyncIterator[str]:
    """Serve `app` on 127.0.0.1 at a random free port; yields the base URL ('http://127.0.0.1:PORT')."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, LOOPBACK, 0)
    await site.start()
    server = site._server
    assert server is not None and server.sockets  # started just above
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://{LOOPBACK}:{port}"
    finally:
        await runner.cleanup()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


class Served(str):
    """A server process's base URL ('http://127.0.0.1:PORT'), with the process id (benchmarks read its CPU time)."""

    pid: int


@asynccontextmanager
async def server_process(
    command: list[str],
    env: Mapping[str, str] | None = None,
    ready_path: str = "/healthz",
    ready_within: float = 60.0,
    cwd: str | None = None,
) -> AsyncIterator[Served]:
    """Start a server process on a free loopback port (HOST/PORT in its environment; "{port}" in an argument).

    Yields its base URL once `ready_path` answers (any HTTP status below 500); SIGTERM on exit.
    The process's output goes to a temporary file, shown if it dies before it is ready.
    """
    port = free_port()
    full_env = {**os.environ, **(env or {}), "HOST": LOOPBACK, "PORT": str(port)}
    command = [arg.replace("{port}", str(port)) for arg in command]
    base = f"http://{LOOPBACK}:{port}"
    with tempfile.TemporaryFile() as output:
        proc = await asyncio.create_subprocess_exec(
            *command, env=full_env, stdout=output, stderr=subprocess.STDOUT, cwd=cwd
        )
        try:
            await _wait_ready(proc, base + ready_path, ready_within, output)
            served = Served(base)
            served.pid = proc.pid
            yield served
        finally:
            if proc.returncode is None:
                proc.terminate()
                try:
                    await asyncio.wait_for(proc.wait(), 30)
                except TimeoutError:
                    proc.kill()
                    await proc.wait()


async def _wait_ready(proc: asyncio.subprocess.Process, url: str, within: float, output: IO[bytes]) -> None:
    deadline = time.monotonic() + within
    async with aiohttp.ClientSession() as session:
        while True:
            if proc.returncode is not None:
                output.seek(0)
                raise RuntimeError(f"server exited with {proc.returncode}:\n{output.read().decode()[-3000:]}")
            try:
                async with session.get(url) as response:
                    if response.status < 500:
                        return
            except aiohttp.ClientError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server not ready within {within} s")
            await asyncio.sleep(0.1)
