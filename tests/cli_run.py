"""Running the real command line in a subprocess, the way users and CI run it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

# The console script installed beside this interpreter (the package is installed in it).
SCRIPT = Path(sys.executable).with_name("async-test-lint")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [shutil.which("async-test-lint") or "async-test-lint"]

# The module imports asyncio, so its fix is certain to be asyncio's sleep.
SLEEPING_TEST = """\
import time
import asyncio

async def test_waits():
    time.sleep(0.1)
"""

# SLEEPING_TEST after `async-test-lint fix`.
FIXED_SLEEPING_TEST = """\
import time
import asyncio

async def test_waits():
    await asyncio.sleep(0.1)
"""


def run_cli(
    *args: str | Path,
    cwd: Path,
    timeout: float = 120,
    env: dict[str, str] | None = None,
    input: str | None = None,  # noqa: A002 - subprocess.run's name
) -> subprocess.CompletedProcess[str]:
    """`env` is added to this process's environment; `input` is piped to standard input."""
    return subprocess.run(
        [*COMMAND, *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=None if env is None else {**os.environ, **env},
        input=input,
        stdin=None if input is not None else subprocess.DEVNULL,
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def codes_by_file(stdout: str) -> dict[str, list[str]]:
    """`path:line:col: CODE ...` lines grouped by path (posix), codes in order."""
    found: dict[str, list[str]] = {}
    for line in stdout.splitlines():
        parts = line.split(":", 3)
        if len(parts) == 4 and parts[1].isdigit() and parts[2].isdigit():
            found.setdefault(Path(parts[0]).as_posix(), []).append(parts[3].split()[0])
    return found
