"""nginx in front of `serve` processes on loopback, as deploy/nginx.conf configures it (tests and benches).

nginx (Debian's package, /usr/sbin/nginx) runs as a child process with its own prefix and
configuration in a temporary directory (`daemon off`), made from deploy/nginx.conf with the
upstreams, the listen address and the log paths replaced for loopback.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp

from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HAVE_NGINX = Path(NGINX).exists()


class NoNginx(RuntimeError):
    """nginx is not installed (apt-get install nginx-light)."""


def loopback_config(prefix: Path, listen: int, upstreams: list[int], worker_connections: int = 256) -> str:
    """deploy/nginx.conf inside a minimal main config, rewritten for loopback and this prefix."""
    site = TEMPLATE.read_text()
    servers = "".join(f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;\n" for port in upstreams)
    replaced = [
        (r"(upstream tanyasehat \{\n)(?:.*\n)*?(    keepalive)", rf"\g<1>{servers}\g<2>"),
        (r"server \{\n    listen 80;(?:.*\n)*?\}\n", ""),  # no http -> https redirect
        (r"    listen 443 ssl http2;\n    listen \[::\]:443 ssl http2;\n", f"    listen 127.0.0.1:{listen};\n"),
        (r"    ssl_certificate.*\n", ""),
        (r"access_log /var/log/nginx/tanyasehat.access.log;", f"access_log {prefix}/access.log upstreams;"),
    ]
    for pattern, new in replaced:
        site, n = re.subn(pattern, new, site)
        assert n, f"deploy/nginx.conf changed: {pattern!r} no longer matches"
    temp = "\n".join(
        f"    {kind}_temp_path {prefix}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"daemon off;\nworker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log warn;\n"
        f"events {{ worker_connections {worker_connections}; }}\n"
        f"http {{\n    log_format upstreams '$request_uri $status $upstream_addr';\n{temp}\n{site}}}\n"
    )


@asynccontextmanager
async def nginx(upstreams: list[int], worker_connections: int = 256) -> AsyncIterator[tuple[str, Path]]:
    """nginx in front of `upstreams`; yields its base URL and its prefix directory (access.log is there)."""
    if not HAVE_NGINX:
        raise NoNginx("nginx is not installed (apt-get install nginx-light)")
    prefix = Path(tempfile.mkdtemp(prefix="nginx-"))
    port = free_port()
    (prefix / "nginx.conf").write_text(loopback_config(prefix, port, upstreams, worker_connections))
    command = [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")]
    proc = await asyncio.create_subprocess_exec(*command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session, asyncio.timeout(20):
            while True:
                assert proc.returncode is None, (prefix / "error.log").read_text()
                try:
                    async with session.get(base + "/healthz") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        yield base, prefix
    finally:
        if proc.returncode is None:
            proc.terminate()  # SIGTERM: nginx's fast shutdown
            await asyncio.wait_for(proc.wait(), 10)
        shutil.rmtree(prefix, ignore_errors=True)
