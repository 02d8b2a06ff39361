"""Running the runtime-proof modules of fixtures_code/runtime/ under the real pytest + pytest-asyncio."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from async_test_lint.config import Settings
from async_test_lint.engine import lint_text
from async_test_lint.registry import select_rules

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
