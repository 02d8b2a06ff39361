"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit (`try-repo`) on a temporary git repo.

The hook repository is a committed copy of this working tree (try-repo installs a repository at a
commit, and would leave out untracked files), so the test checks the code as it stands. pre-commit
builds the hook's virtualenv from PyPI once per module: PRE_COMMIT_HOME is shared by the tests here.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli_run import FIXED_SLEEPING_TEST, SLEEPING_TEST, write
from project_copy import GIT_ENV, committed_copy, git

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pre_commit") is None or shutil.which("git") is None,
    reason="needs pre-commit (pip install -e '.[test]') and git on PATH",
)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    return committed_copy(tmp_path_factory.mktemp("hook-repo"))


def try_repo(hook_repo: Path, hook: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), hook, "--all-files", "--color", "never"],
        cwd=cwd,
        env={**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_check_fails_fix_rewrites_then_check_passes(tmp_path, hook_repo, pre_commit_home) -> None:
    project = tmp_path / "project"
    bad = write(project / "tests" / "test_bad.py", SLEEPING_TEST)
    # Excluded by the project's config: pre-commit names every file, and the hooks' --force-exclude
    # keeps the exclude in force.
    sample = write(project / "tests" / "data" / "test_sample.py", SLEEPING_TEST)
    write(project / "pyproject.toml", '[tool.async-test-lint]\nextend-exclude = ["tests/data"]\n')
    # Not a Python file, so never handed to the hooks (were it linted, it would be an ATL001).
    notes = write(project / "notes.txt", "async def test_x(:\n    time.sleep(1)\n")
    git("init", "-q", cwd=project)
    git("add", "-A", cwd=project)

    check = try_repo(hook_repo, "async-test-lint", project, pre_commit_home)
    output = check.stdout + check.stderr
    assert check.returncode == 1, output
    assert "Failed" in output
    assert "tests/test_bad.py:5:5: ATL201" in output
    assert "tests/data" not in output and "notes.txt" not in output
    assert bad.read_text() == SLEEPING_TEST

    fix = try_repo(hook_repo, "async-test-lint-fix", project, pre_commit_home)
    output = fix.stdout + fix.stderr
    assert fix.returncode == 1, output  # pre-commit fails a hook that modifies files
    assert "files were modified by this hook" in output
    assert bad.read_text() == FIXED_SLEEPING_TEST
    assert sample.read_text() == SLEEPING_TEST
    assert notes.read_text() == "async def test_x(:\n    time.sleep(1)\n"

    again = try_repo(hook_repo, "async-test-lint", project, pre_commit_home)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Passed" in again.stdout

    fix_again = try_repo(hook_repo, "async-test-lint-fix", project, pre_commit_home)
    assert fix_again.returncode == 0, fix_again.stdout + fix_again.stderr
    assert bad.read_text() == FIXED_SLEEPING_TEST
