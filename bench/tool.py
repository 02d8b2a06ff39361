"""How the bench scripts run async-test-lint itself, isolated from any configuration around the corpus.

The corpus lives under this repository (bench/.cache/), so left alone the CLI would find this repo's
own pyproject.toml (and its .gitignore, which ignores bench/.cache/). Every run therefore passes an
explicit file list and `--config` pointing at an empty pyproject.toml: the linter then uses its
defaults, as it would in a project that has not configured it. The same file carries
`[tool.fixit] root = true`, which stops fixit from reading the projects' own configs.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from corpus import CACHE_DIR

ISOLATED_DIR = CACHE_DIR / "isolated"
ISOLATED_CONFIG = ISOLATED_DIR / "pyproject.toml"
ISOLATED_TEXT = """\
# Written by bench/tool.py: no [tool.async-test-lint] table, so every tool runs on its defaults.
[tool.fixit]
root = true
"""


def isolated_config() -> Path:
    """The empty configuration file, written on first use."""
    if not ISOLATED_CONFIG.is_file() or ISOLATED_CONFIG.read_text() != ISOLATED_TEXT:
        ISOLATED_DIR.mkdir(parents=True, exist_ok=True)
        ISOLATED_CONFIG.write_text(ISOLATED_TEXT)
    return ISOLATED_CONFIG


def check_command(files: Sequence[str], *options: str) -> list[str]:
    """`python -m async_test_lint check` on exactly `files`, with the isolated config."""
    return [
        sys.executable, "-m", "async_test_lint", "check",
        "--config", str(isolated_config()), "--no-respect-gitignore", *options, *files,
    ]  # fmt: skip


def _check_help() -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "async_test_lint", "check", "--help"]
    return subprocess.run(command, capture_output=True, text=True)


def cli_problem() -> str | None:
    """Why the CLI cannot be run (None when `check --help` works)."""
    result = _check_help()
    if result.returncode == 0:
        return None
    lines = (result.stderr or result.stdout).strip().splitlines()
    return lines[-1] if lines else f"exit code {result.returncode}"


def cli_has_flag(flag: str) -> bool:
    """Whether `check` accepts `flag` (the CLI grows while the benchmark is used)."""
    result = _check_help()
    return result.returncode == 0 and re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", result.stdout) is not None
