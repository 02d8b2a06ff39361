"""Running the runtime-proof modules of fixtures_code/runtime/ under the real pytest + pytest-asyncio."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from async_test_lint.engine.registry import select_rules
from async_test_lint.engine.runner import lint_text
from async_test_lint.settings.config import Settings

RUNTIME = Path(__file__).resolve().parent.parent / "fixtures_code" / "runtime"
PYTEST_INI = "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n"


def run_real_pytest(
    modules: Sequence[str], workdir: Path, helpers: Sequence[str] = (), extra_args: Sequence[str] = ()
) -> subprocess.CompletedProcess[str]:
    """Copy `modules` (and helper files) into `workdir` and run pytest on them in strict mode."""
    workdir.mkdir()
    (workdir / "pytest.ini").write_text(PYTEST_INI)
    for name in {*modules, *helpers}:
        shutil.copy(RUNTIME / name, workdir / name)
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    # Only the plugins under test: other installed ones (hypothesis, benchmark) double the start-up.
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    plugins = ["-p", "asyncio", "-p", "timeout", "-p", "no:cacheprovider"]
    return subprocess.run(
        [sys.executable, "-m", "pytest", *plugins, *extra_args, *modules],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def lint_runtime_module(name: str, settings: Settings) -> list:
    path = RUNTIME / name
    return lint_text(path.read_text(), str(path), settings, select_rules(settings), is_test_file=True)


OUTCOME_COUNT = re.compile(r"(\d+) (passed|failed|errors?)\b")


@dataclass(frozen=True)
class Outcome:
    """How a module behaves: pytest's counts, texts its report must hold, and texts it must not."""

    counts: dict[str, int]
    says: tuple[str, ...] = ()
    never_says: tuple[str, ...] = ()


@dataclass(frozen=True)
class Run:
    counts: dict[str, int]
    output: str


def run_module(module: str, workdir: Path) -> Run:
    """One module in its own pytest process; -rA shows a passing test's captured output and log."""
    completed = run_real_pytest([module], workdir, extra_args=["-q", "-rA"])
    lines = [line for line in completed.stdout.splitlines() if line.strip()]
    summary = lines[-1] if lines else ""
    counts = {"error" if kind.startswith("error") else kind: int(n) for n, kind in OUTCOME_COUNT.findall(summary)}
    return Run(counts, completed.stdout + completed.stderr)


def run_bad_and_good(stems: Sequence[str], base: Path) -> dict[tuple[str, str], Run]:
    """`<stem>_bad.py` and `<stem>_good.py` of every stem, side by side: each process is mostly
    start-up, so together they take about as long as one."""
    jobs = [(stem, variant) for stem in stems for variant in ("bad", "good")]
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = {
            (stem, variant): pool.submit(run_module, f"{stem}_{variant}.py", base / f"{stem}_{variant}")
            for stem, variant in jobs
        }
        return {key: future.result() for key, future in futures.items()}


def check(run: Run, expected: Outcome) -> None:
    assert run.counts == expected.counts, run.output
    for text in expected.says:
        assert text in run.output, run.output
    for text in expected.never_says:
        assert text not in run.output, run.output
