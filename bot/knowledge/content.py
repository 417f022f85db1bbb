"""The whole content store as one immutable object, and how a directory becomes one.

Each section (office, intents, immunization, ...) lives in its own module with
`FILES` (glob patterns) and `parse(docs, problems)`. Loading reads every file,
collects every problem, and returns a Content only when there are no errors: a
broken edit never reaches residents.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.knowledge import (
    danger,
    danger_model,
    faq,
    immunization,
    language,
    office,
    phrasings,
    puskesmas,
    semantic_vectors,
    smalltalk,
    topic_model,
    uhc,
    whatsapp_templates,
)
from bot.knowledge.source import Document, Problem, Problems, read_yaml

Reader = Callable[[Path, str, Problems], Document | None]


@dataclass(frozen=True, slots=True)
class Content:
    version: str  # short hash of every file's bytes: the same files give the same version
    loaded_at: datetime
    directory: Path
    office: office.Office
    intents: faq.IntentBook
    language: language.LanguageData
    danger: danger.DangerSigns
    immunization: immunization.Schedule
    puskesmas: puskesmas.Directory
    uhc: uhc.UhcGuide
    warnings: tuple[Problem, ...] = field(default=())
    whatsapp_templates: whatsapp_templates.Templates = field(default=whatsapp_templates.EMPTY)  # optional section
    smalltalk: smalltalk.SmallTalkBook = field(default=smalltalk.EMPTY)  # optional section
    phrasings: phrasings.PhrasingBook = field(default=phrasings.EMPTY)  # optional section
    danger_model: danger_model.DangerModel = field(default=danger_model.EMPTY)  # optional: the learned safety net
    topic_model: topic_model.TopicModel = field(default=topic_model.EMPTY)  # optional: the learned second opinion


@dataclass(frozen=True, slots=True)
class Section:
    attr: str
    files: tuple[str, ...]
    parse: Callable[[list[Document], Problems], Any]
    required: bool = True
    read: Reader = read_yaml  # how one file becomes a Document
    shared: Path | None = None  # read when the pack has no file of its own (one file every office inherits)


SECTIONS: tuple[Section, ...] = (
    Section("office", office.FILES, office.parse),
    Section("intents", faq.FILES, faq.parse),
    Section("language", language.FILES, language.parse),
    Section("danger", danger.FILES, danger.parse),
    Section("immunization", immunization.FILES, immunization.parse),
    Section("puskesmas", puskesmas.FILES, puskesmas.parse),
    Section("uhc", uhc.FILES, uhc.parse),
    Section("whatsapp_templates", whatsapp_templates.FILES, whatsapp_templates.parse, required=False),
    Section("smalltalk", smalltalk.FILES, smalltalk.parse, required=False),
    Section("phrasings", phrasings.FILES, phrasings.parse, required=False),
    Section("danger_model", danger_model.FILES, danger_model.parse, False, danger_model.read, danger_model.SHARED),
    Section("topic_model", topic_model.FILES, topic_model.parse, False, topic_model.read, topic_model.SHARED),
)

# A check over the whole Content, run only when every section parsed; it records errors in Problems.
Check = Callable[[Content, Problems], None]

# Cross-section checks of the content itself. What the code needs from the content (handler names,
# intent ids) is checked by a Check the engine provides; the caller passes it to load_content.
CHECKS: tuple[Check, ...] = (
    puskesmas.check,
    uhc.check,
    whatsapp_templates.check,
    phrasings.check,
    semantic_vectors.check,
    topic_model.check,
)


def content_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.suffix in SUFFIXES and p.is_file())


SUFFIXES = {".yaml", ".yml", ".json"}  # a content file (the generated models are JSON: bot/knowledge/danger_model.py)


def fingerprint(directory: Path, inherited: Sequence[Path] = ()) -> str:
    """A version string that changes whenever any content file changes (and any shared file the pack inherits)."""
    digest = hashlib.sha256()
    for path in content_files(directory) + list(inherited):
        digest.update(str(path.relative_to(directory) if path.is_relative_to(directory) else path.name).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
    return digest.hexdigest()[:12]


def load_content(directory: Path, checks: Sequence[Check] = ()) -> tuple[Content | None, Problems]:
    """Read and validate a content directory; the Content is None when any error was found.

    `checks` run after the built-in ones: the code's own requirements (see bot.engine.requirements).
    A directory whose files are byte for byte those of a recent good load in this process gives that
    Content again (with fresh Problems): offices sharing files, a reload with nothing changed and each
    test's fresh runtime then skip about a second of parsing. Any changed byte is a new load.
    """
    directory = Path(directory)
    if not directory.is_dir():
        problems = Problems()
        problems.error(str(directory), 1, "content directory not found")
        return None, problems
    from bot.i18n import available_languages

    shared = [s.shared for s in SECTIONS if s.shared is not None and s.shared.is_file()]
    key = (str(directory.resolve()), tuple(checks), fingerprint(directory, shared), tuple(available_languages()))
    if (kept := _RECENT.get(key)) is not None:
        content, items, texts = kept
        return content, Problems(items=list(items), texts=list(texts))
    loaded, problems = _load(directory, checks)
    if loaded is not None:
        _RECENT[key] = (loaded, tuple(problems.items), tuple(problems.texts))
        while len(_RECENT) > _KEEP:
            del _RECENT[next(iter(_RECENT))]
    return loaded, problems


_KEEP = 8  # good loads kept per process (the offices of a province, a test session's packs)
_Kept = tuple["Content", tuple[Problem, ...], tuple[tuple[str, int, tuple[str, ...]], ...]]
_RECENT: dict[tuple[object, ...], _Kept] = {}


def _load(directory: Path, checks: Sequence[Check]) -> tuple[Content | None, Problems]:
    problems = Problems()
    claimed: set[Path] = set()
    inherited: list[Path] = []
    parsed: dict[str, Any] = {}
    for section in SECTIONS:
        paths = sorted({p for pattern in section.files for p in directory.glob(pattern) if p.is_file()})
        claimed.update(paths)
        names = {p: str(p.relative_to(directory)) for p in paths}
        if not paths and section.shared is not None and section.shared.is_file():
            paths = [section.shared]  # the pack has none of its own: the shared one (named by its full path)
            names = {section.shared: str(section.shared)}
            inherited.append(section.shared)
        if not paths:
            if section.required:
                problems.error(section.files[0], 1, f"missing file: {', '.join(section.files)}")
            continue
        docs = [d for p in paths if (d := section.read(p, names[p], problems)) is not None]
        if section.read is read_yaml:  # staff's files; a generated one holds no TODO-VERIFY
            _verify_warnings(docs, problems)
        if len(docs) != len(paths):
            continue  # that file's error is already recorded; parsing the rest would only add noise
        parsed[section.attr] = section.parse(docs, problems)
    office_section = parsed.get("office")
    _translation_problems(problems, office_section.languages if office_section is not None else None)
    for path in content_files(directory):
        if path not in claimed:
            problems.warn(str(path.relative_to(directory)), 1, "file is not used by any part of the bot (misnamed?)")
    if problems.errors or any(parsed.get(s.attr) is None for s in SECTIONS if s.required):
        return None, problems
    content = Content(
        version=fingerprint(directory, inherited),
        loaded_at=datetime.now(UTC),
        directory=directory,
        warnings=(),
        **parsed,
    )
    for check in (*CHECKS, *checks):
        check(content, problems)
    if problems.errors:
        return None, problems
    return _with_warnings(content, tuple(problems.warnings)), problems


VERIFY = "TODO-VERIFY"  # `office new` marks what only the office knows; staff remove it once confirmed


def _verify_warnings(docs: list[Document], problems: Problems) -> None:
    """One warning per line marked TODO-VERIFY (usually a comment: the value itself is left empty)."""
    for doc in docs:
        for number, line in enumerate(doc.text.splitlines(), 1):
            if re.search(rf"#\s*{VERIFY}", line) or re.search(rf":\s*[\"']?{VERIFY}", line):
                what = line.split(VERIFY, 1)[1].strip(" :") or line.strip()
                problems.warn(doc.name, number, f"to verify: {what} (confirm, then remove {VERIFY})")


def _translation_problems(problems: Problems, office_languages: tuple[str, ...] | None) -> None:
    """A text without a language the office answers in is an error, one per text: a resident who writes
    English would read Indonesian. A language with a catalogue that the office has not enabled (a
    translation under way) only warns, one warning per file listing the texts."""
    from bot.i18n import DEFAULT_LANG, available_languages

    enabled = set(office_languages or ()) - {DEFAULT_LANG}
    for lang in sorted(enabled | set(available_languages()) - {DEFAULT_LANG}):
        missing: dict[str, list[int]] = {}
        for file, line, langs in problems.texts:
            if lang not in langs:
                missing.setdefault(file, []).append(line)
        for file, lines in sorted(missing.items()):
            if lang in enabled:
                for line in lines:
                    problems.error(file, line, f"no '{lang}' translation: office.yaml answers residents in '{lang}'")
                continue
            shown = ", ".join(str(n) for n in lines[:8]) + (", ..." if len(lines) > 8 else "")
            problems.warn(
                file, lines[0], f"{len(lines)} text(s) have no '{lang}' translation (lines {shown}); Indonesian is used"
            )


def _with_warnings(content: Content, warnings: tuple[Problem, ...]) -> Content:
    from dataclasses import replace

    return replace(content, warnings=warnings)
