"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit on a temporary git repo.

How the hook repository and pre-commit's store are set up, and shared with other modules, is in
precommit_support.py.
"""

from __future__ import annotations

import re

from cli_run import FIXED_SLEEPING_TEST, SLEEPING_TEST, write
from project_copy import git

pytest_plugins = ["precommit_support"]


def test_the_readme_snippet_is_pinned_to_the_commit_it_names(pre_commit_hooks) -> None:
    config = pre_commit_hooks.config.read_text()
    revision = re.search(r"rev: ([0-9a-f]{40})", config)
    assert revision, config
    assert "- id: async-test-lint-fix" in config and "- id: async-test-lint " in config.replace("\n", " \n")


def test_check_fails_fix_rewrites_then_check_passes(tmp_path, pre_commit_hooks) -> None:
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

    check = pre_commit_hooks.run("async-test-lint", project)
    output = check.stdout + check.stderr
    assert check.returncode == 1, output
    assert "Failed" in output
    assert "tests/test_bad.py:5:5: ATL201" in output
    assert "tests/data" not in output and "notes.txt" not in output
    assert bad.read_text() == SLEEPING_TEST

    fix = pre_commit_hooks.run("async-test-lint-fix", project)
    output = fix.stdout + fix.stderr
    assert fix.returncode == 1, output  # pre-commit fails a hook that modifies files
    assert "files were modified by this hook" in output
    assert bad.read_text() == FIXED_SLEEPING_TEST
    assert sample.read_text() == SLEEPING_TEST
    assert notes.read_text() == "async def test_x(:\n    time.sleep(1)\n"

    again = pre_commit_hooks.run("async-test-lint", project)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Passed" in again.stdout

    fix_again = pre_commit_hooks.run("async-test-lint-fix", project)
    assert fix_again.returncode == 0, fix_again.stdout + fix_again.stderr
    assert bad.read_text() == FIXED_SLEEPING_TEST
