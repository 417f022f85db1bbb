"""Every table the bot has: importing this registers them all on `Base.metadata`."""

from __future__ import annotations

from bot.storage import models, subscriptions

metadata = models.Base.metadata

__all__ = ["metadata", "subscriptions"]
