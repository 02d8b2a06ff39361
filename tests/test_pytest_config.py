"""The pytest model: rootdir, configfile and options as pytest itself resolves them.

The small tests pin each shape; `test_real_pytest_agrees` runs real pytest (with pytest-asyncio and
pytest-timeout, as installed for our tests) on a matrix of layouts and compares what it picked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from async_test_lint.settings.config import ConfigError as ConfigErrorFromConfig
from async_test_lint.settings.config import PytestConfig as PytestConfigFromConfig
from async_test_lint.settings.pytest_config import (
    ASYNCIO_DISABLED,
    ConfigError,
    PytestConfig,
    matches_test_file,
    pytest_config_for,
    resolve_pytest_config,
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def layout(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        write(root / name, text)


def resolve(root: Path, files: dict[str, str], target: str = "test_a.py") -> PytestConfig:
    layout(root, files)
    return resolve_pytest_config(write(root / target, "def test_a():\n    pass\n"))


def test_config_module_reexports_the_model() -> None:
    assert PytestConfigFromConfig is PytestConfig
    assert ConfigErrorFromConfig is ConfigError
    assert pytest_config_for.cache_clear  # still an lru_cache the tests can reset


# --- rootdir and configfile ------------------------------------------------------------------


def test_pytest_ini_in_a_subdirectory_wins_over_pyproject_above(tmp_path: Path) -> None:
    config = resolve(
        tmp_path,
        {"pyproject.toml": "[tool.pytest.ini_options]\nasyncio_mode = 'auto'\n", "sub/pytest.ini": "[pytest]\n"},
        "sub/tests/test_a.py",
    )
    assert config.configfile == tmp_path / "sub" / "pytest.ini"
    assert config.rootdir == tmp_path / "sub"
    assert config.asyncio_mode == "strict"


def test_order_within_a_directory(tmp_path: Path) -> None:
    files = {
        "setup.cfg": "[tool:pytest]\n",
        "tox.ini": "[pytest]\n",
        "pyproject.toml": "[tool.pytest.ini_options]\n",
        ".pytest.ini": "",
        "pytest.ini": "",
        ".pytest.toml": "",
        "pytest.toml": "",
    }
    layout(tmp_path, files)
    for name in reversed(list(files)):  # the most precedent first, then remove it
        assert resolve_pytest_config(tmp_path).configfile == tmp_path / name
        (tmp_path / name).unlink()


def test_files_without_pytest_sections_are_passed_over(tmp_path: Path) -> None:
    config = resolve(
        tmp_path,
        {
            "tox.ini": "[pytest]\npython_classes = Suite\n",
            "sub/setup.cfg": "[metadata]\nname = x\n",
            "sub/tox.ini": "[tox]\nenvlist = py311\n",
            "sub/pyproject.toml": "[project]\nname = 'x'\n",
        },
        "sub/test_a.py",
    )
    assert config.configfile == tmp_path / "tox.ini"
    assert config.python_classes == ("Suite",)


def test_pyproject_without_table_is_only_the_fallback(tmp_path: Path) -> None:
    config = resolve(tmp_path, {"a/pyproject.toml": "[project]\n", "pyproject.toml": "[project]\n"}, "a/b/test_a.py")
    assert (config.rootdir, config.configfile) == (tmp_path / "a", tmp_path / "a" / "pyproject.toml")
    assert config == PytestConfig(path=config.path, rootdir=config.rootdir)


def test_empty_tool_pytest_table_is_no_configuration(tmp_path: Path) -> None:
    config = resolve(tmp_path, {"pytest.ini": "[pytest]\n", "sub/pyproject.toml": "[tool.pytest]\n"}, "sub/test_a.py")
    assert config.configfile == tmp_path / "pytest.ini"


def test_setup_py_is_the_last_resort_for_the_rootdir(tmp_path: Path) -> None:
    config = resolve(tmp_path, {"setup.py": ""}, "pkg/tests/test_a.py")
    assert (config.rootdir, config.configfile) == (tmp_path, None)


def test_without_anything_the_rootdir_is_the_common_ancestor_with_the_invocation_dir(tmp_path: Path) -> None:
    target = write(tmp_path / "a" / "b" / "test_a.py", "")
    assert resolve_pytest_config(target).rootdir == tmp_path / "a" / "b"
    assert resolve_pytest_config(target, invocation_dir=tmp_path).rootdir == tmp_path
    assert resolve_pytest_config(target, invocation_dir=tmp_path / "c").rootdir == tmp_path


def test_a_directory_argument_is_its_own_start(tmp_path: Path) -> None:
    layout(tmp_path, {"pytest.ini": "[pytest]\n", "sub/tox.ini": "[pytest]\n"})
    assert resolve_pytest_config(tmp_path / "sub").configfile == tmp_path / "sub" / "tox.ini"


# --- file formats ----------------------------------------------------------------------------


def test_ini_files_are_read_as_pytests_ini_parser_reads_them(tmp_path: Path) -> None:
    config = resolve(
        tmp_path,
        {
            "setup.cfg": (
                "[metadata]\nname = x\n\n[tool:pytest]\n# a comment\nPython_Files = nope_*.py\n"
                "python_files =\n    check_*.py\n    ; a comment line inside the value\n    spec_*.py\n"
                "asyncio_mode: auto\n"
            )
        },
    )
    assert config.python_files == ("check_*.py", "spec_*.py")  # names keep their case
    assert config.asyncio_mode == "auto"
    write(tmp_path / "setup.cfg", "[tool:pytest]\ntimeout = 5 ; seconds\n")
    with pytest.raises(ConfigError, match="setup.cfg:2: .*'5 ; seconds'"):  # an inline comment is part of the value
        resolve_pytest_config(tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[pytest]\nx = 1\nx = 2\n", "duplicate name 'x'"),
        ("x = 1\n[pytest]\n", "no section header"),
        ("[pytest]\njust words\n", "unexpected line"),
        ("[pytest]\n[pytest]\n", "duplicate section"),
    ],
)
def test_broken_ini_files_are_errors_with_the_line(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path / "tox.ini", text)
    with pytest.raises(ConfigError, match=rf"tox\.ini:\d+: {message}"):
        resolve_pytest_config(tmp_path)


def test_pytest_toml_and_native_tool_pytest_keep_toml_types(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    write(tmp_path / "a" / "pytest.toml", '[pytest]\npython_files = ["check_*.py"]\ntimeout = "9"\n')
    write(tmp_path / "b" / "pyproject.toml", '[tool.pytest]\npython_classes = ["Suite", "Check"]\n')
    assert resolve_pytest_config(tmp_path / "a").python_files == ("check_*.py",)
    assert resolve_pytest_config(tmp_path / "a").timeout == "9"
    assert resolve_pytest_config(tmp_path / "b").python_classes == ("Suite", "Check")


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("pytest.toml", "python_files = ['x']\n", "must be under a \\[pytest\\] table"),
        ("pyproject.toml", "[tool.pytest]\nx = 1\n[tool.pytest.ini_options]\ny = '1'\n", "same file"),
        ("setup.cfg", "[pytest]\n", "use \\[tool:pytest\\]"),
        ("pyproject.toml", "[tool.pytest\n", "cannot read"),
    ],
)
def test_shapes_pytest_refuses(tmp_path: Path, name: str, text: str, message: str) -> None:
    write(tmp_path / name, text)
    with pytest.raises(ConfigError, match=message):
        resolve_pytest_config(tmp_path)


# --- values ----------------------------------------------------------------------------------


def test_ini_args_are_split_as_a_shell_splits_them(tmp_path: Path) -> None:
    config = resolve(tmp_path, {"pytest.ini": "[pytest]\npython_functions = check 'should *'\npython_files = a_*.py,b_*.py\n"})
    assert config.python_functions == ("check", "should *")
    assert config.python_files == ("a_*.py,b_*.py",)  # no comma splitting, as in pytest


def test_ini_options_table_takes_strings_and_lists(tmp_path: Path) -> None:
    config = resolve(
        tmp_path,
        {
            "pyproject.toml": (
                "[tool.pytest.ini_options]\npython_files = 'a_*.py b_*.py'\npython_classes = ['Suite']\n"
                "timeout = 30\nasyncio_default_fixture_loop_scope = 'module'\n"
                "asyncio_default_test_loop_scope = 'session'\n"
            )
        },
    )
    assert config.python_files == ("a_*.py", "b_*.py")
    assert config.python_classes == ("Suite",)
    assert config.timeout == "30" and config.timeout_seconds == 30.0 and config.timeout_armed
    assert config.asyncio_default_fixture_loop_scope == "module"
    assert config.asyncio_default_test_loop_scope == "session"


@pytest.mark.parametrize(
    ("table", "setting", "message"),
    [
        ("tool.pytest.ini_options", "python_files = 5", "'python_files' expects a string or an array of strings, got integer: 5"),
        ("tool.pytest.ini_options", "python_files = ['a', 1]", "'python_files' expects a string or an array"),
        ("tool.pytest", "python_files = 'test_*.py'", "'python_files' expects an array of strings, got string"),
        ("tool.pytest.ini_options", "asyncio_mode = 1", "'asyncio_mode' expects a string \\(one of 'strict', 'auto'\\), got integer: 1"),
        ("tool.pytest", "asyncio_mode = true", "'asyncio_mode' expects a string"),
        ("tool.pytest.ini_options", "asyncio_mode = 'Auto'", "'asyncio_mode' expects one of 'strict', 'auto', got 'Auto'"),
        ("tool.pytest", "timeout = 30", "'timeout' expects a string, got integer"),
        ("tool.pytest.ini_options", "timeout = 'soon'", "timeout expects a number of seconds, got 'soon'"),
        ("tool.pytest.ini_options", "timeout_method = 'fork'", "'timeout_method' expects one of 'signal', 'thread'"),
        ("tool.pytest.ini_options", "asyncio_default_fixture_loop_scope = 'forever'", "asyncio_default_fixture_loop_scope"),
        ("tool.pytest.ini_options", "asyncio_default_test_loop_scope = 'fixture-scope'", "asyncio_default_test_loop_scope"),
        ("tool.pytest.ini_options", "addopts = 'a \"b'", "'addopts': cannot split"),
        ("tool.pytest.ini_options", "addopts = '-o nothing'", "expects option=value"),
        ("tool.pytest.ini_options", "addopts = '--asyncio-mode=on'", "--asyncio-mode expects one of"),
        ("tool.pytest.ini_options", "addopts = '--timeout'", "--timeout expects a value"),
        ("tool.pytest.ini_options", "addopts = '--timeout=x'", "timeout expects a number of seconds"),
    ],
)
def test_wrong_values_name_the_file_the_key_and_the_expectation(
    tmp_path: Path, table: str, setting: str, message: str
) -> None:
    pyproject = write(tmp_path / "pyproject.toml", f"[{table}]\n{setting}\n")
    with pytest.raises(ConfigError, match=message) as raised:
        resolve_pytest_config(tmp_path)
    assert str(pyproject) in str(raised.value)


def test_addopts_options_and_overrides(tmp_path: Path) -> None:
    config = resolve(
        tmp_path,
        {
            "pytest.ini": (
                "[pytest]\npython_functions = test\nasyncio_mode = auto\ntimeout = 100\n"
                "addopts = -q -o 'python_functions=check should' --override-ini=python_classes=Suite\n"
                "    -oasyncio_default_fixture_loop_scope=module --asyncio-mode strict\n"
                "    --timeout 7.5 --timeout-method=thread -p no:cacheprovider\n"
            )
        },
    )
    assert config.python_functions == ("check", "should")
    assert config.python_classes == ("Suite",)
    assert config.asyncio_default_fixture_loop_scope == "module"
    assert config.asyncio_mode == "strict"  # --asyncio-mode wins over the ini value
    assert (config.timeout, config.timeout_method) == ("7.5", "thread")
    assert config.disabled_plugins == ("cacheprovider",)
    assert config.addopts[:3] == ("-q", "-o", "python_functions=check should")


def test_an_override_beats_the_file_even_when_invalid_there(tmp_path: Path) -> None:
    config = resolve(tmp_path, {"pytest.ini": "[pytest]\nasyncio_mode = bogus\naddopts = -o asyncio_mode=auto\n"})
    assert config.asyncio_mode == "auto"


def test_disabled_plugins_drop_their_options(tmp_path: Path) -> None:
    config = resolve(
        tmp_path,
        {
            "pyproject.toml": (
                "[tool.pytest]\naddopts = ['-p', 'no:asyncio', '-pno:timeout']\n"
                "asyncio_mode = 5\ntimeout = 'never'\n"  # unknown options to pytest now: not checked
            )
        },
    )
    assert config.asyncio_mode == ASYNCIO_DISABLED and not config.asyncio_plugin_enabled
    assert config.timeout is None and not config.timeout_armed
    assert config.disabled_plugins == ("asyncio", "timeout")


def test_a_later_p_enables_a_plugin_again_and_pytest_prefix_is_not_the_entry_point(tmp_path: Path) -> None:
    config = resolve(tmp_path, {"pytest.ini": "[pytest]\naddopts = -p no:asyncio -p asyncio\nasyncio_mode = auto\n"})
    assert config.asyncio_mode == "auto" and config.disabled_plugins == ()
    config = resolve(tmp_path, {"pytest.ini": "[pytest]\naddopts = -p no:pytest_asyncio\n"})
    assert config.asyncio_mode == "strict" and config.disabled_plugins == ("pytest_asyncio",)


def test_timeout_zero_is_no_timeout_and_empty_is_unset(tmp_path: Path) -> None:
    assert not resolve(tmp_path, {"pytest.ini": "[pytest]\ntimeout = 0\n"}).timeout_armed
    assert resolve(tmp_path, {"pytest.ini": "[pytest]\ntimeout =\n"}).timeout is None


# --- names -----------------------------------------------------------------------------------


def test_names_match_by_prefix_or_glob() -> None:
    config = PytestConfig(python_functions=("check", "*_spec"), python_classes=("Test", "*Suite"))
    assert config.matches_function("check_a") and config.matches_function("a_spec")
    assert not config.matches_function("test_a")
    assert config.matches_class("MySuite") and config.matches_class("TestA") and not config.matches_class("Suite2")


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("/p/tests/test_a.py", "test_*.py", True),
        ("/p/tests/unit/a.py", "tests/*/a.py", True),
        ("/p/mytests/a.py", "tests/*.py", False),  # anchored at a directory, as pytest anchors it
        ("/p/tests/a.py", "tests/*.py", True),
        ("/p/src/conftest.py", "nothing", True),
    ],
)
def test_test_file_patterns_with_directories(path: str, pattern: str, expected: bool) -> None:
    assert matches_test_file(Path(path), (pattern,)) is expected


# --- real pytest -----------------------------------------------------------------------------

# Runs pytest in-process once per case (one interpreter for all), recording what it resolved.
PROBE = r"""
import contextlib, io, json, os, sys
import pytest

class Probe:
    def __init__(self):
        self.seen = {}

    @pytest.hookimpl(trylast=True)
    def pytest_configure(self, config):
        seen = self.seen
        seen["rootdir"] = str(config.rootpath)
        seen["configfile"] = str(config.inipath) if config.inipath else None
        for key in ("python_files", "python_functions", "python_classes"):
            seen[key] = list(config.getini(key))
        manager = config.pluginmanager
        if manager.has_plugin("asyncio"):
            # pytest-asyncio's own reading (it checks the mode when it prints its header).
            from pytest_asyncio.plugin import _get_asyncio_mode

            seen["asyncio_mode"] = _get_asyncio_mode(config).value
            seen["fixture_scope"] = config.getini("asyncio_default_fixture_loop_scope")
            seen["test_scope"] = config.getini("asyncio_default_test_loop_scope")
        else:
            seen["asyncio_mode"] = "disabled"
        if manager.has_plugin("timeout"):
            timeout = config.option.timeout
            if timeout is None and config.getini("timeout"):
                timeout = float(config.getini("timeout"))
            seen["timeout"] = timeout
            seen["timeout_method"] = config.option.timeout_method or config.getini("timeout_method") or None

results = []
for case in json.loads(sys.argv[1]):
    os.chdir(case["cwd"])
    probe = Probe()
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            code = int(pytest.main(["--co", "-q", "-p", "no:cacheprovider", "--import-mode=importlib", case["target"]], plugins=[probe]))
        except BaseException as error:  # pytest.fail() while reading setup.cfg escapes main()
            code = repr(error)
    if code not in (0, 5):
        probe.seen = {"error": True, "output": out.getvalue()[-600:]}
    results.append(probe.seen)
print(json.dumps(results))
"""

# name -> (files, linted file, directory pytest runs from (default: the linted file's))
LAYOUTS: dict[str, tuple[dict[str, str], str, str | None]] = {
    "pytest_ini_below_pyproject": (
        {"pyproject.toml": "[tool.pytest.ini_options]\nasyncio_mode = 'auto'\n", "sub/pytest.ini": "[pytest]\npython_files = check_*.py\n"},
        "sub/tests/check_a.py",
        None,
    ),
    "pytest_ini_beside_pyproject": (
        {"pyproject.toml": "[tool.pytest.ini_options]\nasyncio_mode = 'auto'\n", "pytest.ini": "[pytest]\n"},
        "tests/test_a.py",
        "",
    ),
    "dot_pytest_ini_without_section": ({".pytest.ini": "[other]\n", "pyproject.toml": "[tool.pytest]\ntimeout = '3'\n"}, "test_a.py", None),
    "setup_cfg_without_section_tox_with": (
        {"tox.ini": "[tox]\n\n[pytest]\nasyncio_mode = auto\npython_classes = Suite\n", "sub/setup.cfg": "[metadata]\nname = x\n"},
        "sub/test_a.py",
        "",
    ),
    "setup_cfg_with_section": (
        {"pyproject.toml": "[project]\nname = 'x'\n", "setup.cfg": "[tool:pytest]\npython_functions =\n  check\n  should\ntimeout = 12\n"},
        "tests/test_a.py",
        None,
    ),
    "pyproject_without_table_nearest": (
        {"pyproject.toml": "[project]\n", "pkg/pyproject.toml": "[project]\n", "pkg/tox.ini": "[tox]\n"},
        "pkg/tests/test_a.py",
        "",
    ),
    "pyproject_without_table_loses_to_setup_cfg_above": (
        {"pkg/pyproject.toml": "[project]\n", "setup.cfg": "[tool:pytest]\ntimeout_method = thread\n"},
        "pkg/test_a.py",
        None,
    ),
    "empty_tool_pytest_table": ({"pytest.ini": "[pytest]\n", "sub/pyproject.toml": "[tool.pytest]\n"}, "sub/test_a.py", None),
    "setup_py_only": ({"setup.py": ""}, "pkg/tests/test_a.py", None),
    "nothing_run_from_root": ({}, "a/b/test_a.py", ""),
    "native_toml": (
        {"pyproject.toml": "[tool.pytest]\npython_files = ['check_*.py', 'test_*.py']\naddopts = ['--timeout', '4']\ntimeout = '1'\n"},
        "test_a.py",
        None,
    ),
    "pytest_toml": ({"pytest.toml": "[pytest]\nasyncio_mode = 'auto'\nasyncio_default_test_loop_scope = 'module'\n"}, "test_a.py", None),
    "addopts_quotes_and_overrides": (
        {
            "pytest.ini": (
                "[pytest]\npython_functions = test\nasyncio_mode = auto\n"
                "addopts = -o 'python_functions=check should' --override-ini=python_classes=Suite\n"
                "    -o asyncio_default_fixture_loop_scope=module --asyncio-mode strict\n"
                "    --timeout 7.5 --timeout-method=thread\n"
            )
        },
        "test_a.py",
        None,
    ),
    "override_beats_invalid_file_value": ({"pytest.ini": "[pytest]\nasyncio_mode = bogus\naddopts = -o asyncio_mode=auto\n"}, "test_a.py", None),
    "p_no_asyncio": (
        {"pyproject.toml": "[tool.pytest.ini_options]\naddopts = '-p no:asyncio -pno:timeout'\nasyncio_mode = 'bogus'\ntimeout = 'x'\n"},
        "test_a.py",
        None,
    ),
    "p_no_asyncio_then_p_asyncio": ({"pytest.ini": "[pytest]\naddopts = -p no:asyncio -p asyncio\nasyncio_mode = auto\n"}, "test_a.py", None),
    "p_no_pytest_asyncio_keeps_it": ({"tox.ini": "[pytest]\naddopts = -p no:pytest_asyncio\n"}, "test_a.py", None),
    "ini_options_numbers": ({"pyproject.toml": "[tool.pytest.ini_options]\ntimeout = 30\nasyncio_default_fixture_loop_scope = 'session'\n"}, "test_a.py", None),
    "error_native_timeout_int": ({"pyproject.toml": "[tool.pytest]\ntimeout = 30\n"}, "test_a.py", None),
    "error_bad_mode": ({"pytest.ini": "[pytest]\nasyncio_mode = Auto\n"}, "test_a.py", None),
    "error_bad_scope": ({"pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = forever\n"}, "test_a.py", None),
    "error_native_string_for_list": ({"pyproject.toml": "[tool.pytest]\npython_files = 'test_*.py'\n"}, "test_a.py", None),
    "error_setup_cfg_pytest_section": ({"setup.cfg": "[pytest]\n"}, "test_a.py", None),
    "error_both_tool_tables": ({"pyproject.toml": "[tool.pytest]\ntimeout = '1'\n[tool.pytest.ini_options]\ntimeout = '1'\n"}, "test_a.py", None),
}


def ours(config: PytestConfig) -> dict[str, object]:
    seen: dict[str, object] = {
        "rootdir": str(config.rootdir),
        "configfile": str(config.configfile) if config.configfile else None,
        "python_files": list(config.python_files),
        "python_functions": list(config.python_functions),
        "python_classes": list(config.python_classes),
        "asyncio_mode": config.asyncio_mode,
    }
    if config.asyncio_plugin_enabled:
        seen["fixture_scope"] = config.asyncio_default_fixture_loop_scope
        seen["test_scope"] = config.asyncio_default_test_loop_scope
    if "timeout" not in config.disabled_plugins:
        seen["timeout"] = config.timeout_seconds
        seen["timeout_method"] = config.timeout_method
    return seen


def test_real_pytest_agrees(tmp_path: Path) -> None:
    cases, expected = [], {}
    for name, (files, target, cwd) in LAYOUTS.items():
        root = tmp_path / name
        layout(root, files)
        linted = write(root / target, "def test_a():\n    pass\n")
        invocation = linted.parent if cwd is None else root / cwd
        cases.append({"cwd": str(invocation), "target": str(linted)})
        try:
            expected[name] = ours(resolve_pytest_config(linted, invocation_dir=invocation))
        except ConfigError:
            expected[name] = {"error": True}
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "PY_COLORS"))}
    probe = write(tmp_path / "probe.py", PROBE)
    run = subprocess.run(
        [sys.executable, str(probe), json.dumps(cases)], capture_output=True, text=True, env=env, timeout=120
    )
    assert run.returncode == 0, run.stderr
    actual = dict(zip(LAYOUTS, json.loads(run.stdout.strip().splitlines()[-1])))
    mismatches = {
        name: {"ours": expected[name], "pytest": actual[name]}
        for name in LAYOUTS
        if expected[name] != {key: value for key, value in actual[name].items() if key != "output"}
    }
    assert not mismatches, json.dumps(mismatches, indent=1)
