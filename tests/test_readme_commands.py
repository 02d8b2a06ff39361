"""The two commands at the top of README.md work verbatim in a fresh virtualenv on a clean copy."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from project_copy import ROOT, copy_project

SETUP_SECTION = re.compile(r"^## Set up in two commands\n(.*?)^## ", re.DOTALL | re.MULTILINE)
SH_BLOCK = re.compile(r"```sh\n(.*?)```", re.DOTALL)
CLAIM = re.compile(r"reports (\w+) findings and exits (\d)")
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}


def setup_section() -> str:
    match = SETUP_SECTION.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert match, "README.md has no '## Set up in two commands' section"
    return match.group(1)


def setup_commands() -> list[str]:
    blocks = [block.strip() for block in SH_BLOCK.findall(setup_section())]
    assert len(blocks) == 2 and all("\n" not in block for block in blocks), blocks
    return blocks


def run_in_venv(command: str, environment: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`command` run by a shell as a user with `environment` activated would run it."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}
    env["VIRTUAL_ENV"] = str(environment)
    env["PATH"] = os.pathsep.join([str(environment / "bin"), env.get("PATH", "")])
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return subprocess.run(
        command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.mark.skipif(sys.platform == "win32", reason="the README's commands are POSIX shell")
def test_readme_setup_commands_work_verbatim_in_a_fresh_virtualenv(tmp_path) -> None:
    first, second = setup_commands()
    claim = CLAIM.search(setup_section())
    assert claim, "the README no longer says what the first command reports"
    copy = copy_project(tmp_path / "async-test-lint")
    environment = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(environment)

    result = run_in_venv(first, environment, copy)
    output = result.stdout + result.stderr
    assert result.returncode == int(claim.group(2)), output
    assert "fixtures_code/demo/test_demo.py:15:5: ATL201" in result.stdout
    assert f"Found {NUMBERS[claim.group(1)]} errors." in result.stdout
    # It ran the copy installed in the new virtualenv, not the one running these tests.
    assert (environment / "bin" / "async-test-lint").is_file()

    # The second command ends by running the whole test suite, this test included, which would
    # recurse. So its install part runs verbatim, and then one real test module of the suite
    # proves the installed test extras run it from the copy.
    install, test_run = (part.strip() for part in second.split("&&"))
    assert test_run.startswith("python -m pytest"), second
    installed = run_in_venv(install, environment, copy)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    tests = run_in_venv(f"{test_run} tests/test_rule_docs.py -q", environment, copy)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert re.search(r"\d+ passed", tests.stdout), tests.stdout
    where = run_in_venv('python -c "import async_test_lint; print(async_test_lint.__file__)"', environment, copy)
    assert Path(where.stdout.strip()).is_relative_to(copy / "src"), where.stdout + where.stderr
