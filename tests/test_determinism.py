"""The same messages get the same answers after a restart: no decision may hang on set or dict order.

Python salts str hashes per process (PYTHONHASHSEED), so set iteration order changes between
restarts. The labelled set is played through `chat --jsonl` in fresh processes under several
seeds; every answer must be identical. (Before stable tie-breaks, "cek kesehatan gratis syaratnya
apa" was CKG under seeds 0, 1, 2 and UHC documents under 3, 5, 7.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.settings import CONTENT, ROOT
from tests.support.understanding_quality import load_cases

SEEDS = ("0", "3", "5")


def _start(lines: list[str], seed: str, tmp: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PYTHONHASHSEED": seed,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/seed{seed}.db",
        "CONTENT_DIR": str(CONTENT),
        "PSEUDONYM_KEY": "determinism",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "chat", "--jsonl", "--today", "2026-11-30"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )  # fmt: skip


def _answers(process: subprocess.Popen[str], lines: list[str]) -> list[tuple[str, str, list[str]]]:
    stdout, _ = process.communicate("\n".join(lines) + "\n", timeout=300)
    assert process.returncode == 0
    out = [json.loads(line) for line in stdout.splitlines()]
    return [(o["in"], o["intent"], [r["text"] for r in o["replies"]]) for o in out]


def test_labelled_set_answers_identically_under_several_hash_seeds(tmp_path: Path) -> None:
    # "menu" between questions: each question is asked afresh, as a new conversation would.
    lines = [x for case in load_cases() for x in ("menu", case.text.replace("\n", " "))]
    lines.append("cek kesehatan gratis syaratnya apa")
    _same_under_every_seed(lines, tmp_path)


# Conversations whose later turns lean on the earlier ones (follow-ups, a story, small talk, a handover
# request), each started afresh with "menu": the context rules must not hang on set order either.
CONVERSATIONS = [
    ["alamat puskesmas rejosari di mana", "jam bukanya?", "kalau sabtu?"],
    ["anak saya telat imunisasi, umurnya 6 bulan", "mulainya dari mana?", "sudah 2 hari demam"],
    ["anak saya kurus, bisa dapat makanan tambahan dari puskesmas?", "syaratnya apa?"],
    ["kartu bpjs saya tidak aktif lagi", "dulu saya peserta pbi dari pemerintah", "cara aktifkan lagi?"],
    [
        "Cucu saya umur 5 bulan kemarin disuntik di posyandu, malamnya rewel dan pahanya bengkak kemerahan. "
        "Sudah dikompres tapi masih nangis terus. Apakah ini wajar?",
        "oke makasih",
    ],
    ["uwan ambo tensi nyo tinggi, dima bisa cek tiap bulan?", "terime kasih ye"],
    ["botnya ga ngerti, saya mau sama orang aja"],
]


def test_follow_ups_answer_identically_under_several_hash_seeds(tmp_path: Path) -> None:
    lines = [line for conversation in CONVERSATIONS for line in ("menu", *conversation)]
    _same_under_every_seed(lines, tmp_path)


def _same_under_every_seed(lines: list[str], tmp_path: Path) -> None:
    processes = {seed: _start(lines, seed, tmp_path) for seed in SEEDS}  # side by side: one wall-clock wait
    runs = {seed: _answers(process, lines) for seed, process in processes.items()}
    first = runs[SEEDS[0]]
    assert len(first) == len(lines)
    for seed in SEEDS[1:]:
        differ = [(a[0], a[1], b[1]) for a, b in zip(first, runs[seed], strict=True) if a != b]
        assert not differ, f"seed {seed} answers differently from seed {SEEDS[0]}: {differ[:5]}"
