"""The front-end as a ruff user reaches for it: selection precedence, statistics, stdin, --add-noqa,
the cache commands and the everyday flags. Every test runs the real `async-test-lint` process."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_run import FIXED_SLEEPING_TEST, SLEEPING_TEST, codes_by_file, run_cli, write
from test_cli import CLEAN_TEST, MIXED_TEST, assert_one_line_usage_error

from async_test_lint.project.index import CACHE_MAX_FILES


def reported(tmp_path: Path, *args: str) -> list[str]:
    result = run_cli("check", *args, ".", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    return sorted({code for codes in codes_by_file(result.stdout).values() for code in codes})


# --- selection: the config file, then the command line, resolved as ruff does ---------------------
# MIXED_TEST has ATL201, ATL203, ATL401 and ATL402. Each case pairs two of select / extend-select /
# ignore, in the config file, on the command line, or one in each. Checked against ruff 0.17 with
# the same shapes of codes (F/F401/W).

SELECTION_CASES = [
    # config select x command-line select: the command line starts over.
    ('select = ["ATL4"]', ["--select", "ATL201"], ["ATL201"]),
    # config ignore x command-line select: the config's ignore goes with its selection.
    ('ignore = ["ATL201"]', ["--select", "ATL2"], ["ATL201", "ATL203"]),
    # config extend-select x command-line select: dropped too.
    ('select = ["ATL201"]\nextend-select = ["ATL402"]', ["--select", "ATL203"], ["ATL203"]),
    # config select x command-line extend-select / ignore: adjusted.
    ('select = ["ATL2"]', ["--extend-select", "ATL402"], ["ATL201", "ATL203", "ATL402"]),
    ('select = ["ATL4"]', ["--ignore", "ATL402"], ["ATL401"]),
    # config ignore x command-line extend-select: the later source wins.
    ('select = ["ATL2", "ATL4"]\nignore = ["ATL4"]', ["--extend-select", "ATL401"], ["ATL201", "ATL203", "ATL401"]),
    # within one source, the more specific selector wins, whichever list it is in ...
    ('select = ["ATL2"]\nignore = ["ATL201"]', [], ["ATL203"]),
    ('select = ["ATL201"]\nignore = ["ATL2"]', [], ["ATL201"]),
    ("", ["--ignore", "ATL4", "--extend-select", "ATL402"], ["ATL201", "ATL203", "ATL402"]),
    ('select = ["ATL2"]\nextend-select = ["ATL402"]\nignore = ["ATL4"]', [], ["ATL201", "ATL203", "ATL402"]),
    # ... and at equal specificity, ignore wins.
    ("", ["--select", "ATL2", "--ignore", "ATL2"], []),
    ('extend-select = ["ATL2"]\nignore = ["ATL2"]', [], ["ATL401", "ATL402"]),
    # A repeated flag adds up.
    ("", ["--select", "ATL201", "--select", "ATL402"], ["ATL201", "ATL402"]),
]


@pytest.mark.parametrize(("config", "flags", "expected"), SELECTION_CASES)
def test_select_extend_select_and_ignore_combine_as_in_ruff(tmp_path, config, flags, expected) -> None:
    write(tmp_path / "pyproject.toml", f"[tool.async-test-lint]\n{config}\n")
    write(tmp_path / "test_mixed.py", MIXED_TEST)
    assert reported(tmp_path, *flags) == expected


def test_nothing_selected_exits_0(tmp_path) -> None:
    write(tmp_path / "test_mixed.py", MIXED_TEST)
    result = run_cli("check", "--select", "ATL2", "--ignore", "ATL2", ".", cwd=tmp_path)
    assert result.returncode == 0 and "All checks passed." in result.stdout


# --- output -------------------------------------------------------------------------------------


def test_statistics_as_json_is_an_object_of_counts(tmp_path) -> None:
    write(tmp_path / "test_a.py", SLEEPING_TEST)
    write(tmp_path / "test_b.py", MIXED_TEST)
    result = run_cli("check", "--statistics", "--format", "json", ".", cwd=tmp_path)
    assert result.returncode == 1
    counts = json.loads(result.stdout)
    assert counts == {"ATL201": 2, "ATL203": 1, "ATL401": 1, "ATL402": 1}
    assert next(iter(counts)) == "ATL201"  # most frequent first


@pytest.mark.parametrize("output_format", ["sarif", "github"])
def test_statistics_refuses_the_per_finding_formats(tmp_path, output_format) -> None:
    write(tmp_path / "test_a.py", SLEEPING_TEST)
    result = run_cli("check", "--statistics", "--format", output_format, ".", cwd=tmp_path)
    assert_one_line_usage_error(result, "--statistics", output_format)


def test_a_path_without_python_files_says_so_and_exits_0(tmp_path) -> None:
    write(tmp_path / "docs" / "index.md", "# docs\n")
    result = run_cli("check", "docs", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == "async-test-lint: warning: No Python files found under the given path(s)\n"
    as_json = run_cli("check", "--format", "json", "docs", cwd=tmp_path)
    assert (as_json.returncode, json.loads(as_json.stdout)) == (0, [])
    assert run_cli("fix", "docs", cwd=tmp_path).returncode == 0
    assert run_cli("check", "-q", "docs", cwd=tmp_path).stderr == ""


def test_exit_zero(tmp_path) -> None:
    write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    result = run_cli("check", "--exit-zero", ".", cwd=tmp_path)
    assert result.returncode == 0
    assert "ATL201" in result.stdout


def test_quiet_prints_the_findings_and_nothing_else(tmp_path) -> None:
    write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    result = run_cli("check", "-q", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert [line.split()[1] for line in result.stdout.splitlines()] == ["ATL201"]
    write(tmp_path / "test_sleep.py", CLEAN_TEST)
    clean = run_cli("check", "--quiet", ".", cwd=tmp_path)
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")
    write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    fixed = run_cli("fix", "-q", ".", cwd=tmp_path)
    assert (fixed.returncode, fixed.stdout, fixed.stderr) == (0, "", "")


def test_output_file_takes_the_report(tmp_path) -> None:
    write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    on_stdout = run_cli("check", "--format", "json", ".", cwd=tmp_path)
    result = run_cli("check", "--format", "json", "--output-file", "report.json", ".", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert (tmp_path / "report.json").read_text() == on_stdout.stdout
    unwritable = run_cli("check", "-o", "no/such/dir/report.txt", ".", cwd=tmp_path)
    assert_one_line_usage_error(unwritable, "report.txt")


def test_check_fix_is_fix(tmp_path) -> None:
    several = MIXED_TEST + "\n\nasync def test_more():\n    time.sleep(1)\n"
    first = write(tmp_path / "a" / "test_mixed.py", several)
    second = write(tmp_path / "b" / "test_mixed.py", several)
    by_check = run_cli("check", "--fix", "test_mixed.py", cwd=first.parent)
    by_fix = run_cli("fix", "test_mixed.py", cwd=second.parent)
    assert first.read_bytes() == second.read_bytes() != several.encode()
    assert (by_check.returncode, by_check.stdout, by_check.stderr) == (by_fix.returncode, by_fix.stdout, by_fix.stderr)
    assert run_cli("check", "--no-fix", ".", cwd=tmp_path).returncode == 1  # what no fix removes is left


def test_show_fixes_lists_the_fixes_per_file_and_rule(tmp_path) -> None:
    write(tmp_path / "test_sleep.py", SLEEPING_TEST.replace("time.sleep(0.1)", "time.sleep(0.1)\n    time.sleep(0.2)"))
    write(tmp_path / "test_clean.py", CLEAN_TEST)
    result = run_cli("fix", "--show-fixes", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.endswith(
        "Fixed 2 finding(s):\n- test_sleep.py:\n    2 \u00d7 ATL201 (blocking-sleep-in-async)\n"
    )
    again = run_cli("check", "--fix", "--show-fixes", ".", cwd=tmp_path)
    assert again.stdout.endswith("No findings fixed.\n")


def test_no_cache_writes_no_index(tmp_path) -> None:
    cache = tmp_path / "cache"
    write(tmp_path / "project" / "test_sleep.py", SLEEPING_TEST)
    env = {"ASYNC_TEST_LINT_CACHE_DIR": str(cache)}
    result = run_cli("check", "--no-cache", ".", cwd=tmp_path / "project", env=env)
    assert result.returncode == 1
    assert not cache.exists() or not any(cache.iterdir())
    run_cli("check", ".", cwd=tmp_path / "project", env=env)
    assert sorted(path.name.split("-")[0] for path in cache.iterdir()) == ["index", "results"]


def test_boolean_options_have_no_forms(tmp_path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.async-test-lint]\npeer-noqa = false\n")
    write(tmp_path / "test_peer.py", SLEEPING_TEST.replace("time.sleep(0.1)", "time.sleep(0.1)  # noqa: ASYNC251"))
    assert reported(tmp_path) == ["ATL201"]
    assert reported(tmp_path, "--peer-noqa") == []
    assert reported(tmp_path, "--no-peer-noqa") == ["ATL201"]
    help_text = run_cli("check", "--help", cwd=tmp_path).stdout
    for flag in ("--peer-noqa", "--task-names-everywhere", "--name-awaited-tasks", "--respect-gitignore"):
        assert flag in help_text and flag.replace("--", "--no-", 1) in help_text


# --- standard input -----------------------------------------------------------------------------


def test_stdin_is_linted_as_the_named_file(tmp_path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.async-test-lint]\nper-file-ignores = { "legacy/*" = ["ATL201"] }\n')
    (tmp_path / "tests").mkdir()
    result = run_cli("check", "--stdin-filename", "tests/test_new.py", "-", cwd=tmp_path, input=SLEEPING_TEST)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("tests/test_new.py:5:5: ATL201 ")
    # The name decides the config that applies: the file does not have to exist.
    ignored = run_cli("check", "--stdin-filename", "legacy/test_old.py", "-", cwd=tmp_path, input=SLEEPING_TEST)
    assert ignored.returncode == 0, ignored.stdout
    without_name = run_cli("check", "-", cwd=tmp_path, input=SLEEPING_TEST)
    assert without_name.stdout.startswith("-:5:5: ATL201 ")


def test_fix_on_stdin_prints_the_fixed_source(tmp_path) -> None:
    result = run_cli("fix", "--stdin-filename", "test_sleep.py", "-", cwd=tmp_path, input=SLEEPING_TEST)
    assert (result.returncode, result.stdout) == (0, FIXED_SLEEPING_TEST)
    assert "All checks passed." in result.stderr  # the report goes to stderr
    left = MIXED_TEST
    partly = run_cli("check", "--fix", "--stdin-filename", "test_mixed.py", "-", cwd=tmp_path, input=left)
    assert partly.returncode == 1
    assert "await asyncio.sleep(0.1)" in partly.stdout and "subprocess.run" in partly.stdout
    assert "test_mixed.py:11:5: ATL203" in partly.stderr
    diff = run_cli("fix", "--diff", "--stdin-filename", "test_sleep.py", "-", cwd=tmp_path, input=SLEEPING_TEST)
    assert diff.returncode == 1
    assert "+    await asyncio.sleep(0.1)" in diff.stdout.splitlines()
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_stdin_cannot_be_mixed_with_paths(tmp_path) -> None:
    write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    assert_one_line_usage_error(run_cli("check", "-", "test_sleep.py", cwd=tmp_path, input=""), "`-`")
    assert_one_line_usage_error(
        run_cli("check", "--stdin-filename", "x.py", "test_sleep.py", cwd=tmp_path, input=""), "--stdin-filename"
    )


# --- --add-noqa ---------------------------------------------------------------------------------

NOQA_SHAPES = '''\
import asyncio
import time


async def work(*args): ...


async def test_shapes():
    time.sleep(0.1)
    time.sleep(0.1)  # noqa: E501
    time.sleep(0.1)  # noqa: ATL203 kept on purpose
    time.sleep(0.1)  # type: ignore
    time.sleep(len("""
    # the string goes on
    """))
    x = 1 + \\
        time.sleep(0.1)
    time.sleep(0.1) or \\
        1
    asyncio.create_task(work(f"""{time.sleep(1)}
    """))
    s = "# not a comment"; time.sleep(0.1)
'''

# Where ruff's own --add-noqa puts its comments for the same shapes (ruff 0.17, ASYNC251/RUF006).
NOQA_ADDED = '''\
import asyncio
import time


async def work(*args): ...


async def test_shapes():
    time.sleep(0.1)  # noqa: ATL201
    time.sleep(0.1)  # noqa: E501, ATL201
    time.sleep(0.1)  # noqa: ATL203, ATL201 kept on purpose
    time.sleep(0.1)  # type: ignore  # noqa: ATL201
    time.sleep(len("""
    # the string goes on
    """))  # noqa: ATL201
    x = 1 + \\
        time.sleep(0.1)  # noqa: ATL201
    time.sleep(0.1) or \\
        1  # noqa: ATL201
    asyncio.create_task(work(f"""{time.sleep(1)}
    """))  # noqa: ATL201, ATL402
    s = "# not a comment"; time.sleep(0.1)  # noqa: ATL201
'''


def test_add_noqa_silences_every_finding_without_breaking_strings_or_continuations(tmp_path) -> None:
    target = write(tmp_path / "test_shapes.py", NOQA_SHAPES)
    before = run_cli("check", ".", cwd=tmp_path)
    assert "Found 10 errors." in before.stdout
    result = run_cli("check", "--add-noqa", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "Added 10 noqa directive(s).\n"
    assert target.read_text() == NOQA_ADDED
    compile(target.read_text(), "test_shapes.py", "exec")
    # The re-run is clean, and a second --add-noqa adds nothing.
    rerun = run_cli("check", ".", cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stdout
    assert run_cli("check", "--add-noqa", ".", cwd=tmp_path).stderr == "Added 0 noqa directive(s).\n"
    assert target.read_text() == NOQA_ADDED


def test_flake8_honours_the_added_noqa_too(tmp_path) -> None:
    write(tmp_path / "test_shapes.py", NOQA_ADDED)
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "ATL", "test_shapes.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, ""), result.stderr


def test_add_noqa_cannot_be_combined_with_fix(tmp_path) -> None:
    write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    assert_one_line_usage_error(run_cli("check", "--add-noqa", "--fix", ".", cwd=tmp_path), "--add-noqa")


# --- the cache and the settings -----------------------------------------------------------------


def test_clean_removes_the_index_cache_and_nothing_else(tmp_path) -> None:
    cache = tmp_path / "cache"
    env = {"ASYNC_TEST_LINT_CACHE_DIR": str(cache)}
    write(tmp_path / "project" / "test_sleep.py", SLEEPING_TEST)
    run_cli("check", ".", cwd=tmp_path / "project", env=env)
    assert any(path.name.startswith("index-") for path in cache.iterdir())
    write(cache / "someone-elses.txt", "kept\n")
    result = run_cli("clean", cwd=tmp_path, env=env)
    assert result.returncode == 0
    # The project index and the results of the check that built it.
    assert result.stdout == f"Removed 2 cache file(s) from {cache}\n"
    assert [path.name for path in cache.iterdir()] == ["someone-elses.txt"]
    (cache / "someone-elses.txt").unlink()
    assert run_cli("clean", cwd=tmp_path, env=env).returncode == 0
    assert not cache.exists()  # an emptied directory of ours goes too


def test_the_cache_is_bounded_and_drops_the_oldest(tmp_path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    stale = int(time.time()) - 86400
    for index in range(CACHE_MAX_FILES + 10):
        old = cache / f"index-0.0.1-f1-{index:016x}.pickle"
        old.write_bytes(b"x")
        os.utime(old, (stale + index, stale + index))
    write(tmp_path / "project" / "test_sleep.py", SLEEPING_TEST)
    run_cli("check", ".", cwd=tmp_path / "project", env={"ASYNC_TEST_LINT_CACHE_DIR": str(cache)})
    names = sorted(path.name for path in cache.iterdir())
    assert len(names) == CACHE_MAX_FILES
    assert any(not name.startswith("index-0.0.1-") for name in names)  # the new index is kept
    assert "index-0.0.1-f1-0000000000000000.pickle" not in names  # the oldest went first
    assert f"index-0.0.1-f1-{CACHE_MAX_FILES + 9:016x}.pickle" in names


def test_show_settings_prints_the_effective_settings_for_a_file(tmp_path) -> None:
    cache = tmp_path / "cache"
    write(tmp_path / "pyproject.toml", '[tool.async-test-lint]\nselect = ["ATL2"]\nblocking-calls = ["db.query"]\n')
    write(tmp_path / "pytest.ini", "[pytest]\nasyncio_mode = auto\npython_files = check_*.py\n")
    write(tmp_path / "tests" / "check_sleep.py", SLEEPING_TEST)
    result = run_cli(
        "check", "--show-settings", "--ignore", "ATL203", "tests", cwd=tmp_path, env={"ASYNC_TEST_LINT_CACHE_DIR": str(cache)}
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"Settings for: {Path('tests') / 'check_sleep.py'}"
    assert f"Config file: {tmp_path / 'pyproject.toml'}" in lines
    assert "Test file: yes" in lines
    assert "Rules (4): ATL201 ATL202 ATL204 ATL205" in lines
    assert '  blocking-calls = ["db.query"]' in lines
    assert f"pytest config: {tmp_path / 'pytest.ini'}" in lines
    assert "  asyncio_mode = auto" in lines
    assert f"Cache directory: {cache}" in lines


# --- editor integration (the commands the README gives) -------------------------------------------


def editor_commands() -> list[list[str]]:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Editors\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [shlex.split(line.split("  #", 1)[0]) for line in block.strip().splitlines()]
    assert all(command[0] == "async-test-lint" for command in commands), commands
    return [[part.replace("$FILE", "tests/test_sleep.py") for part in command[1:]] for command in commands]


def test_the_editor_commands_work_on_the_unsaved_buffer(tmp_path) -> None:
    lint, fix = editor_commands()
    write(tmp_path / "tests" / "test_sleep.py", CLEAN_TEST)  # what is on disk is not what is linted
    linted = run_cli(*lint, cwd=tmp_path, input=SLEEPING_TEST)
    assert (linted.returncode, linted.stderr) == (0, "")
    assert linted.stdout.splitlines() == [
        "tests/test_sleep.py:5:5: ATL201 [*] `time.sleep()` blocks the event loop inside `async def`; use `await asyncio.sleep()`"
    ]
    fixed = run_cli(*fix, cwd=tmp_path, input=SLEEPING_TEST)
    assert (fixed.returncode, fixed.stdout, fixed.stderr) == (0, FIXED_SLEEPING_TEST, "")
    assert (tmp_path / "tests" / "test_sleep.py").read_text() == CLEAN_TEST
