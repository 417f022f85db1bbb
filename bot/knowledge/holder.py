"""Keeps the live Content and swaps in a new one only when an edit validates."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bot.knowledge.content import Check, Content, content_files, load_content
from bot.knowledge.source import Problem

log = logging.getLogger(__name__)


class ContentError(RuntimeError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("content is invalid:\n" + "\n".join(str(p) for p in problems))
        self.problems = problems


class ContentHolder:
    """The live content. `checks` are the code's requirements (bot.engine.requirements.CHECKS).

    They are injected rather than imported so the knowledge layer never imports the engine; the
    composition root passes the same checks here and to `content check`. Without them only the
    content's own rules are checked (enough for tests of the loader itself).
    """

    def __init__(self, directory: Path, checks: Sequence[Check] = ()) -> None:
        self.directory = Path(directory)
        self.checks = tuple(checks)
        content, problems = load_content(self.directory, self.checks)
        if content is None:
            raise ContentError(problems.errors)
        self._current = content
        self._stamp = self._files_stamp()
        self.last_reload = datetime.now(UTC)
        self.last_error: list[Problem] = []

    @property
    def current(self) -> Content:
        return self._current

    def _files_stamp(self) -> tuple[tuple[str, int, int], ...]:
        stamp = []
        for path in content_files(self.directory):
            try:
                st = path.stat()
            except OSError:
                continue
            stamp.append((str(path), st.st_mtime_ns, st.st_size))
        return tuple(stamp)

    def reload_if_changed(self) -> bool:
        """Reload when any file changed; True when a new version went live."""
        stamp = self._files_stamp()
        if stamp == self._stamp:
            return False
        self._stamp = stamp
        return self.reload()

    def reload(self) -> bool:
        content, problems = load_content(self.directory, self.checks)
        if content is None:
            self.last_error = problems.errors
            log.error(
                "content reload refused, still serving version %s: %s",
                self._current.version,
                "; ".join(str(p) for p in problems.errors[:10]),
            )
            return False
        self.last_error = []
        if content.version != self._current.version:
            log.info("content version %s is live (was %s)", content.version, self._current.version)
        self._current = content
        self.last_reload = datetime.now(UTC)
        return True

    async def watch(self, interval: float = 2.0) -> None:
        """Poll the files for changes until cancelled (cheap: one stat per file)."""
        while True:
            await asyncio.sleep(interval)
            try:
                await asyncio.to_thread(self.reload_if_changed)
            except Exception:  # a watcher must outlive any single bad reload
                log.exception("content watcher failed once; trying again")
