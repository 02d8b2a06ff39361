"""How the bench scripts run async-test-lint itself, isolated from any configuration around the corpus.

The corpus lives under this repository (bench/.cache/), so left alone the CLI would find this repo's
own pyproject.toml (and its .gitignore, which ignores bench/.cache/). Every run therefore passes an
explicit file list and `--config` pointing at a pyproject.toml with an empty `[tool.async-test-lint]`
table: the linter then uses its defaults, as it would in a project that has not configured it.
(The table must be there: the CLI ignores command-line flags when `--config` names a file without it.)
The same file carries `[tool.fixit] root = true`, which stops fixit from reading the projects' configs.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from corpus import CACHE_DIR, error_tail

ISOLATED_DIR = CACHE_DIR / "isolated"
ISOLATED_CONFIG = ISOLATED_DIR / "pyproject.toml"
ISOLATED_TEXT = """\
# Written by bench/tool.py: empty tables, so every tool runs on its defaults.
[tool.async-test-lint]

[tool.fixit]
root = true
"""


# The linter caches its project index on disk, under this variable's directory when it is set (else
# ~/.cache/async-test-lint). The bench always sets it: a cold run gets an empty directory of its own,
# a warm run a shared one, and nothing is written to the user's cache.
CACHE_ENV = "ASYNC_TEST_LINT_CACHE_DIR"
TOOL_CACHE_DIR = CACHE_DIR / "atl-cache"

SOURCE_DIR = Path(__file__).resolve().parent.parent / "src" / "async_test_lint"


def source_fingerprint() -> str:
    """A hash of the linter's source: equal before and after a run means every mode ran the same code.

    src/ is edited while the benchmark runs; a run that straddles an edit mixes two versions.
    """
    digest = hashlib.sha256()
    files = (path for path in SOURCE_DIR.rglob("*") if path.is_file() and "__pycache__" not in path.parts)
    for path in sorted(files):
        digest.update(str(path.relative_to(SOURCE_DIR)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


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
    return error_tail(result, 1)


@contextmanager
def fresh_cache_dir() -> Iterator[str]:
    """An empty cache directory for one cold run, removed afterwards."""
    TOOL_CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=TOOL_CACHE_DIR, prefix="cold-") as directory:
        yield directory


def tool_env(cache_dir: str | Path) -> dict[str, str]:
    """The environment for a CLI run that caches into `cache_dir`."""
    return {**os.environ, CACHE_ENV: str(cache_dir)}
