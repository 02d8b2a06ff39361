"""Findings' fingerprints: stable when the code around them moves, different when what they flag changes."""

from __future__ import annotations

import json
from pathlib import Path

from cli_run import run_cli, write

from async_test_lint.engine.registry import select_rules
from async_test_lint.engine.runner import lint_path
from async_test_lint.settings.config import Settings

SOURCE = """\
import asyncio
import time


async def test_waits():
    time.sleep(0.1)


class TestServer:
    async def test_starts(self):
        time.sleep(0.1)
"""


def fingerprints(path: Path, text: str) -> list[tuple[int, str]]:
    path.write_text(text)
    settings = Settings(select=("ATL201",))
    return [(d.line, d.fingerprint) for d in lint_path(path, settings, select_rules(settings)).diagnostics]


def test_lines_added_above_and_reformatting_keep_the_fingerprint(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    target = tmp_path / "tests" / "test_sleep.py"
    target.parent.mkdir()
    before = fingerprints(target, SOURCE)
    moved = SOURCE.replace("import time\n", "import time\n\n# a comment\nTIMEOUT = 5\n")
    reformatted = moved.replace("time.sleep(0.1)", "time.sleep(\n        0.1,  # seconds\n    )", 1)
    after = fingerprints(target, reformatted)
    assert [line for line, _ in after] != [line for line, _ in before]
    assert [fp for _, fp in after] == [fp for _, fp in before]


def test_another_function_or_another_call_gives_another_fingerprint(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    target = tmp_path / "test_sleep.py"
    (_, in_function), (_, in_method) = fingerprints(target, SOURCE)
    assert in_function != in_method
    [(_, changed_delay), _] = fingerprints(target, SOURCE.replace("time.sleep(0.1)", "time.sleep(0.2)", 1))
    assert changed_delay != in_function
    [(_, renamed), _] = fingerprints(target, SOURCE.replace("test_waits", "test_blocks"))
    assert renamed != in_function


def test_the_fingerprint_does_not_depend_on_the_working_directory(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "")
    write(tmp_path / "tests" / "test_sleep.py", SOURCE)
    from_root = json.loads(run_cli("check", "--format", "json", "tests", cwd=tmp_path).stdout)
    from_tests = json.loads(run_cli("check", "--format", "json", ".", cwd=tmp_path / "tests").stdout)
    assert [d["fingerprint"] for d in from_root] == [d["fingerprint"] for d in from_tests]
    assert all(len(d["fingerprint"]) == 16 for d in from_root)
    assert from_root[0]["path"] != from_tests[0]["path"]
