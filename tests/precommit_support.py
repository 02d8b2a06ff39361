"""The real pre-commit running this project's hooks on a temporary git repo, for every test module.

The hook repository is a committed copy of this working tree (pre-commit installs a repository at a
commit, and would leave out untracked files), so the tests check the code as it stands.

The hooks run the way a user's `.pre-commit-config.yaml` runs them: `pre-commit run --config`
with `repo:` pointing at that copy. `pre-commit try-repo` does the same but in a throwaway store
(it ignores PRE_COMMIT_HOME), so it builds the hook's virtualenv again on every call, about 10 s;
here the store is shared by the session and the virtualenv is built once.

A module uses the `pre_commit_hooks` fixture after naming this module in `pytest_plugins`, which
makes the session-scoped fixture one instance for every module (a fixture imported into two modules
would be built once per module).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from project_copy import GIT_ENV, ROOT, committed_copy, git


@dataclass(frozen=True)
class PreCommitHooks:
    config: Path
    home: Path

    def run(self, hook: str, cwd: Path, all_files: bool = True) -> subprocess.CompletedProcess[str]:
        """Run one hook in the git repo `cwd`; without `all_files`, on the staged files only, as a
        commit would."""
        env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(self.home)}
        # The hook builds a project index; it must not land in the user's cache.
        env.setdefault("ASYNC_TEST_LINT_CACHE_DIR", str(self.home / "async-test-lint-cache"))
        command = [sys.executable, "-m", "pre_commit", "run", "--config", str(self.config), "--color", "never", hook]
        return subprocess.run(
            [*command, "--all-files"] if all_files else command,
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )


README_SNIPPET = re.compile(r"^## pre-commit\n+```yaml\n(.*?)```", re.DOTALL | re.MULTILINE)
README_REPO = "https://github.com/<owner>/async-test-lint"


def readme_snippet() -> str:
    """The `.pre-commit-config.yaml` the README tells users to paste."""
    match = README_SNIPPET.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert match and README_REPO in match.group(1), "README.md's pre-commit snippet is gone"
    return match.group(1)


@pytest.fixture(scope="session")
def pre_commit_hooks(tmp_path_factory: pytest.TempPathFactory) -> PreCommitHooks:
    """The README's snippet, pasted with `repo:` pointing at a local clone and pinned to its newest
    commit the way the README says (`pre-commit autoupdate --bleeding-edge --freeze`)."""
    if importlib.util.find_spec("pre_commit") is None or shutil.which("git") is None:
        pytest.skip("needs pre-commit (pip install -e '.[test]') and git on PATH")
    hook_repo = committed_copy(tmp_path_factory.mktemp("hook-repo"))
    home = tmp_path_factory.mktemp("pre-commit-home")
    # Outside the repositories the hooks check, so it is never part of what they commit.
    config = home / "pre-commit-config.yaml"
    config.write_text(readme_snippet().replace(README_REPO, str(hook_repo)))
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home)}
    # pre-commit runs only inside a git repository, as a user's project is.
    user_project = home / "user-project"
    user_project.mkdir()
    git("init", "-q", cwd=user_project)
    pinned = subprocess.run(
        [sys.executable, "-m", "pre_commit", "autoupdate", "--bleeding-edge", "--freeze", "--config", str(config)],
        cwd=user_project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert pinned.returncode == 0, pinned.stdout + pinned.stderr
    return PreCommitHooks(config, home)
