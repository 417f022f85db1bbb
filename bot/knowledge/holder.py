"""Keeps the live content of every office and swaps in a new version only when an edit validates.

One office (CONTENT_DIR) is one directory; a deployment of several offices (CONTENT_DIRS) holds
one pack per office, each reloaded on its own: a broken edit in one pack keeps that office on its
last good version while the others move on. `current` is the first (default) office's content,
`offices` all of them together.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from bot.knowledge.content import Check, Content, content_files, load_content
from bot.knowledge.offices import Offices
from bot.knowledge.source import Problem

log = logging.getLogger(__name__)


class ContentError(RuntimeError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("content is invalid:\n" + "\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class _Pack:
    directory: Path
    content: Content
    stamp: tuple[tuple[str, int, int], ...]
    errors: list[Problem] = field(default_factory=list)


class ContentHolder:
    """The live content. `checks` are the code's requirements (bot.engine.requirements.CHECKS).

    They are injected rather than imported so the knowledge layer never imports the engine; the
    composition root passes the same checks here and to `content check`. Without them only the
    content's own rules are checked (enough for tests of the loader itself). `prepare` likewise: what
    the engine builds from a content version (its Understanding, seconds of work), done here for each
    version before it goes live, so no resident's turn waits for it; the watcher reloads in a worker
    thread, and until the new version is prepared the old one keeps answering.
    """

    def __init__(
        self,
        directory: Path | Sequence[Path],
        checks: Sequence[Check] = (),
        prepare: Callable[[Content], object] | None = None,
    ) -> None:
        directories = [Path(directory)] if isinstance(directory, str | Path) else [Path(d) for d in directory]
        self.directory = directories[0]
        self.checks = tuple(checks)
        self.prepare = prepare
        self._packs: list[_Pack] = []
        problems: list[Problem] = []
        for path in directories:
            content, found = load_content(path, self.checks)
            if content is None:
                problems.extend(self._named(path, found.errors, len(directories)))
                continue
            self._packs.append(_Pack(path, content, self._files_stamp(path)))
        if problems:
            raise ContentError(problems)
        codes = [p.content.office.region_code for p in self._packs]
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            raise ContentError([Problem(str(self.directory), 1, f"two packs for the same office {', '.join(twice)}")])
        for pack in self._packs:
            self._prepared(pack.content)
        self._offices = Offices([p.content for p in self._packs])
        self.last_reload = datetime.now(UTC)

    def _prepared(self, content: Content) -> None:
        if self.prepare is not None:
            self.prepare(content)

    @property
    def current(self) -> Content:
        """The default (first) office's live content."""
        return self._packs[0].content

    @property
    def offices(self) -> Offices:
        """Every office's live content; a new object after any swap."""
        return self._offices

    @property
    def last_error(self) -> list[Problem]:
        """Why the last reload of any pack was refused (empty when every pack is on its newest files)."""
        return [p for pack in self._packs for p in pack.errors]

    def directory_of(self, office: str | None) -> Path:
        """The pack directory of an office (by region code); the default office's for None or an unknown code."""
        return next((p.directory for p in self._packs if p.content.office.region_code == office), self.directory)

    def errors_of(self, office: str | None) -> list[Problem]:
        """`last_error` of one office's pack (by region code); every pack's for None."""
        return [p for pack in self._packs if office in (None, pack.content.office.region_code) for p in pack.errors]

    @staticmethod
    def _named(directory: Path, problems: Sequence[Problem], packs: int) -> list[Problem]:
        """With several packs a problem names its pack: 'offices/kampar/faq/x.yaml:3: ...'."""
        return list(problems) if packs == 1 else [replace(p, file=f"{directory}/{p.file}") for p in problems]

    @staticmethod
    def _files_stamp(directory: Path) -> tuple[tuple[str, int, int], ...]:
        stamp = []
        for path in content_files(directory):
            try:
                st = path.stat()
            except OSError:
                continue
            stamp.append((str(path), st.st_mtime_ns, st.st_size))
        return tuple(stamp)

    def reload_if_changed(self) -> bool:
        """Reload each pack whose files changed; True when a new version went live."""
        changed = False
        for pack in self._packs:
            stamp = self._files_stamp(pack.directory)
            if stamp != pack.stamp:
                pack.stamp = stamp
                changed = self._reload(pack) or changed
        return changed

    def reload(self) -> bool:
        """Reload every pack; True when all of them validated."""
        results = [self._reload(pack) for pack in self._packs]
        return all(results)

    def _reload(self, pack: _Pack) -> bool:
        content, problems = load_content(pack.directory, self.checks)
        others = {p.content.office.region_code for p in self._packs if p is not pack}
        if content is None or content.office.region_code in others:
            taken = Problem("office.yaml", 1, "region_code is another pack's: each office has one pack")
            pack.errors = self._named(pack.directory, problems.errors or [taken], len(self._packs))
            log.error(
                "content reload refused, still serving version %s: %s",
                pack.content.version,
                "; ".join(str(p) for p in pack.errors[:10]),
            )
            return False
        try:
            self._prepared(content)  # meanwhile the old version keeps answering
        except Exception as exc:  # a bug in the engine's build: stay on the version that works
            log.exception("content version %s could not be prepared, still serving %s", content.version,
                          pack.content.version)  # fmt: skip
            pack.errors = [Problem(str(pack.directory), 1, f"the bot could not read this version: {exc}")]
            return False
        pack.errors = []
        if content.version != pack.content.version:
            log.info("content version %s is live (was %s)", content.version, pack.content.version)
        pack.content = content
        self._offices = Offices([p.content for p in self._packs])
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
