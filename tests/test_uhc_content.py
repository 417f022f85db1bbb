"""`content check` refuses a UHC flow a resident could get lost in, naming file and line."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bot.engine.requirements import CHECKS as CODE_NEEDS
from bot.knowledge.check import check_directory
from bot.knowledge.content import load_content
from tests.support.cli import run_bot
from tests.support.settings import CONTENT

Edit = Callable[[dict[str, Any]], None]


def _rewrite(content_dir: Path, edit: Edit) -> str:
    """Apply `edit` to uhc.yaml's data and write it back; returns the new text."""
    path = content_dir / "uhc.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(text, encoding="utf-8")
    return text


def _line(text: str, needle: str, after: str = "") -> int:
    """1-based line of the first `needle` at or after the first line containing `after`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines) if i >= start and needle in line) + 1


def _check(content_dir: Path) -> tuple[int, str]:
    out = io.StringIO()
    return check_directory(content_dir, out, CODE_NEEDS), out.getvalue()


def test_the_real_uhc_content_has_no_problems() -> None:
    _, problems = load_content(CONTENT)
    mine = [str(p) for p in problems if p.file in {"uhc.yaml", "faq/uhc.yaml"}]
    assert mine == []


def test_every_fact_and_outcome_names_its_source_and_review_date() -> None:
    content, _ = load_content(CONTENT)
    assert content is not None
    guide = content.uhc
    for item in (*guide.facts.values(), *guide.flow.outcomes.values()):
        assert item.source and item.reviewed is not None, item.id
    numbers = " ".join(f.text.get() for f in guide.facts.values())
    for fact in ("0811-8165-165", "0811-8750-400", "165", "Rp150.000", "Rp100.000", "Rp42.000", "KRIS", "KK"):
        assert fact in numbers


def test_a_dangling_branch_fails_with_file_and_line(content_dir: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["flow"]["steps"]["kerja_baru"]["answers"][1]["next"] = "daftar_pemdaa"

    text = _rewrite(content_dir, edit)
    code, out = _check(content_dir)
    line = _line(text, "next: daftar_pemdaa")
    assert code == 1
    assert f"uhc.yaml:{line}: step 'kerja_baru': answer leads to unknown step or outcome 'daftar_pemdaa'" in out


def test_a_cycle_with_no_exit_fails_with_file_and_line(content_dir: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        steps = data["flow"]["steps"]
        steps["ktp"]["answers"][1]["next"] = "putar_a"
        steps["putar_a"] = {"question": "A?", "answers": [{"label": "Lagi", "typed": ["lagi"], "next": "putar_b"}]}
        steps["putar_b"] = {"question": "B?", "answers": [{"label": "Lagi", "typed": ["lagi"], "next": "putar_a"}]}

    text = _rewrite(content_dir, edit)
    code, out = _check(content_dir)
    assert code == 1
    for step in ("putar_a", "putar_b"):
        line = _line(text, f"{step}:", after="steps:")
        assert f"uhc.yaml:{line}: step '{step}' cannot reach any outcome: a cycle with no exit" in out
    # luar_daerah is no longer reached: only a warning, the cycle is the error
    assert "warning: outcome 'luar_daerah' is unreachable" in out


def test_an_outcome_without_next_steps_fails_with_file_and_line(content_dir: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        del data["flow"]["outcomes"]["sudah_aktif"]["next_steps"]

    text = _rewrite(content_dir, edit)
    code, out = _check(content_dir)
    line = _line(text, "sudah_aktif:", after="outcomes:")
    assert code == 1
    assert f"uhc.yaml:{line}: outcome 'sudah_aktif': has no next_steps" in out


def test_an_unreachable_step_fails_with_file_and_line(content_dir: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["flow"]["steps"]["yatim"] = {"question": "?", "answers": [{"label": "Ya", "next": "cek_status"}]}

    text = _rewrite(content_dir, edit)
    code, out = _check(content_dir)
    assert code == 1
    assert f"uhc.yaml:{_line(text, 'yatim:')}: step 'yatim' is unreachable" in out


def test_an_answer_accepted_by_two_choices_and_unknown_references_fail(content_dir: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["flow"]["steps"]["ktp"]["answers"][1]["typed"].append("iya")  # also a "ya" word
        data["flow"]["steps"]["aktif"]["answers"][0]["words"] = ["yaa"]
        data["answers"]["status"].append("tidak_ada")
        data["flow"]["start"] = "mulai"

    _rewrite(content_dir, edit)
    code, out = _check(content_dir)
    assert code == 1
    assert "'iya' is accepted by two answers of this step" in out
    assert "unknown word set 'yaa'" in out
    assert "lists unknown fact 'tidak_ada'" in out
    assert "start 'mulai' is not a step" in out


def test_a_uhc_handler_without_its_answer_fails(content_dir: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        del data["answers"]["kelas"]

    _rewrite(content_dir, edit)
    code, out = _check(content_dir)
    assert code == 1
    assert "handler 'uhc.kelas' needs 'answers: kelas:'" in out


def test_the_command_line_check_names_file_and_line(content_dir: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["flow"]["steps"]["aktif"]["answers"][0]["next"] = "ke_mana"

    text = _rewrite(content_dir, edit)
    run = run_bot("content", "check", str(content_dir))
    assert run.returncode == 1
    assert f"uhc.yaml:{_line(text, 'next: ke_mana')}: step 'aktif'" in run.stdout


def test_malformed_flow_files_give_errors_not_crashes(content_dir: Path) -> None:
    def no_flow(data: dict[str, Any]) -> None:
        del data["flow"]

    def steps_as_list(data: dict[str, Any]) -> None:
        data["flow"]["steps"] = ["ktp", "aktif"]

    def answers_as_text(data: dict[str, Any]) -> None:
        data["flow"]["steps"]["ktp"]["answers"] = "ya"

    def empty_answers(data: dict[str, Any]) -> None:
        data["flow"]["steps"]["aktif"]["answers"] = []

    def next_steps_as_number(data: dict[str, Any]) -> None:
        data["flow"]["outcomes"]["karyawan"]["next_steps"] = [3, None]

    def facts_as_list(data: dict[str, Any]) -> None:
        data["facts"] = ["arti"]

    original = (content_dir / "uhc.yaml").read_text(encoding="utf-8")
    for edit in (no_flow, steps_as_list, answers_as_text, empty_answers, next_steps_as_number, facts_as_list):
        (content_dir / "uhc.yaml").write_text(original, encoding="utf-8")
        _rewrite(content_dir, edit)
        code, out = _check(content_dir)
        assert code == 1, edit.__name__
        assert "uhc.yaml:" in out, edit.__name__
