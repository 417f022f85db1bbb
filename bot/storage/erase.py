"""Erasing one user's data everywhere (/hapusdata, `admin erase`): a registry of erasers.

Every `bot.storage` module that defines `erase_user(db, user_key)` is found and called;
code elsewhere can `register()` its own. The query log is keyed by pseudonym, so it is
erased with the pseudonym computed from the key.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Awaitable, Callable

import bot.storage
from bot.privacy import pseudonym
from bot.storage import conversations, querylog
from bot.storage.db import Database

log = logging.getLogger(__name__)

Eraser = Callable[[Database, str], Awaitable[object]]

_registered: dict[str, Eraser] = {}


def register(name: str, eraser: Eraser) -> None:
    """Add an eraser for data kept outside `bot.storage` (called with the raw user key)."""
    _registered[name] = eraser


def erasers() -> dict[str, Eraser]:
    """Registered erasers plus `erase_user` of every `bot.storage` module, by name."""
    found = dict(_registered)
    for info in pkgutil.iter_modules(bot.storage.__path__):
        module = importlib.import_module(f"bot.storage.{info.name}")
        eraser = getattr(module, "erase_user", None)
        if callable(eraser) and info.name != "erase":
            found[info.name] = eraser
    return found


async def erase_user(db: Database, user_key: str, secret: bytes) -> list[str]:
    """Delete everything about one user; returns the names of the stores erased. Raises if any failed."""
    done: list[str] = []
    failed: list[str] = []
    for name, eraser in erasers().items():
        try:
            await eraser(db, user_key)
            done.append(name)
        except Exception:
            log.exception("erasing a user's data from %s failed", name)
            failed.append(name)
    try:
        await conversations.delete_state(db, user_key, secret)
        done.append("conversations")
    except Exception:
        log.exception("erasing a user's conversation state failed")
        failed.append("conversations")
    try:
        await querylog.erase_pseudonym(db, pseudonym(user_key, secret))
        done.append("query_log")
    except Exception:
        log.exception("erasing a user's query log rows failed")
        failed.append("query_log")
    if failed:
        raise RuntimeError(f"could not erase from: {', '.join(failed)}")
    return done
