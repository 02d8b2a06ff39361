"""pytest's configuration is found as pytest finds it; our own settings are validated."""

from __future__ import annotations

from pathlib import Path

import pytest

from async_test_lint.engine.registry import select_rules
from async_test_lint.settings.config import (
    ConfigError,
    Settings,
    find_tool_config,
    matches_test_file,
    pytest_config_for,
    settings_from_pyproject,
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def fresh_cache():
    pytest_config_for.cache_clear()
    yield
    pytest_config_for.cache_clear()


def test_defaults_without_any_config(tmp_path: Path) -> None:
    config = pytest_config_for(tmp_path)
    assert config.python_files == ("test_*.py", "*_test.py")
    assert config.asyncio_mode == "strict"
    assert config.path is None or not str(config.path).startswith(str(tmp_path))


def test_pytest_ini_wins_over_pyproject_in_the_same_directory(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.pytest.ini_options]\npython_files = ["pyproject_*.py"]\n')
    write(tmp_path / "pytest.ini", "[pytest]\npython_files = ini_*.py check_*.py\nasyncio_mode = auto\n")
    config = pytest_config_for(tmp_path / "sub")
    assert config.python_files == ("ini_*.py", "check_*.py")
    assert config.asyncio_mode == "auto"


def test_pyproject_without_pytest_table_is_skipped_for_setup_cfg(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    write(tmp_path / "setup.cfg", "[tool:pytest]\npython_functions = check_\ntimeout = 30\n")
    config = pytest_config_for(tmp_path)
    assert config.python_functions == ("check_",)
    assert config.timeout == "30"


def test_native_toml_table_and_tox_ini(tmp_path: Path) -> None:
    write(tmp_path / "a" / "pyproject.toml", '[tool.pytest]\npython_classes = ["Check"]\n')
    write(tmp_path / "b" / "tox.ini", "[pytest]\npython_classes = Suite\n")
    assert pytest_config_for(tmp_path / "a").python_classes == ("Check",)
    assert pytest_config_for(tmp_path / "b").python_classes == ("Suite",)


def test_nearest_config_wins_walking_up(tmp_path: Path) -> None:
    write(tmp_path / "pytest.ini", "[pytest]\npython_files = outer_*.py\n")
    write(tmp_path / "inner" / "pytest.ini", "[pytest]\npython_files = inner_*.py\n")
    assert pytest_config_for(tmp_path / "inner" / "deep").python_files == ("inner_*.py",)


@pytest.mark.parametrize(
    ("name", "patterns", "expected"),
    [
        ("test_a.py", ("test_*.py",), True),
        ("a_test.py", ("test_*.py", "*_test.py"), True),
        ("helpers.py", ("test_*.py",), False),
        ("conftest.py", ("test_*.py",), True),
        ("check_a.py", ("check_*.py",), True),
    ],
)
def test_test_file_patterns(name: str, patterns: tuple[str, ...], expected: bool) -> None:
    assert matches_test_file(Path("pkg") / name, patterns) is expected


def test_tool_settings_found_walking_up_and_validated(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.async-test-lint]\nignore = ["ATL401"]\nblocking-calls = ["x.y"]\n')
    found = find_tool_config(tmp_path / "deep" / "dir")
    assert found == tmp_path / "pyproject.toml"
    settings = settings_from_pyproject(found)
    assert settings.ignore == ("ATL401",)
    assert settings.blocking_calls == ("x.y",)
    assert "ATL401" not in {rule.code for rule in select_rules(settings)}


def test_unknown_key_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[tool.async-test-lint]\nselekt = ['ATL2']\n")
    with pytest.raises(ConfigError, match="unknown key 'selekt'"):
        settings_from_pyproject(path)


def test_unknown_code_is_an_error() -> None:
    with pytest.raises(ConfigError, match="unknown rule code or prefix 'ATL999'"):
        select_rules(Settings(select=("ATL999",)))


def test_select_ignore_and_extend_by_prefix() -> None:
    codes = {rule.code for rule in select_rules(Settings(select=("ATL2",), ignore=("ATL201",), extend_select=("ATL401",)))}
    assert "ATL201" not in codes and "ATL202" in codes and "ATL401" in codes and "ATL402" not in codes


def test_bad_boolean_value_is_an_error() -> None:
    with pytest.raises(ConfigError, match="task-names-everywhere"):
        Settings().updated({"task_names_everywhere": "perhaps"})


def test_peer_noqa_is_on_unless_turned_off(tmp_path: Path) -> None:
    assert Settings().peer_noqa is True
    path = write(tmp_path / "pyproject.toml", "[tool.async-test-lint]\npeer-noqa = false\n")
    assert settings_from_pyproject(path).peer_noqa is False
    with pytest.raises(ConfigError, match="peer-noqa"):
        Settings().updated({"peer_noqa": "sometimes"})


def test_every_options_default_is_the_settings_default() -> None:
    from async_test_lint.settings.options import OPTIONS

    defaults = Settings()
    for option in OPTIONS:
        value = getattr(defaults, option.attribute)
        if option.kind == "bool":
            assert value is option.default(), option.key


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("select = 5", "key 'select' expects an array of strings, got integer: 5"),
        ("ignore = ['ATL2', 3]", "key 'ignore' expects an array of strings"),
        ("peer-noqa = 1", "key 'peer-noqa' expects a boolean, got integer: 1"),
        ("per-file-ignores = { 'tests/*' = 5 }", "key 'per-file-ignores' expects a table of glob pattern = array of codes"),
        ("per-file-ignores = 5", "key 'per-file-ignores' expects a table"),
        ("peer-noqa = 'perhaps'", r"option 'peer-noqa': 'perhaps' is not a boolean"),
    ],
)
def test_wrong_types_in_our_table_name_the_file_and_the_key(tmp_path: Path, setting: str, message: str) -> None:
    path = write(tmp_path / "pyproject.toml", f"[tool.async-test-lint]\n{setting}\n")
    with pytest.raises(ConfigError, match=message) as raised:
        settings_from_pyproject(path)
    assert str(raised.value).startswith(f"{path}: [tool.async-test-lint]")


def test_our_table_must_be_a_table(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", '[tool]\nasync-test-lint = "strict"\n')
    with pytest.raises(ConfigError, match=r"\[tool.async-test-lint\] must be a table, got string"):
        settings_from_pyproject(path)


def test_strings_are_still_accepted_where_they_were(tmp_path: Path) -> None:
    path = write(
        tmp_path / "pyproject.toml",
        "[tool.async-test-lint]\nselect = 'ATL2, ATL4'\npeer-noqa = 'false'\n"
        "per-file-ignores = { 'tests/*' = 'ATL401' }\n",
    )
    settings = settings_from_pyproject(path)
    assert settings.select == ("ATL2", "ATL4") and settings.peer_noqa is False
    assert settings.per_file_ignores == (("tests/*", ("ATL401",)),)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("pyproject.toml", "[tool.async-test-lint]\nselect = 5\n", "key 'select' expects an array of strings"),
        ("pytest.ini", "[pytest]\nasyncio_mode = bogus\n", "pytest option 'asyncio_mode' expects one of"),
    ],
)
def test_the_cli_reports_a_bad_value_as_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str, text: str, message: str
) -> None:
    from async_test_lint.cli import main

    write(tmp_path / name, text)
    write(tmp_path / "test_a.py", "async def test_a():\n    pass\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "test_a.py"]) == 2
    error = capsys.readouterr().err
    assert "internal error" not in error and message in error and name in error
