"""The command line as users run it: a real `async-test-lint` process on files in a temporary tree."""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys

import pytest
from cli_run import SLEEPING_TEST, codes_by_file, run_cli, write

import async_test_lint

# One finding of each family: ATL201 (line 9), ATL203 (line 10), ATL402 (line 11, a dropped task),
# ATL401 (line 12, a task handed over unnamed).
MIXED_TEST = """\
import asyncio
import subprocess
import time


async def work(): ...


async def test_mixed(running):
    time.sleep(0.1)
    subprocess.run(["true"])
    asyncio.create_task(work(), name="work")
    running.add(asyncio.create_task(work()))
"""

CLEAN_TEST = """\
import asyncio


async def test_waits():
    await asyncio.sleep(0.1)
"""


def reported(tmp_path, *args) -> list[str]:
    result = run_cli("check", *args, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    return sorted({code for codes in codes_by_file(result.stdout).values() for code in codes})


# --- exit codes and usage errors ---------------------------------------------------------------


def test_clean_file_exits_0(tmp_path) -> None:
    write(tmp_path / "test_clean.py", CLEAN_TEST)
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All checks passed." in result.stdout


def test_finding_exits_1_with_path_line_column(tmp_path) -> None:
    write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("test_sleep.py:5:5: ATL201 [*] ")
    assert "Found 1 error." in result.stdout


def test_default_path_is_the_current_directory(tmp_path) -> None:
    write(tmp_path / "tests" / "test_sleep.py", SLEEPING_TEST)
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 1
    assert codes_by_file(result.stdout) == {"tests/test_sleep.py": ["ATL201"]}


def assert_one_line_usage_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("async-test-lint: error: ")
    for fragment in fragments:
        assert fragment in lines[0]


def test_missing_path_is_a_one_line_error(tmp_path) -> None:
    write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    result = run_cli("check", "test_sleep.py", "no_such_dir", cwd=tmp_path)
    assert_one_line_usage_error(result, "no_such_dir", "does not exist")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["check", "--no-such-flag", "."], "--no-such-flag"),
        (["check", "--format", "xml", "."], "xml"),
        (["check", "--jobs", "0", "."], "--jobs"),
        (["frobnicate"], "frobnicate"),
    ],
    ids=["unknown-flag", "bad-format", "bad-jobs", "unknown-command"],
)
def test_bad_option_is_a_one_line_error(tmp_path, args, fragment) -> None:
    assert_one_line_usage_error(run_cli(*args, cwd=tmp_path), fragment)


def test_unknown_code_in_select_is_an_error(tmp_path) -> None:
    write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    assert_one_line_usage_error(run_cli("check", "--select", "ATL201,ATL9", ".", cwd=tmp_path), "'ATL9'")
    assert_one_line_usage_error(run_cli("check", "--ignore", "XYZ1", ".", cwd=tmp_path), "'XYZ1'")


def test_unknown_code_in_pyproject_is_an_error_naming_the_file(tmp_path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.async-test-lint]\nextend-select = ["ATL999"]\n')
    write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    result = run_cli("check", ".", cwd=tmp_path)
    assert_one_line_usage_error(result, "pyproject.toml", "'ATL999'")


def test_unknown_pyproject_key_is_an_error(tmp_path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.async-test-lint]\nselct = ["ATL2"]\n')
    write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    assert_one_line_usage_error(run_cli("check", ".", cwd=tmp_path), "pyproject.toml", "'selct'")


def test_bad_pyproject_value_is_an_error(tmp_path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.async-test-lint]\ntask-names-everywhere = "perhaps"\n')
    write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    assert_one_line_usage_error(run_cli("check", ".", cwd=tmp_path), "task-names-everywhere")


# --- configuration ------------------------------------------------------------------------------


def test_config_is_found_by_walking_up_from_the_path(tmp_path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.async-test-lint]\nselect = ["ATL4"]\n')
    deep = tmp_path / "pkg" / "tests" / "unit"
    write(deep / "test_mixed.py", MIXED_TEST)
    # From inside the tree, and from outside it naming a deep path: both find the root's config.
    assert reported(deep, ".") == ["ATL401", "ATL402"]
    assert reported(tmp_path.parent, deep / "test_mixed.py") == ["ATL401", "ATL402"]
    # A pyproject.toml without our table does not stop the search.
    write(tmp_path / "pkg" / "pyproject.toml", '[project]\nname = "pkg"\n')
    assert reported(deep, ".") == ["ATL401", "ATL402"]


def test_flags_override_the_config(tmp_path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.async-test-lint]\nselect = ["ATL4"]\n')
    write(tmp_path / "test_mixed.py", MIXED_TEST)
    assert reported(tmp_path, ".") == ["ATL401", "ATL402"]
    assert reported(tmp_path, "--select", "ATL201", ".") == ["ATL201"]


def test_flags_count_with_a_config_file_that_has_no_table_of_ours(tmp_path) -> None:
    write(tmp_path / "other.toml", "[tool.other]\nx = 1\n")
    write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    selected = run_cli("check", "--config", "other.toml", "--select", "ATL204", "test_sleep.py", cwd=tmp_path)
    assert selected.returncode == 0, selected.stdout
    default = run_cli("check", "--config", "other.toml", "test_sleep.py", cwd=tmp_path)
    assert default.returncode == 1 and "ATL201" in default.stdout


def test_without_config_the_default_set_runs(tmp_path) -> None:
    write(tmp_path / "test_mixed.py", MIXED_TEST)
    assert reported(tmp_path, ".") == ["ATL201", "ATL203", "ATL401", "ATL402"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--select", "ATL2"], ["ATL201", "ATL203"]),
        (["--select", "ATL201,ATL203"], ["ATL201", "ATL203"]),
        (["--select", "ATL2", "--ignore", "ATL203"], ["ATL201"]),
        (["--ignore", "ATL4"], ["ATL201", "ATL203"]),
        (["--ignore", "atl40"], ["ATL201", "ATL203"]),
        (["--select", "ATL201", "--extend-select", "ATL40"], ["ATL201", "ATL401", "ATL402"]),
        # ALL includes the opt-in rules: ATL701 on the unmarked async test (no pytest config: strict).
        (["--select", "ALL", "--ignore", "ATL2,ATL0"], ["ATL401", "ATL402", "ATL701"]),
    ],
)
def test_select_ignore_extend_select_take_prefixes(tmp_path, args, expected) -> None:
    write(tmp_path / "test_mixed.py", MIXED_TEST)
    assert reported(tmp_path, *args, ".") == expected


def test_per_file_ignores_in_pyproject(tmp_path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.async-test-lint]\nper-file-ignores = { "tests/legacy/*" = ["ATL2"] }\n')
    write(tmp_path / "tests" / "test_new.py", SLEEPING_TEST)
    write(tmp_path / "tests" / "legacy" / "test_old.py", MIXED_TEST)
    result = run_cli("check", "tests", cwd=tmp_path)
    assert codes_by_file(result.stdout) == {
        "tests/legacy/test_old.py": ["ATL402", "ATL401"],  # in line order
        "tests/test_new.py": ["ATL201"],
    }


def test_per_file_ignores_flag(tmp_path) -> None:
    write(tmp_path / "tests" / "test_new.py", SLEEPING_TEST)
    write(tmp_path / "tests" / "legacy" / "test_old.py", SLEEPING_TEST)
    result = run_cli("check", "--per-file-ignores", "tests/legacy/*:ATL201", ".", cwd=tmp_path)
    assert codes_by_file(result.stdout) == {"tests/test_new.py": ["ATL201"]}


# --- which files are linted ---------------------------------------------------------------------


def test_walk_skips_vcs_virtualenvs_build_output_and_gitignored_paths(tmp_path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write(tmp_path / ".gitignore", "scratch/\n*_generated.py\n")
    write(tmp_path / "tests" / "test_kept.py", SLEEPING_TEST)
    skipped = [
        ".git/hooks/test_hook.py",
        "env/lib/test_vendored.py",  # a virtualenv under any name: it has a pyvenv.cfg
        ".venv/lib/test_vendored.py",
        "build/lib/test_built.py",
        "dist/test_dist.py",
        "scratch/test_scratch.py",
        "tests/test_generated.py",
        "pkg.egg-info/test_egg.py",
    ]
    for name in skipped:
        write(tmp_path / name, SLEEPING_TEST)
    write(tmp_path / "env" / "pyvenv.cfg", "home = /usr/bin\n")
    result = run_cli("check", ".", cwd=tmp_path)
    assert codes_by_file(result.stdout) == {"tests/test_kept.py": ["ATL201"]}
    # The gitignored paths are linted when asked; the rest stay skipped.
    result = run_cli("check", "--no-respect-gitignore", ".", cwd=tmp_path)
    assert set(codes_by_file(result.stdout)) == {
        "tests/test_kept.py",
        "scratch/test_scratch.py",
        "tests/test_generated.py",
    }


def test_extend_exclude_and_explicit_paths(tmp_path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.async-test-lint]\nextend-exclude = ["tests/data"]\n')
    write(tmp_path / "tests" / "test_kept.py", SLEEPING_TEST)
    data = write(tmp_path / "tests" / "data" / "test_sample.py", SLEEPING_TEST)
    write(tmp_path / "build" / "test_built.py", SLEEPING_TEST)
    assert set(codes_by_file(run_cli("check", ".", cwd=tmp_path).stdout)) == {"tests/test_kept.py"}
    # A path named on the command line is linted even when excluded (file or directory) ...
    assert set(codes_by_file(run_cli("check", data, cwd=tmp_path).stdout)) == {str(data)}
    named_dir = run_cli("check", "tests/data", cwd=tmp_path)
    assert set(codes_by_file(named_dir.stdout)) == {"tests/data/test_sample.py"}
    # ... unless --force-exclude is given, as pre-commit hooks do.
    for target in ("tests/data/test_sample.py", "tests/data"):
        forced = run_cli("check", "--force-exclude", target, cwd=tmp_path)
        assert forced.returncode == 0, forced.stdout
        assert "No Python files found under the given path(s)" in forced.stderr  # as ruff says


def test_exclude_flag_replaces_the_default_excludes(tmp_path) -> None:
    write(tmp_path / "tests" / "test_kept.py", SLEEPING_TEST)
    write(tmp_path / "tests" / "data" / "test_sample.py", SLEEPING_TEST)
    write(tmp_path / "build" / "test_built.py", SLEEPING_TEST)
    result = run_cli("check", "--exclude", "tests/data", ".", cwd=tmp_path)
    assert set(codes_by_file(result.stdout)) == {"tests/test_kept.py", "build/test_built.py"}
    result = run_cli("check", "--extend-exclude", "tests/data", ".", cwd=tmp_path)
    assert set(codes_by_file(result.stdout)) == {"tests/test_kept.py"}


# --- output -------------------------------------------------------------------------------------


def test_json_format(tmp_path) -> None:
    write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    result = run_cli("check", "--format", "json", ".", cwd=tmp_path)
    assert result.returncode == 1
    [finding] = json.loads(result.stdout)
    assert (finding["code"], finding["path"], finding["line"], finding["column"]) == ("ATL201", "test_sleep.py", 5, 5)
    assert (finding["end_line"], finding["end_column"]) == (5, 20)
    assert finding["fix"]["safe"] is True


def test_json_format_when_clean_is_an_empty_list(tmp_path) -> None:
    write(tmp_path / "test_clean.py", CLEAN_TEST)
    result = run_cli("check", "--format", "json", ".", cwd=tmp_path)
    assert result.returncode == 0
    assert json.loads(result.stdout) == []


def test_sarif_format(tmp_path) -> None:
    write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    result = run_cli("check", "--format", "sarif", ".", cwd=tmp_path)
    assert result.returncode == 1
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0"
    [run] = log["runs"]
    assert "ATL201" in {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    [finding] = run["results"]
    assert finding["ruleId"] == "ATL201"
    location = finding["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "test_sleep.py"
    assert (location["region"]["startLine"], location["region"]["startColumn"]) == (5, 5)


def test_github_format(tmp_path) -> None:
    # A comma in the path must be escaped: it separates the annotation's properties.
    write(tmp_path / "tests" / "test_sleep,slow.py", SLEEPING_TEST)
    result = run_cli("check", "--format", "github", ".", cwd=tmp_path)
    assert result.returncode == 1
    [line] = result.stdout.splitlines()
    assert line.startswith("::error ")
    properties, _, message = line[len("::error ") :].partition("::")
    fields = dict(item.split("=", 1) for item in properties.split(","))
    assert (fields["file"], fields["line"], fields["col"]) == ("tests/test_sleep%2Cslow.py", "5", "5")
    assert (fields["endLine"], fields["endColumn"]) == ("5", "20")
    assert message.startswith("ATL201 ")


def test_statistics_counts_per_rule(tmp_path) -> None:
    write(tmp_path / "test_a.py", SLEEPING_TEST)
    write(tmp_path / "test_b.py", MIXED_TEST)
    result = run_cli("check", "--statistics", ".", cwd=tmp_path)
    assert result.returncode == 1
    rows = [line.split() for line in result.stdout.splitlines()]
    counts = {row[1]: int(row[0]) for row in rows}
    assert counts == {"ATL201": 2, "ATL203": 1, "ATL401": 1, "ATL402": 1}
    assert rows[0][:2] == ["2", "ATL201"]  # most frequent first
    assert "test_a.py:" not in result.stdout


def test_show_source_prints_the_flagged_line(tmp_path) -> None:
    write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    result = run_cli("check", "--show-source", ".", cwd=tmp_path)
    assert result.stdout.splitlines()[1] == "        time.sleep(0.1)"


def test_noqa_comments(tmp_path) -> None:
    write(
        tmp_path / "test_noqa.py",
        "import asyncio\nimport time\n\n\nasync def work(): ...\n\n\nasync def test_noqa():\n"
        "    time.sleep(0.1)  # noqa: ATL201 stalls the loop on purpose\n"
        "    time.sleep(0.1)  # noqa: ATL203\n"
        "    time.sleep(0.1)  # noqa\n"
        "    asyncio.create_task(work())  # noqa: ATL201,ATL4\n"
        "    asyncio.create_task(work())  # noqa: ATL401\n",
    )
    result = run_cli("check", ".", cwd=tmp_path)
    lines = [line.split(" ")[:2] for line in result.stdout.splitlines() if line.startswith("test_noqa.py")]
    assert lines == [["test_noqa.py:10:5:", "ATL201"], ["test_noqa.py:13:5:", "ATL402"]]


# --- rules --------------------------------------------------------------------------------------


def test_rules_lists_every_rule(tmp_path) -> None:
    result = run_cli("rules", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("| Code | Name |")
    codes = [row.split("|")[1].strip() for row in result.stdout.splitlines()[2:]]
    assert {"ATL001", "ATL201", "ATL203", "ATL401", "ATL402", "ATL403"} <= set(codes)
    assert codes == sorted(codes)


def test_rule_prints_the_documentation(tmp_path) -> None:
    result = run_cli("rule", "ATL201", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("# ATL201: blocking-sleep-in-async")
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Fix safety"):
        assert section in result.stdout
    by_name = run_cli("rule", "blocking-sleep-in-async", cwd=tmp_path)
    assert by_name.returncode == 0 and by_name.stdout == result.stdout


def test_unknown_rule_is_an_error(tmp_path) -> None:
    assert_one_line_usage_error(run_cli("rule", "ATL999", cwd=tmp_path), "ATL999")


# --- bad files ----------------------------------------------------------------------------------


def test_unreadable_undecodable_and_unparsable_files_give_atl001_and_the_rest_is_linted(tmp_path) -> None:
    write(tmp_path / "test_good.py", SLEEPING_TEST)
    # Each bad file holds a trigger word (`time.sleep`), so libcst is what parses them.
    write(tmp_path / "test_syntax.py", "import time\n\n\nasync def test_x(:\n    time.sleep(1)\n")
    (tmp_path / "test_bytes.py").write_bytes(b"import time\nname = '\xff\xfe'\ntime.sleep(1)\n")
    (tmp_path / "test_cookie.py").write_bytes(b"# -*- coding: no-such-codec -*-\nimport time\ntime.sleep(1)\n")
    # A symlink to itself cannot be read, even by root (for whom chmod 000 changes nothing).
    os.symlink("test_loop.py", tmp_path / "test_loop.py")
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    lines = {line.split(":")[0]: line for line in result.stdout.splitlines() if line.startswith("test_")}
    assert "ATL201" in lines["test_good.py"]
    assert lines["test_syntax.py"].startswith("test_syntax.py:4:")
    assert "ATL001 cannot parse" in lines["test_syntax.py"]
    for name, reason in [("test_bytes.py", "utf-8"), ("test_cookie.py", "no-such-codec")]:
        assert " ATL001 " in lines[name] and "cannot decode" in lines[name] and reason in lines[name]
    assert "ATL001 cannot read" in lines["test_loop.py"]


def test_bad_files_without_trigger_words_are_still_reported(tmp_path) -> None:
    # No rule's trigger word: libcst never parses these, CPython's parser still checks them.
    write(tmp_path / "helpers.py", "def broken(:\n    return 1\n")
    (tmp_path / "data.py").write_bytes(b"x = 1\nname = '\xff'\n")
    write(tmp_path / "fine.py", "def fine():\n    return 1\n")
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "helpers.py:1:12: ATL001 cannot parse" in result.stdout
    assert "data.py:2:9: ATL001 cannot decode: invalid start byte (utf-8)" in result.stdout
    assert "fine.py" not in result.stdout


def test_atl001_can_be_ignored_like_any_rule(tmp_path) -> None:
    write(tmp_path / "test_syntax.py", "import time\n\n\nasync def test_x(:\n    time.sleep(1)\n")
    result = run_cli("check", "--ignore", "ATL001", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout


# --- parallelism and entry points ---------------------------------------------------------------


def test_jobs_1_and_jobs_2_give_identical_output(tmp_path) -> None:
    for index in range(24):  # above the size under which no process pool is used
        write(tmp_path / f"pkg{index % 3}" / f"test_{index:02}.py", MIXED_TEST if index % 2 else SLEEPING_TEST)
    write(tmp_path / "pkg0" / "test_broken.py", "import time\nasync def test_x(:\n    time.sleep(1)\n")
    serial = run_cli("check", "--jobs", "1", ".", cwd=tmp_path)
    parallel = run_cli("check", "--jobs", "2", ".", cwd=tmp_path)
    assert serial.returncode == parallel.returncode == 1
    assert parallel.stdout == serial.stdout
    assert len(codes_by_file(serial.stdout)) == 25
    assert "Found 61 errors." in serial.stdout  # 12 x 1 + 12 x 4 + 1 ATL001


def test_python_dash_m_runs_the_same_cli(tmp_path) -> None:
    write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    module = subprocess.run(
        [sys.executable, "-m", "async_test_lint", "check", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    script = run_cli("check", ".", cwd=tmp_path)
    assert module.returncode == script.returncode == 1
    assert module.stdout == script.stdout
    assert "test_sleep.py:5:5: ATL201" in module.stdout


def test_version(tmp_path) -> None:
    # The installed distribution's version, the package's __version__ and what the CLI prints agree:
    # a release that bumps one of pyproject.toml and __init__.py but not the other fails here.
    installed = importlib.metadata.version("async-test-lint")
    assert async_test_lint.__version__ == installed
    result = run_cli("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == f"async-test-lint {installed}\n"
    assert result.stderr == ""


# --- noqa codes of ruff and flake8-async ---------------------------------------------------------

PEER_NOQA_TEST = """\
import time

import requests


async def test_peer_noqa():
    time.sleep(0.1)  # noqa: ASYNC251
    time.sleep(0.1)  # noqa: E501, ASYNC251
    requests.get("http://localhost")  # noqa: ASYNC251
    time.sleep(0.1)  # noqa: ATL201
    time.sleep(0.1)  # noqa
"""


def reported_lines(result) -> list[tuple[int, str]]:
    assert result.returncode in (0, 1), result.stderr
    return [(int(line.split(":")[1]), line.split()[1]) for line in result.stdout.splitlines() if line.startswith("test_peer")]


def test_noqa_for_the_peer_code_of_the_same_mistake_silences(tmp_path) -> None:
    write(tmp_path / "test_peer.py", PEER_NOQA_TEST)
    # ASYNC251 is time.sleep's code; it says nothing about the blocking HTTP call on line 9.
    assert reported_lines(run_cli("check", ".", cwd=tmp_path)) == [(9, "ATL202")]


def test_peer_noqa_false_reports_lines_silenced_only_by_a_peer_code(tmp_path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.async-test-lint]\npeer-noqa = false\n")
    write(tmp_path / "test_peer.py", PEER_NOQA_TEST)
    assert reported_lines(run_cli("check", ".", cwd=tmp_path)) == [(7, "ATL201"), (8, "ATL201"), (9, "ATL202")]


def test_rule_command_lists_the_peer_codes_that_silence_it(tmp_path) -> None:
    result = run_cli("rule", "ATL201", cwd=tmp_path)
    assert result.returncode == 0
    section = result.stdout.split("## Peer noqa codes\n", 1)[1]
    assert "`ASYNC251`" in section and "blocking-sleep-in-async-function" in section
    assert "ASYNC210" not in section
    assert "## Peer noqa codes" not in run_cli("rule", "ATL204", cwd=tmp_path).stdout
