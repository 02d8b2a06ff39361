"""Settings: `[tool.async-test-lint]` in pyproject.toml, and pytest's own configuration.

pytest's configuration is read from the same files pytest reads, in pytest's order of precedence,
walking up from the linted file: pytest.toml, .pytest.toml, pytest.ini, .pytest.ini, pyproject.toml
(`[tool.pytest]` or `[tool.pytest.ini_options]`), tox.ini `[pytest]`, setup.cfg `[tool:pytest]`.
"""

from __future__ import annotations

import configparser
import fnmatch
import functools
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from async_test_lint.settings.options import OPTIONS_BY_KEY, convert, split_list

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

TOOL_SECTION = "async-test-lint"


class ConfigError(Exception):
    """A bad option or config value: reported as one line, exit code 2."""


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    test_files: tuple[str, ...] = ()
    blocking_calls: tuple[str, ...] = ()
    task_spawners: tuple[str, ...] = ()
    test_decorators: tuple[str, ...] = ()
    task_names_everywhere: bool = False
    name_awaited_tasks: bool = False
    peer_noqa: bool = True
    # Where the settings came from; relative patterns are anchored here.
    root: Path = field(default_factory=Path.cwd)

    def updated(self, values: dict[str, Any]) -> Settings:
        """These settings with `values` (attribute name -> raw value) converted and applied."""
        changes: dict[str, Any] = {}
        for attribute, raw in values.items():
            option = OPTIONS_BY_KEY[attribute.replace("_", "-")]
            try:
                value = convert(option, raw)
            except ValueError as error:
                raise ConfigError(f"option '{option.key}': {error}") from None
            if option.kind == "list":
                value = tuple(value)
            elif option.kind == "mapping":
                value = tuple((pattern, tuple(codes)) for pattern, codes in value.items())
            changes[attribute] = value
        return replace(self, **changes)


def load_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read {path}: {error}") from None


def find_tool_config(start: Path) -> Path | None:
    """The nearest pyproject.toml with a `[tool.async-test-lint]` table, walking up from start."""
    start = start.resolve()
    directory = start if start.is_dir() else start.parent
    for candidate in (directory, *directory.parents):
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and TOOL_SECTION in load_toml(pyproject).get("tool", {}):
            return pyproject
    return None


def settings_from_pyproject(pyproject: Path | None) -> Settings:
    if pyproject is None:
        return Settings()
    table = load_toml(pyproject)["tool"][TOOL_SECTION]
    unknown = sorted(set(table) - set(OPTIONS_BY_KEY))
    if unknown:
        known = ", ".join(sorted(OPTIONS_BY_KEY))
        raise ConfigError(
            f"{pyproject}: unknown key {unknown[0]!r} in [tool.{TOOL_SECTION}] (known keys: {known})"
        )
    base = Settings(root=pyproject.parent.resolve())
    return base.updated({key.replace("-", "_"): value for key, value in table.items()})


# --- pytest's configuration -------------------------------------------------------------------

DEFAULT_PYTHON_FILES = ("test_*.py", "*_test.py")


@dataclass(frozen=True)
class PytestConfig:
    python_files: tuple[str, ...] = DEFAULT_PYTHON_FILES
    python_functions: tuple[str, ...] = ("test",)
    python_classes: tuple[str, ...] = ("Test",)
    asyncio_mode: str = "strict"
    timeout: str | None = None
    addopts: tuple[str, ...] = ()
    path: Path | None = None

    def matches_function(self, name: str) -> bool:
        return any(_matches_name(name, pattern) for pattern in self.python_functions)

    def matches_class(self, name: str) -> bool:
        return any(_matches_name(name, pattern) for pattern in self.python_classes)


def _matches_name(name: str, pattern: str) -> bool:
    # pytest: a pattern with glob characters is a glob, anything else is a prefix.
    if any(char in pattern for char in "*?["):
        return fnmatch.fnmatch(name, pattern)
    return name.startswith(pattern)


def matches_test_file(path: Path, patterns: tuple[str, ...]) -> bool:
    if path.name == "conftest.py":
        return True
    for pattern in patterns:
        if "/" in pattern:
            if fnmatch.fnmatch(path.as_posix(), f"*{pattern}" if not pattern.startswith("*") else pattern):
                return True
        elif fnmatch.fnmatch(path.name, pattern):
            return True
    return False


def _pytest_values_from_toml(path: Path) -> dict[str, Any] | None:
    tool = load_toml(path).get("tool", {})
    pytest_table = tool.get("pytest")
    if not isinstance(pytest_table, dict):
        return None
    ini_options = pytest_table.get("ini_options")
    if isinstance(ini_options, dict):
        return ini_options
    return {key: value for key, value in pytest_table.items() if key != "ini_options"}


def _pytest_values_from_ini(path: Path, section: str) -> dict[str, Any] | None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (OSError, configparser.Error, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read {path}: {error}") from None
    if not parser.has_section(section):
        return None
    return dict(parser.items(section))


def _read_pytest_file(path: Path) -> dict[str, Any] | None:
    name = path.name
    if name in ("pytest.toml", ".pytest.toml"):
        values = load_toml(path)
        table = values.get("pytest", values)
        return table if isinstance(table, dict) else {}
    if name in ("pytest.ini", ".pytest.ini"):
        # pytest.ini is pytest's even when empty.
        return _pytest_values_from_ini(path, "pytest") or {}
    if name == "pyproject.toml":
        return _pytest_values_from_toml(path)
    if name == "tox.ini":
        return _pytest_values_from_ini(path, "pytest")
    return _pytest_values_from_ini(path, "tool:pytest")


PYTEST_CONFIG_FILES = (
    "pytest.toml",
    ".pytest.toml",
    "pytest.ini",
    ".pytest.ini",
    "pyproject.toml",
    "tox.ini",
    "setup.cfg",
)


@functools.lru_cache(maxsize=1024)
def pytest_config_for(directory: Path) -> PytestConfig:
    """pytest's configuration as pytest would find it for a file in `directory`."""
    for candidate in (directory, *directory.parents):
        for name in PYTEST_CONFIG_FILES:
            path = candidate / name
            if path.is_file():
                values = _read_pytest_file(path)
                if values is not None:
                    return _pytest_config(values, path)
    return PytestConfig()


def _pytest_config(values: dict[str, Any], path: Path) -> PytestConfig:
    def names(key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(split_list(values[key])) if key in values else default

    timeout = values.get("timeout")
    return PytestConfig(
        python_files=names("python_files", DEFAULT_PYTHON_FILES),
        python_functions=names("python_functions", ("test",)),
        python_classes=names("python_classes", ("Test",)),
        asyncio_mode=str(values.get("asyncio_mode", "strict")).strip() or "strict",
        timeout=None if timeout is None else str(timeout),
        addopts=names("addopts", ()),
        path=path,
    )
