"""A copy of this project as a fresh clone would hold it, for tests that install or publish it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Without git, copy the tree minus what .gitignore would keep out of a clone.
NOT_IN_A_CLONE = (".git", "__pycache__", "*.egg-info", "build", "dist", ".venv", ".cache", "results", ".benchmarks")
# Commits in temporary repositories must not depend on the user's git identity or signing setup.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "async-test-lint tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "async-test-lint tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
}


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def project_files() -> list[str]:
    """Tracked and new, not ignored, files of the working tree: what the next commit would hold."""
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    return sorted(name for name in listed.split("\0") if name and (ROOT / name).is_file())


def copy_project(destination: Path) -> Path:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        shutil.copytree(ROOT, destination, ignore=shutil.ignore_patterns(*NOT_IN_A_CLONE), dirs_exist_ok=True)
        return destination
    for name in project_files():
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    return destination


def committed_copy(destination: Path) -> Path:
    """The project copied into a new git repository with everything committed."""
    copy_project(destination)
    git("init", "-q", cwd=destination)
    git("add", "-A", cwd=destination)
    git("commit", "-q", "-m", "snapshot for tests", cwd=destination)
    return destination
