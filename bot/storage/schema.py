"""Every table the bot has: importing this registers them all on `Base.metadata`."""

from __future__ import annotations

from bot.storage import models

metadata = models.Base.metadata
