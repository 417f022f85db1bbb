"""Line-aware YAML reading and problem reporting, shared by every content section.

Staff fix what `content check` reports, so every problem carries the file and the
line it comes from. PyYAML's composer knows the line of every node; we keep it on
the mappings and lists we build.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Collection, Container, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.i18n import DEFAULT_LANG


class LineMap(dict[str, Any]):
    """A YAML mapping that remembers its own line and each key's line (1-based)."""

    line: int
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A YAML sequence that remembers its own line and each item's line (1-based)."""

    line: int
    item_lines: list[int]


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.file}:{self.line}: {kind}{self.message}"


@dataclass
class Problems:
    """Collects problems across all files; errors block a reload, warnings do not."""

    items: list[Problem] = field(default_factory=list)
    # Every localized text read, as (file, line, languages it has): for translation warnings.
    texts: list[tuple[str, int, tuple[str, ...]]] = field(default_factory=list)

    def error(self, file: str, line: int, message: str) -> None:
        self.items.append(Problem(file, line, message))

    def warn(self, file: str, line: int, message: str) -> None:
        self.items.append(Problem(file, line, message, warning=True))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.warning]

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(self.items, key=lambda p: (p.file, p.line, p.message)))


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int) -> None:
        super().__init__(key)
        self.key, self.line = key, line


def _build(node: yaml.Node, scalars: yaml.constructor.SafeConstructor) -> Any:
    if isinstance(node, yaml.MappingNode):
        out = LineMap()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = _build(key_node, scalars)
            key = str(key)
            if key in out:
                raise _DuplicateKey(key, key_node.start_mark.line + 1)
            out[key] = _build(value_node, scalars)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = LineList(_build(item, scalars) for item in node.value)
        seq.line = node.start_mark.line + 1
        seq.item_lines = [item.start_mark.line + 1 for item in node.value]
        return seq
    # SafeLoader's constructors, so "2026-01-05" becomes a date, "yes" a bool, etc.: one per file (a whole loader per
    # scalar was 60% of loading the content, 52,000 of them)
    return scalars.construct_object(node, deep=True)


@dataclass(frozen=True, slots=True)
class Localized:
    """A text in Indonesian (always there) and optionally other languages."""

    texts: tuple[tuple[str, str], ...]

    @classmethod
    def plain(cls, text: str) -> Localized:
        return cls(((DEFAULT_LANG, text),))

    def get(self, lang: str = DEFAULT_LANG) -> str:
        """The text in `lang`, falling back to Indonesian."""
        found = dict(self.texts)
        return found.get(lang) or found[DEFAULT_LANG]

    def has(self, lang: str) -> bool:
        return any(code == lang for code, _ in self.texts)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.texts)

    def __str__(self) -> str:
        return self.get(DEFAULT_LANG)


@dataclass(frozen=True, slots=True)
class Document:
    """One parsed content file: its path relative to the content dir, and its data."""

    name: str
    data: Any
    text: str


# libyaml's loader when installed: ~20x faster on the whole content, same nodes and line marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_text(path: Path, name: str, problems: Problems) -> str | None:
    """A content file's text; a file that cannot be read or is not UTF-8 is recorded and gives None."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.error(name, 1, f"cannot read the file: {exc}")
        return None


def read_json(path: Path, name: str, problems: Problems, parsed: Container[str] = ()) -> Document | None:
    """Parse one JSON file (a generated model: the C parser reads megabytes in tens of milliseconds). A file whose
    bytes' hash is in `parsed` is not parsed again: its Document holds the hash, for the section's own cache."""
    if (text := read_text(path, name, problems)) is None:
        return None
    digest = hashlib.sha256(text.encode()).hexdigest()
    if digest in parsed:
        return Document(name, digest, text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.error(name, exc.lineno, f"JSON is broken: {exc.msg}")
        return None
    return Document(name, data, text)


Place = Callable[[str, str], None]  # records a message at the line of a JSON key


def json_object(
    doc: Document, problems: Problems, section: str, keys: Collection[str]
) -> tuple[dict[str, Any] | None, Place]:
    """A generated model's JSON object with its unknown and missing fields recorded (`about` may be left out), and
    the function that records a message at a key's line; None for a file that is no object or says {"model": "off"}
    (the model turned off in that office: no error)."""

    def error(key: str, message: str) -> None:
        at = doc.text.find(json.dumps(key))
        problems.error(doc.name, doc.text.count("\n", 0, at) + 1 if at >= 0 else 1, f"{section}: {message}")

    data = doc.data
    if not isinstance(data, dict):
        problems.error(doc.name, 1, f"{section}: expected a JSON object")
        return None, error
    if data.get("model") == "off" and len(data) == 1:
        return None, error
    for key in sorted(set(data) - set(keys)):
        error(key, f"unknown field '{key}'")
    for key in sorted(set(keys) - set(data) - {"about"}):
        problems.error(doc.name, 1, f"{section}: missing required field '{key}'")
    return data, error


def model_header(data: dict[str, Any], error: Place, features: str) -> None:
    """Check the fields every generated model states: its name, its feature recipe, who made it and when, as text;
    a recipe other than the engine's `features` is an error (the model's tool must run again)."""
    for key in ("model", "features", "made_by", "made_at"):
        if key in data and not isinstance(data[key], str):
            error(key, f"'{key}' must be text")
    recipe = data.get("features")
    if isinstance(recipe, str) and recipe != features:
        error("features", f"made with features '{recipe}', the engine reads '{features}': run the tool again")


def read_yaml(path: Path, name: str, problems: Problems) -> Document | None:
    """Parse one YAML file; on any error record it with its line and return None."""
    if (text := read_text(path, name, problems)) is None:
        return None
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problems.error(name, line, f"YAML is broken: {exc.problem or exc.context}")
        return None
    except yaml.YAMLError as exc:
        problems.error(name, 1, f"YAML is broken: {exc}")
        return None
    if node is None:
        problems.error(name, 1, "the file is empty")
        return None
    try:
        return Document(name, _build(node, yaml.constructor.SafeConstructor()), text)
    except _DuplicateKey as exc:
        problems.error(name, exc.line, f"duplicate key '{exc.key}'")
        return None
    except yaml.YAMLError as exc:
        problems.error(name, 1, f"YAML is broken: {exc}")
        return None


def line_of(obj: Any, key: str | None = None, default: int = 1) -> int:
    """The line of a mapping key, a mapping or a list; `default` when unknown."""
    if isinstance(obj, LineMap):
        if key is not None and key in obj.key_lines:
            return obj.key_lines[key]
        return obj.line
    if isinstance(obj, LineList):
        return obj.line
    return default


class Fields:
    """Typed access to one mapping of a content file that records problems instead of raising.

    Every section parser reads its entries through this, so unknown keys, missing
    fields and wrong types are reported the same way everywhere.
    """

    def __init__(self, data: Any, file: str, problems: Problems, where: str, line: int = 1) -> None:
        self.file, self.problems, self.where = file, problems, where
        self.ok = isinstance(data, LineMap)
        self.data: LineMap = data if isinstance(data, LineMap) else LineMap()
        self.line = data.line if isinstance(data, LineMap) else line
        if not self.ok:
            problems.error(file, line, f"{where}: expected a mapping (key: value), got {type(data).__name__}")
        self.seen: set[str] = set()

    def line_of(self, key: str) -> int:
        return self.data.key_lines.get(key, self.line) if hasattr(self.data, "key_lines") else self.line

    def error(self, key: str | None, message: str) -> None:
        line = self.line_of(key) if key else self.line
        self.problems.error(self.file, line, f"{self.where}: {message}")

    def warn(self, key: str | None, message: str) -> None:
        line = self.line_of(key) if key else self.line
        self.problems.warn(self.file, line, f"{self.where}: {message}")

    def _get(self, key: str, required: bool) -> Any:
        self.seen.add(key)
        if key not in self.data or self.data[key] is None:
            if required and self.ok:
                self.error(None, f"missing required field '{key}'")
            return None
        return self.data[key]

    def text(self, key: str, required: bool = True, default: str = "") -> str:
        value = self._get(key, required)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(key, f"'{key}' must be text")
            return default
        text = str(value).strip()
        if required and not text:
            self.error(key, f"'{key}' must not be empty")
        return text

    def localized(self, key: str, required: bool = True, *, name: bool = False) -> Localized | None:
        """A text that is either plain Indonesian or a mapping of language code to text.

        A `name` ("BCG", "PCV 1") written plain is the same in every language: it needs no translation.
        """
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            text = str(value).strip()
            if not text:
                self.error(key, f"'{key}' must not be empty")
                return None
            if not name:
                self.problems.texts.append((self.file, self.line_of(key), (DEFAULT_LANG,)))
            return Localized.plain(text)
        if isinstance(value, LineMap):
            pairs = []
            for code, text in value.items():
                if not isinstance(text, str) or not text.strip():
                    self.problems.error(
                        self.file, value.key_lines[code], f"{self.where}: '{key}.{code}' must be non-empty text"
                    )
                    continue
                pairs.append((code, text.strip()))
            if DEFAULT_LANG not in dict(pairs):
                self.error(key, f"'{key}' needs an Indonesian text under '{DEFAULT_LANG}:'")
                return None
            self.problems.texts.append((self.file, self.line_of(key), tuple(code for code, _ in pairs)))
            return Localized(tuple(pairs))
        self.error(key, f"'{key}' must be text, or a mapping of language to text")
        return None

    def identifier(self, pattern: re.Pattern[str], kind: str, rule: str, key: str = "id") -> str:
        """The entry's id: names the entry in later messages and must match the file's id rule."""
        value = self.text(key)
        self.where = f"{kind} '{value}'" if value else kind
        if value and not pattern.match(value):
            self.error(key, f"{key} must be {rule}")
        return value

    def number(self, key: str, required: bool = True, default: float | None = None) -> float | None:
        value = self._get(key, required)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(key, f"'{key}' must be a number")
            return default
        return float(value)

    def integer(self, key: str, required: bool = True, default: int | None = None) -> int | None:
        value = self._get(key, required)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"'{key}' must be a whole number")
            return default
        return value

    def boolean(self, key: str, required: bool = False, default: bool = False) -> bool:
        value = self._get(key, required)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(key, f"'{key}' must be true or false")
            return default
        return value

    def date(self, key: str, required: bool = True) -> dt.date | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.error(key, f"'{key}' must be a date like 2026-01-31")
        return None

    def texts(self, key: str, required: bool = True) -> tuple[str, ...]:
        """A list of texts; a single text is accepted as a list of one."""
        value = self._get(key, required)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.error(key, f"'{key}' must be a list of texts")
            return ()
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str | int | float) or isinstance(item, bool) or not str(item).strip():
                line = value.item_lines[i] if isinstance(value, LineList) else self.line_of(key)
                self.problems.error(self.file, line, f"{self.where}: item {i + 1} of '{key}' must be non-empty text")
                continue
            out.append(str(item).strip())
        if required and not out:
            self.error(key, f"'{key}' must list at least one item")
        return tuple(out)

    def mapping(self, key: str, required: bool = True) -> LineMap | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, LineMap):
            self.error(key, f"'{key}' must be a mapping (key: value)")
            return None
        return value

    def items(self, key: str, required: bool = True) -> list[tuple[int, Any]]:
        """A list of entries with the line of each."""
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, LineList):
            self.error(key, f"'{key}' must be a list")
            return []
        if required and not value:
            self.error(key, f"'{key}' must not be empty")
        return list(zip(value.item_lines, value, strict=True))

    def raw(self, key: str) -> Any:
        self.seen.add(key)
        return self.data.get(key)

    def done(self, allowed_extra: Iterable[str] = ()) -> None:
        """Report keys nobody asked for: usually a typo of a real field."""
        extra = set(allowed_extra)
        for key in self.data:
            if key not in self.seen and key not in extra:
                self.problems.error(
                    self.file, self.data.key_lines.get(key, self.line), f"{self.where}: unknown key '{key}'"
                )
