"""Where the repository and its content are, and the settings a test bot runs with."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"


def make_settings(tmp_path: Path, content: Path = CONTENT, database_url: str | None = None) -> Settings:
    env = {
        "DATABASE_URL": database_url or f"sqlite+aiosqlite:///{tmp_path}/bot.db",
        "CONTENT_DIR": str(content),
        "PSEUDONYM_KEY": "test-key",
    }
    return Settings.from_env(env)
