"""The result cache: a re-run on an unchanged tree parses nothing, a change re-lints exactly the files
whose findings can change, and the output is the same as without the cache.

What was linted is counted in-process (each run forgets the per-process index and pytest config, as
a new process would); what the user sees is checked through the real command line.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_run import run_cli, write

from async_test_lint import cli
from async_test_lint.engine import runner
from async_test_lint.project import index as project
from async_test_lint.settings import pytest_config

FILES = {
    "pyproject.toml": "[tool.async-test-lint]\n",
    "app/__init__.py": "",
    "app/billing.py": "async def charge(): ...\n",
    "app/util.py": "def helper(): ...\n",
    "tests/conftest.py": "",
    # ATL301-style: a coroutine function called without await in a sync test (from app.billing).
    "tests/test_billing.py": "from app.billing import charge\n\n\ndef test_charge():\n    charge()\n",
    "tests/test_util.py": "import time\nfrom app.util import helper\n\n\nasync def test_helper():\n    helper()\n    time.sleep(0.1)\n",
    "tests/test_plain.py": "import asyncio\nimport time\n\n\nasync def test_sleeps():\n    time.sleep(0.1)\n",
    "tests/sub/conftest.py": "import pytest\n\n\n@pytest.fixture\ndef value():\n    return 1\n",
    "tests/sub/test_sub.py": "import asyncio\n\n\nasync def test_spawns(value):\n    asyncio.create_task(asyncio.sleep(value))\n",
}
ALL_FILES = {name for name in FILES if name.endswith(".py")}
FORMATS = ("text", "json", "sarif", "github")


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "proj"
    for name, text in FILES.items():
        write(root / name, text)
    monkeypatch.setenv("ASYNC_TEST_LINT_CACHE_DIR", str(tmp_path / "cache"))
    # Set (not deleted) so that teardown restores it: `--no-cache` sets it in this process.
    monkeypatch.setenv("ASYNC_TEST_LINT_NO_CACHE", "")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def linted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The files the CLI lints (rather than takes from the cache), as project-relative names."""
    calls: list[str] = []
    original = cli.lint_path

    def recording(path: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix())
        return original(path, *args, **kwargs)

    monkeypatch.setattr(cli, "lint_path", recording)
    yield calls
    project.forget_indexes()


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every libcst parse, whichever way the engine reaches it."""
    calls: list[int] = []
    original = runner.cst.parse_module

    def counting(source, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(len(source))
        return original(source, *args, **kwargs)

    monkeypatch.setattr(runner.cst, "parse_module", counting)
    return calls


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """`check --jobs 1 ARGS .` in this process, as a fresh process would run it."""
    project.forget_indexes()
    pytest_config.pytest_config_for.cache_clear()
    code = cli.main(["check", "--jobs", "1", *args, "."])
    if "--no-cache" in args:
        os.environ["ASYNC_TEST_LINT_NO_CACHE"] = ""  # what `--no-cache` set stays in this process
    return code, capsys.readouterr().out


def results_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("results-*.pickle")) if cache.exists() else []


def test_a_second_run_on_an_unchanged_tree_parses_nothing(tree: Path, linted: list[str], parses: list[int], capsys) -> None:
    first = run(capsys)
    assert set(linted) == ALL_FILES and parses
    linted.clear()
    parses.clear()

    assert run(capsys) == first
    assert linted == [] and parses == []
    assert first[0] == 1 and "ATL201" in first[1]


def test_a_changed_module_relints_exactly_the_files_that_import_it(tree: Path, linted: list[str], capsys) -> None:
    before = run(capsys)
    assert "tests/test_billing.py:5:5" in before[1]
    linted.clear()

    write(tree / "app" / "billing.py", "def charge(): ...\n")
    after = run(capsys)

    assert sorted(linted) == ["app/billing.py", "tests/test_billing.py"]
    assert "tests/test_billing.py" not in after[1]  # `charge` is no coroutine function any more
    linted.clear()
    assert run(capsys, "--no-cache") == after  # the same as an uncached run
    linted.clear()
    assert run(capsys) == after and linted == []


def test_a_changed_conftest_relints_the_tests_under_it_only(tree: Path, linted: list[str], capsys) -> None:
    run(capsys)
    linted.clear()

    write(tree / "tests" / "sub" / "conftest.py", FILES["tests/sub/conftest.py"].replace("return 1", "return 2"))
    run(capsys)
    assert sorted(linted) == ["tests/sub/conftest.py", "tests/sub/test_sub.py"]

    linted.clear()
    write(tree / "tests" / "conftest.py", "import app.util\n")
    run(capsys)
    assert sorted(linted) == ["tests/conftest.py", "tests/sub/conftest.py", "tests/sub/test_sub.py",
                              "tests/test_billing.py", "tests/test_plain.py", "tests/test_util.py"]


def test_a_changed_setting_or_pytest_config_invalidates(tree: Path, linted: list[str], capsys) -> None:
    run(capsys)
    linted.clear()

    selected = run(capsys, "--select", "ATL201")
    assert set(linted) == ALL_FILES
    linted.clear()
    assert run(capsys, "--select", "ATL201") == selected and linted == []
    assert run(capsys, "--no-cache", "--select", "ATL201") == selected

    linted.clear()
    write(tree / "pyproject.toml", FILES["pyproject.toml"] + '[tool.pytest.ini_options]\nasyncio_mode = "auto"\n')
    run(capsys)
    assert set(linted) == ALL_FILES

    linted.clear()
    write(tree / "pyproject.toml", FILES["pyproject.toml"] + '[tool.async-test-lint.per-file-ignores]\n"x.py" = ["ATL201"]\n')
    run(capsys)
    assert set(linted) == ALL_FILES


def test_a_corrupt_cache_is_ignored(tree: Path, tmp_path: Path, linted: list[str], capsys) -> None:
    expected = run(capsys)
    [stored] = results_files(tmp_path / "cache")

    # An entry with the right key but no findings list in it: linted again.
    data = pickle.loads(stored.read_bytes())
    entry = str((tree / "tests" / "test_plain.py").resolve())
    data["entries"][entry] = (data["entries"][entry][0], "not findings")
    stored.write_bytes(pickle.dumps(data))
    linted.clear()
    assert run(capsys) == expected
    assert linted == ["tests/test_plain.py"]

    # A file that does not unpickle: everything linted again, and the file rewritten whole.
    stored.write_bytes(stored.read_bytes()[:40])
    linted.clear()
    assert run(capsys) == expected
    assert set(linted) == ALL_FILES
    linted.clear()
    assert run(capsys) == expected and linted == []


def poison(cache: Path, name: str, root: Path) -> None:
    """Make the cached entry of `name` say there is nothing to report."""
    [stored] = results_files(cache)
    data = pickle.loads(stored.read_bytes())
    entry = str((root / name).resolve())
    data["entries"][entry] = (data["entries"][entry][0], ())
    stored.write_bytes(pickle.dumps(data))


def test_no_cache_reads_and_writes_no_results(tree: Path, tmp_path: Path, linted: list[str], capsys) -> None:
    cache = tmp_path / "cache"
    code, text = run(capsys, "--no-cache")
    assert results_files(cache) == []
    run(capsys)
    poison(cache, "tests/test_plain.py", tree)
    written = results_files(cache)[0].read_bytes()

    assert "tests/test_plain.py" not in run(capsys)[1]  # the poisoned entry is read ...
    assert run(capsys, "--no-cache") == (code, text)  # ... but not with --no-cache,
    assert results_files(cache)[0].read_bytes() == written  # which wrote nothing either.
    linted.clear()
    assert run(capsys, "--add-noqa") == (0, "")  # --add-noqa lints: it needs every finding
    assert "tests/test_plain.py" in linted
    assert "# noqa: ATL201" in (tree / "tests" / "test_plain.py").read_text()


def test_the_environment_variable_turns_the_result_cache_off(tree: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("ASYNC_TEST_LINT_NO_CACHE", "1")
    run(capsys)
    assert results_files(tmp_path / "cache") == []


def test_fix_neither_reads_nor_writes_results(tree: Path, tmp_path: Path, capsys) -> None:
    cache = tmp_path / "cache"
    run(capsys)
    poison(cache, "tests/test_plain.py", tree)
    written = results_files(cache)[0].read_bytes()
    project.forget_indexes()
    assert cli.main(["fix", "--diff", "tests/test_plain.py"]) == 1
    assert "+    await asyncio.sleep(0.1)" in capsys.readouterr().out
    assert results_files(cache)[0].read_bytes() == written


# --- through the real command line ----------------------------------------------------------------


@pytest.mark.parametrize("output", [[f"--format={name}"] for name in FORMATS] + [["--statistics"], ["--show-source"]])
def test_cached_output_is_identical_to_uncached(tmp_path: Path, output: list[str]) -> None:
    root = tmp_path / "proj"
    for name, text in FILES.items():
        write(root / name, text)
    write(root / "tests" / "test_broken.py", "def broken(:\n")  # ATL001 is cached too
    env = {"ASYNC_TEST_LINT_CACHE_DIR": str(tmp_path / "cache"), "ASYNC_TEST_LINT_NO_CACHE": ""}

    def outcome(*args: str) -> tuple[int, str, str]:
        result = run_cli("check", *output, *args, ".", cwd=root, env=env)
        return result.returncode, result.stdout, result.stderr

    uncached = outcome("--no-cache")
    assert results_files(tmp_path / "cache") == []
    cold = outcome()
    assert len(results_files(tmp_path / "cache")) == 1
    warm = outcome()
    assert uncached == cold == warm
    assert uncached[0] == 1, uncached


def test_clean_removes_the_results_too(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    for name, text in FILES.items():
        write(root / name, text)
    cache = tmp_path / "cache"
    env = {"ASYNC_TEST_LINT_CACHE_DIR": str(cache), "ASYNC_TEST_LINT_NO_CACHE": ""}
    run_cli("check", ".", cwd=root, env=env)
    assert len(results_files(cache)) == 1
    result = run_cli("clean", cwd=root, env=env)
    assert result.returncode == 0 and "Removed 2 cache file(s)" in result.stdout
    assert not cache.exists()
