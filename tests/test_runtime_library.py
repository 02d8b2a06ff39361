"""A fix writes the sleep of the library the code runs under: shown under real pytest with trio.

The bad trio module blocks trio's loop (the worker never runs). The linter's fix for it writes
`trio.sleep` (the module imports trio only), and that module passes; the fix it used to write,
`asyncio.sleep`, raises `RuntimeError` under `trio.run`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from runtime_harness import RUNTIME, Outcome, check, lint_runtime_module, run_module

from async_test_lint.engine.fixer import fix_text
from async_test_lint.engine.registry import select_rules
from async_test_lint.settings.config import Settings

pytest.importorskip("trio")

STEM = "blocking_sleep_trio"
SETTINGS = Settings(select=("ATL201",))


def test_bad_trio_module_blocks_the_loop(tmp_path: Path) -> None:
    run = run_module(f"{STEM}_bad.py", tmp_path / "bad")
    check(run, Outcome({"failed": 1}, says=("the worker never ran: the loop was blocked",)))


def test_the_fix_is_trio_sleep_and_it_passes(tmp_path: Path) -> None:
    bad = RUNTIME / f"{STEM}_bad.py"
    fixed = fix_text(bad.read_text(), str(bad), SETTINGS, select_rules(SETTINGS), is_test_file=True).text
    assert fixed == (RUNTIME / f"{STEM}_good.py").read_text()
    check(run_module(f"{STEM}_good.py", tmp_path / "good"), Outcome({"passed": 1}))


def test_the_asyncio_fix_would_break_trio_code(tmp_path: Path) -> None:
    run = run_module(f"{STEM}_asyncio_fix.py", tmp_path / "asyncio_fix")
    check(run, Outcome({"failed": 1}, says=("RuntimeError",)))


def test_the_bad_module_is_flagged_with_trio_advice_and_the_good_one_is_not() -> None:
    [finding] = lint_runtime_module(f"{STEM}_bad.py", SETTINGS)
    assert "await trio.sleep()" in finding.message and finding.fixable
    assert lint_runtime_module(f"{STEM}_good.py", SETTINGS) == []
