"""How the danger detector holds up when the tuning lines are written a little differently.

    python -m bench.danger_perturb [--seed N]

Each caught emergency and each quiet look-alike of the tuning part (`bench.danger`, `--held c`) is
rewritten one way at a time, as a new writer might: no punctuation, a story around it, a question
after it, one letter left out of one word of five letters or more, Riau Malay final -e for -a,
its first clause moved to the end. Reported: emergencies no longer caught, look-alikes that now
fire. A mechanism that generalises loses few; wording fitted to lines loses many.
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Callable

from bench.danger import TUNE_SETS, load_set, understanding


def _typo(rnd: random.Random) -> Callable[[str], str]:
    def drop(text: str) -> str:
        words = text.split()
        long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        if not long:
            return text
        i = rnd.choice(long)
        j = rnd.randrange(1, len(words[i]) - 1)
        words[i] = words[i][:j] + words[i][j + 1 :]
        return " ".join(words)

    return drop


def _swap(text: str) -> str:
    parts = [p for p in re.split(r",\s*", text) if p]
    return ", ".join(parts[1:] + parts[:1]) if len(parts) > 1 else text


def rewrites(seed: int) -> dict[str, Callable[[str], str]]:
    return {
        "no punctuation": lambda t: re.sub(r"[.,!?;:]", " ", t).lower(),
        "in a story": lambda t: f"Selamat pagi, mau tanya jadwal posyandu bulan depan. {t} Terima kasih.",
        "a question after": lambda t: t.rstrip(".!") + ", harus gimana ya?",
        "a letter left out": _typo(random.Random(seed)),
        "Malay final -e": lambda t: re.sub(r"\b(\w{3,}?)a\b", lambda m: m.group(1) + "e", t),
        "first clause last": _swap,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1, help="which letters are left out")
    args = parser.parse_args(argv)
    u = understanding()
    if u is None:
        return 1
    rows = [r for path in TUNE_SETS for r in load_set(path) if r["part"] == "tune"]
    caught = [r["text"] for r in rows if r["danger"] and u.danger(r["text"]) is not None]
    quiet = [r["text"] for r in rows if not r["danger"] and u.danger(r["text"]) is None]
    print(f"tuning part: {len(caught)} emergencies caught, {len(quiet)} look-alikes quiet")
    for name, rewrite in rewrites(args.seed).items():
        lost = sum(u.danger(rewrite(t)) is None for t in caught)
        fired = sum(u.danger(rewrite(t)) is not None for t in quiet)
        print(f"  {name:18} lost {lost:4}/{len(caught)}  now fire {fired:3}/{len(quiet)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
