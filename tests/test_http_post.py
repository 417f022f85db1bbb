"""The lean POST client of answers (bot/channels/http_post.py): framing, keep-alive, limits, failures."""

from __future__ import annotations

import asyncio
import json
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from telegram import Bot
from telegram.error import NetworkError, TimedOut

from bot.channels.http_post import Poster, PostFailed
from bot.channels.telegram.aiohttp_request import AiohttpRequest, session
from bot.channels.telegram.send import TelegramSender
from bot.delivery import SendResult
from bot.engine.types import Reply
from tests.support.telegram_api import FakeTelegram

Answer = Callable[[bytes], bytes | None]  # the request as read -> the raw reply (None: close without one)


def ok(body: bytes = b'{"ok":true}', extra: str = "") -> bytes:
    return (
        f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{extra}Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )


@asynccontextmanager
async def raw_server(answer: Answer, seen: list[bytes] | None = None) -> AsyncIterator[tuple[str, list[int]]]:
    """A loopback server that reads one request at a time (head and Content-Length body) and writes `answer`'s
    bytes; yields its base URL and the number of requests each connection carried."""
    per_connection: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        per_connection.append(0)
        index = len(per_connection) - 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                request = head + await reader.readexactly(length)
                if seen is not None:
                    seen.append(request)
                per_connection[index] += 1
                reply = answer(request)
                if reply is None:
                    break
                writer.write(reply)
                await writer.drain()
                lower = reply.lower()
                if b"connection: close" in lower or not (b"content-length" in lower or b"chunked" in lower):
                    break  # a reply framed by the close
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", per_connection
    finally:
        server.close()


async def test_a_post_is_one_request_with_its_headers_and_the_connection_is_kept() -> None:
    seen: list[bytes] = []
    async with raw_server(lambda _r: ok(b'{"ok":true,"result":1}', "X-Thing: Yes\r\n"), seen) as (base, conns):
        poster = Poster(user_agent="UA/1")
        replies = [await poster.post(f"{base}/bot1:x/sendMessage", b'{"a":1}', [("Authorization", "Bearer t")])]
        replies.append(await poster.post(f"{base}/bot1:x/sendMessage?x=1", b"{}"))
        await poster.close()
    assert [(r.status, r.body) for r in replies] == [(200, b'{"ok":true,"result":1}')] * 2
    assert replies[0].headers["x-thing"] == "Yes" and replies[0].headers["content-length"] == "22"
    head, _, body = seen[0].partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    assert lines[0] == "POST /bot1:x/sendMessage HTTP/1.1" and body == b'{"a":1}'
    assert {
        "User-Agent: UA/1",
        "Content-Type: application/json",
        "Authorization: Bearer t",
        "Content-Length: 7",
    } <= set(lines)
    assert f"Host: {base.removeprefix('http://')}" in lines
    assert seen[1].startswith(b"POST /bot1:x/sendMessage?x=1 HTTP/1.1\r\n")
    assert conns == [2] and poster.connections == 1  # both on one kept-alive connection


@pytest.mark.parametrize(
    "reply",
    [
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n6;x=y\r\nefghij\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\nabcdefghij\r\n0\r\nX-Trailer: 1\r\n\r\n",
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabcdefghij",
    ],
    ids=["chunked", "chunked-with-trailer", "after-100-continue"],
)
async def test_replies_framed_otherwise_are_read_whole(reply: bytes) -> None:
    async with raw_server(lambda _r: reply) as (base, conns):
        poster = Poster()
        first = await poster.post(f"{base}/p", b"{}")
        second = await poster.post(f"{base}/p", b"{}")
        await poster.close()
    assert first.body == second.body == b"abcdefghij" and first.status == 200
    assert conns == [2]


async def test_a_reply_that_ends_with_the_connection_is_read_and_the_connection_not_kept() -> None:
    async with raw_server(lambda _r: b"HTTP/1.0 502 Bad Gateway\r\n\r\nupstream down") as (base, _):
        poster = Poster()
        reply = await poster.post(f"{base}/p", b"{}")
        assert (reply.status, reply.body) == (502, b"upstream down")
        async with raw_server(lambda _r: ok(extra="Connection: close\r\n")) as (base2, conns):
            for _ in range(2):
                assert (await poster.post(f"{base2}/p", b"{}")).status == 200
        await poster.close()
    assert conns == [1, 1]  # "Connection: close": a new connection for the next request


async def test_a_connection_closed_before_its_reply_fails_the_post_once_and_the_next_post_works() -> None:
    calls: list[int] = []

    def first_dies(_request: bytes) -> bytes | None:
        calls.append(1)
        return None if len(calls) == 1 else ok()

    async with raw_server(first_dies) as (base, conns):
        poster = Poster()
        with pytest.raises(PostFailed):
            await poster.post(f"{base}/p", b"{}")
        assert (await poster.post(f"{base}/p", b"{}")).status == 200
        await poster.close()
    assert len(calls) == 2 and conns == [1, 1]  # never sent twice by the client itself


async def test_garbage_is_no_reply() -> None:
    async with raw_server(lambda _r: b"SSH-2.0-OpenSSH\r\n\r\n") as (base, _):
        poster = Poster()
        with pytest.raises(PostFailed, match="not an HTTP reply"):
            await poster.post(f"{base}/p", b"{}")
        await poster.close()


async def test_no_server_and_no_reply_in_time() -> None:
    fake = FakeTelegram()
    await fake.start()
    await fake.stop()
    poster = Poster(read_timeout=0.3)
    with pytest.raises(PostFailed):
        await poster.post(f"{fake.base_url}/bot1:x/sendMessage", b"{}")

    async def hang(_reader: asyncio.StreamReader, _writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(5)

    server = await asyncio.start_server(hang, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    with pytest.raises(TimeoutError):
        await poster.post(f"http://127.0.0.1:{port}/p", b"{}")
    server.close()
    await poster.close()
    with pytest.raises(PostFailed, match="closed"):
        await poster.post(f"http://127.0.0.1:{port}/p", b"{}")


async def test_at_most_limit_requests_at_once_the_rest_wait_for_a_slot() -> None:
    in_flight, most = 0, 0
    release = asyncio.Event()

    async def slow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal in_flight, most
        while True:
            try:
                await reader.readuntil(b"\r\n\r\n")
                await reader.readexactly(2)
            except (asyncio.IncompleteReadError, ConnectionError):
                break
            in_flight += 1
            most = max(most, in_flight)
            await release.wait()
            in_flight -= 1
            writer.write(ok())
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(slow, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/p"
    poster = Poster(limit=3)
    posts = [asyncio.create_task(poster.post(url, b"{}")) for _ in range(7)]
    await asyncio.sleep(0.3)
    assert most == 3
    release.set()
    assert [r.status for r in await asyncio.gather(*posts)] == [200] * 7
    assert most == 3 and poster.connections == 3
    await poster.close()
    server.close()


async def test_the_senders_over_it_map_failures_as_before() -> None:
    """Telegram's post_json and WhatsApp's post read the platform's reply as over aiohttp."""
    body = json.dumps({"ok": False, "error_code": 429, "description": "Too Many", "parameters": {"retry_after": 3}})
    reply = f"HTTP/1.1 429 Too Many Requests\r\nContent-Length: {len(body)}\r\n\r\n{body}".encode()
    async with raw_server(lambda _r: reply) as (base, _), session() as http:
        poster = Poster()
        bot = Bot("1:x", base_url=f"{base}/bot", request=AiohttpRequest(http, poster=poster))
        result = await TelegramSender(bot).send("telegram:42", Reply("halo"))
        await poster.close()
    assert result == SendResult(ok=False, retry_after=3.0, error="Flood control exceeded. Retry in 3 seconds")

    fake = FakeTelegram()
    await fake.start()
    await fake.stop()
    async with session() as http:
        poster = Poster(read_timeout=0.3)
        request = AiohttpRequest(http, poster=poster)
        with pytest.raises(NetworkError) as raised:
            await request.post_json(f"{fake.base_url}/sendMessage", {"chat_id": 1})
        assert not isinstance(raised.value, TimedOut)
        await poster.close()


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and its key."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


async def test_https_with_the_servers_certificate_checked(certificate: tuple[Path, Path]) -> None:
    """The platforms are https: TLS on the pooled connection, the certificate and host name checked."""
    cert, key = certificate
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    served.load_cert_chain(cert, key)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                await reader.readexactly(int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0]))
                writer.write(ok())
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=served)
    port = server.sockets[0].getsockname()[1]
    trusting = ssl.create_default_context(cafile=str(cert))
    poster = Poster(tls=trusting)
    assert [(await poster.post(f"https://localhost:{port}/p", b"{}")).status for _ in range(2)] == [200, 200]
    assert poster.connections == 1
    await poster.close()
    with pytest.raises(PostFailed, match="certificate"):  # the system's trust does not know this certificate
        await Poster().post(f"https://localhost:{port}/p", b"{}")
    server.close()


async def test_what_cannot_be_written_as_a_request_is_refused_before_anything_is_sent() -> None:
    seen: list[bytes] = []
    async with raw_server(lambda _r: ok(), seen) as (base, _):
        poster = Poster()
        for url in ("ftp://example.org/x", f"{base}:99999/p", "http:///nohost", f"{base}/a b"):
            with pytest.raises(PostFailed):
                await poster.post(url, b"{}")
        with pytest.raises(PostFailed, match="line break"):
            await poster.post(f"{base}/p", b"{}", [("Authorization", "Bearer t\r\nX-Evil: 1")])
        with pytest.raises(PostFailed, match="Latin-1"):
            await poster.post(f"{base}/p", b"{}", [("Authorization", "Bearer \u20ac")])
        assert (await poster.post(f"{base}/bot1:x/kirim-\u00e9", b"{}")).status == 200
        await poster.close()
    assert len(seen) == 1 and seen[0].startswith(b"POST /bot1:x/kirim-%C3%A9 HTTP/1.1\r\n")
