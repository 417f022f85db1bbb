"""The danger step's cost per message, counted (callgrind) and timed against another commit in one run.

    python -m bench.danger_cost                         # instructions per message, under valgrind's callgrind
    python -m bench.danger_cost --against ed1d26e       # the same for that commit's detector, side by side
    python -m bench.danger_cost --time --against ed1d26e  # wall clock of both in one process, interleaved
    python -m bench.danger_cost --outputs save FILE     # every tuning line's find()/trouble() (and its words)
    python -m bench.danger_cost --outputs check FILE    # ... a change: any difference is listed, exit 1

The step is what a turn asks (`dialogue.py`): `find(text)`, then the safety net `trouble(text)` when no sign
fired. A message costs what a new message costs: the detector's last text and the normaliser's remembered texts
are emptied before it (another message read in between, `_seen` cleared), the word caches are warm (one pass over
all messages first: words recur, texts rarely do). `bench.danger`'s best-of-runs times read the same text again
and so skip the reading; these do not.

Instructions: valgrind --tool=callgrind collects only inside `operator.call(step, text)` (the C function
`_operator_call` of libpython) and dumps after each call, so every message's count stands alone, whatever the
machine's load (PYTHONHASHSEED fixed; repeat runs agree to a few instructions in a million).

Another commit (`--against`): its `bot/` and `locales/` (git archive) imported in this process under the same name, with the
modules swapped in `sys.modules` while it is built, reading this tree's `content/`: the difference is the code. With
`--their-content` it reads its own `content/` (archived too): when this tree's content has fields the other commit's
code does not read (round 12's `net_hints`, the model as JSON), the difference is the code and the content.
"""

from __future__ import annotations

import argparse
import ctypes
import importlib
import io
import json
import operator
import os
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.danger import ROOT, TUNE_SETS, forget_text, load_set, percentile

BLIND = ROOT / "bench" / "blind"
FROZEN = frozenset(["danger_eval_p.jsonl", "understanding_p.yaml"])  # the frozen blind pair: never read
WORK = Path("/tmp/dangerCost")


def timing_texts(every: int = 1) -> list[str]:
    """The messages `bench.danger` times: its tuning sets, in order (every `every`-th one)."""
    return [r["text"] for path in TUNE_SETS for r in load_set(path)][::every]


def output_texts() -> list[str]:
    """Every tuning danger line and every turn of the tuning conversations (never the frozen set I)."""
    import yaml

    texts: list[str] = []
    for path in [*sorted(BLIND.glob("danger_*.jsonl")), ROOT / "bench" / "danger_own.jsonl"]:
        if path.name not in FROZEN:
            texts += [
                json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
            ]
    for path in sorted(BLIND.glob("understanding_*.yaml")):
        if path.name not in FROZEN:
            texts += [str(t["say"]) for c in yaml.safe_load(path.read_text(encoding="utf-8")) for t in c["turns"]]
    return texts


# --- the detector of this tree or of another commit ------------------------------------------------


def understanding(ref: str | None = None, their_content: bool = False) -> Any:
    """This tree's Understanding, or `ref`'s (its bot/ imported aside) over this tree's content/ (or its own)."""
    if ref is None:
        return _build()
    target = WORK / f"tree-{_commit(ref)}"
    if not (target / "bot").is_dir() or not (target / "content").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", ref, "bot", "locales", "content"], check=True, capture_output=True
        )
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(target, filter="data")
    ours = {name: m for name, m in sys.modules.items() if name == "bot" or name.startswith("bot.")}
    for name in ours:
        del sys.modules[name]
    sys.path.insert(0, str(target))
    try:
        return _build(target / "content" if their_content else ROOT / "content")
    finally:
        sys.path.remove(str(target))
        for name in [n for n in sys.modules if n == "bot" or n.startswith("bot.")]:
            del sys.modules[name]
        sys.modules.update(ours)


def _commit(ref: str) -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short=10", ref], check=True, capture_output=True, text=True
    ).stdout.strip()


def _build(directory: Path = ROOT / "content") -> Any:
    content_module = importlib.import_module("bot.knowledge.content")
    understanding_module = importlib.import_module("bot.engine.understanding")
    content, problems = content_module.load_content(directory)
    if content is None:
        raise SystemExit("\n".join(str(p) for p in problems))
    return understanding_module.Understanding(content)


def danger_step(u: Any) -> Callable[[str], object]:
    """What a turn asks of the detector: the signs, then the safety net when none fired."""
    return lambda text: u.danger(text) or u.trouble(text)


# --- outputs before and after a change ---------------------------------------------------------------


def outputs(u: Any, texts: list[str]) -> Iterator[list[object]]:
    """Each text's sign and safety net as a turn asks them, the net asked alone on a new text, and the normaliser's
    words (corrected, and as the detector reads them) that both stand on."""
    name = operator.attrgetter("id")
    for text in texts:
        forget_text(u)
        sign, net = u.danger(text), u.trouble(text)
        forget_text(u)
        alone = u.trouble(text)
        words = [" ".join(u._normalizer.words(text, correct=c)) for c in (True, False)]
        yield [text, sign and name(sign), net and name(net), alone and name(alone), *words]


def save_or_check(u: Any, how: str, path: Path) -> int:
    now = list(outputs(u, output_texts()))
    if how == "save":
        path.write_text(json.dumps(now, ensure_ascii=False, indent=0), encoding="utf-8")
        print(f"{len(now)} messages' find/trouble outputs saved to {path}")
        return 0
    before = json.loads(path.read_text(encoding="utf-8"))
    changed = [(b, a) for b, a in zip(before, now, strict=True) if b != a]
    for b, a in changed:
        print(f"  CHANGED {b[1:]} -> {a[1:]}: {a[0]}")
    print(f"{len(now)} messages, {len(changed)} with another find/trouble output than {path}")
    return 1 if changed else 0


# --- instructions (callgrind) -------------------------------------------------------------------------


_SHIM = "#include <valgrind/callgrind.h>\nvoid start(void) { CALLGRIND_START_INSTRUMENTATION; }\n"


def instrumentation_switch() -> Path | None:
    """A one-line C library that turns callgrind's instrumentation on (its client request), built on first use:
    the detector is built uninstrumented, several times faster. None without a C compiler or valgrind's header."""
    library = WORK / "callgrind_start.so"
    if not library.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        source = WORK / "callgrind_start.c"
        source.write_text(_SHIM)
        built = subprocess.run(["cc", "-shared", "-fPIC", "-o", str(library), str(source)], capture_output=True)
        if built.returncode != 0:
            return None
    return library


def count_child(ref: str | None, every: int) -> None:
    """Run under callgrind: the warm-up, then each message inside `operator.call` (collected, dumped after)."""
    u = understanding(ref)
    step, texts = danger_step(u), timing_texts(every)
    for text in texts:
        step(text)
    switch = instrumentation_switch()
    if switch is not None:  # else instrumented from the start (slower, the same counts)
        ctypes.CDLL(str(switch)).start()
    for text in texts:
        forget_text(u)
        operator.call(step, text)


def instructions(ref: str | None, every: int) -> list[int]:
    """Instructions per message of this tree's (or `ref`'s) danger step, one count per timing text."""
    WORK.mkdir(parents=True, exist_ok=True)
    out = WORK / f"callgrind-{_commit(ref) if ref else 'here'}-{os.getpid()}.out"
    instrument_at_start = "no" if instrumentation_switch() else "yes"
    command = [
        "valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=_operator_call",
        "--dump-after=_operator_call", "--combine-dumps=yes", "--dump-line=no", f"--instr-atstart={instrument_at_start}",
        f"--callgrind-out-file={out}",
        sys.executable, "-m", "bench.danger_cost", "--count-child", "--every", str(every),
    ]  # fmt: skip
    if ref:
        command += ["--child-ref", ref]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    subprocess.run(command, check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    counts = [int(line.split()[1]) for line in out.read_text().splitlines() if line.startswith("totals:")]
    out.unlink()
    return counts


def describe(counts: list[int]) -> str:
    """Thousands of instructions per message: p50, p99, mean, max."""
    k = [c / 1e3 for c in counts]
    return (
        f"p50 {percentile(k, 0.5):7.0f}k  p99 {percentile(k, 0.99):7.0f}k  "
        f"mean {sum(k) / max(len(k), 1):7.0f}k  max {max(k):7.0f}k instructions ({len(k)} messages)"
    )


# --- wall clock, both in one run --------------------------------------------------------------------


def time_both(ref: str, repeats: int, every: int, their_content: bool = False) -> None:
    """Each message timed with both detectors in turn (best of `repeats`, new message each time): a ratio."""
    ours, theirs = understanding(), understanding(ref, their_content)
    texts = timing_texts(every)
    steps = {"this tree": (ours, danger_step(ours)), ref: (theirs, danger_step(theirs))}
    best: dict[str, list[float]] = {name: [] for name in steps}
    for _u, step in steps.values():
        for text in texts:
            step(text)
    for text in texts:
        for name, (u, step) in steps.items():
            fastest = float("inf")
            for _ in range(repeats):
                forget_text(u)
                start = time.perf_counter()
                step(text)
                fastest = min(fastest, time.perf_counter() - start)
            best[name].append(fastest * 1000)
    load1, load5, _ = os.getloadavg()
    print(f"danger step, ms per new message (best of {repeats}, {len(texts)} messages; load {load1:.2f} {load5:.2f}):")
    for name, times in best.items():
        print(f"  {name:12} p50 {percentile(times, 0.5):.3f}  p99 {percentile(times, 0.99):.3f}")
    ratio = [o / t for o, t in zip(best["this tree"], best[ref], strict=True)]
    mine, old = percentile(best["this tree"], 0.99), percentile(best[ref], 0.99)
    print(f"  p99 ratio this tree / {ref}: {mine / old:.2f}; per message: median {percentile(ratio, 0.5):.2f}")
    floors = {name: floor(u, texts, repeats) for name, (u, _step) in steps.items()}
    print("the floor, normalising alone (`Normalizer.words(text, correct=False)`, a new text), ms:")
    for name, times in floors.items():
        print(f"  {name:12} p50 {percentile(times, 0.5):.3f}  p99 {percentile(times, 0.99):.3f}")


def floor(u: Any, texts: list[str], repeats: int) -> list[float]:
    """Milliseconds per message of what any detector needs: the message's words, as the normaliser reads them
    for the detector (its remembered texts emptied before each run)."""
    normalizer = u._normalizer
    out = []
    for text in texts:
        fastest = float("inf")
        for _ in range(repeats):
            normalizer._seen.clear()
            start = time.perf_counter()
            normalizer.words(text, correct=False)
            fastest = min(fastest, time.perf_counter() - start)
        out.append(fastest * 1000)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", help="another commit's detector, measured the same way")
    parser.add_argument("--time", action="store_true", help="wall clock of this tree and --against in one run")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--every", type=int, default=1, help="every n-th message only (quicker)")
    parser.add_argument("--outputs", nargs=2, metavar=("save|check", "FILE"))
    parser.add_argument("--their-content", action="store_true", help="--against reads its own content/")
    parser.add_argument("--count-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-ref", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.count_child:
        count_child(args.child_ref, args.every)
        return 0
    if args.outputs:
        how, path = args.outputs
        return save_or_check(understanding(args.against), how, Path(path))
    if args.time:
        if not args.against:
            parser.error("--time needs --against REF")
        time_both(args.against, args.repeats, args.every, args.their_content)
        return 0
    for name, ref in [("this tree", None), *([(args.against, args.against)] if args.against else [])]:
        print(f"  {name:12} {describe(instructions(ref, args.every))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
