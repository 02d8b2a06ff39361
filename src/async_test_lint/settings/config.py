"""Settings: `[tool.async-test-lint]` in pyproject.toml.

pytest's own configuration is modelled in `pytest_config`; its names are re-exported here for the
modules that import them from this one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from async_test_lint.settings.options import OPTIONS_BY_KEY, Option, convert
from async_test_lint.settings.pytest_config import (
    DEFAULT_PYTHON_FILES,
    PYTEST_CONFIG_FILES,
    ConfigError,
    PytestConfig,
    load_toml,
    matches_test_file,
    pytest_config_for,
    type_name,
)

__all__ = [
    "DEFAULT_PYTHON_FILES",
    "PYTEST_CONFIG_FILES",
    "TOOL_SECTION",
    "ConfigError",
    "PytestConfig",
    "Settings",
    "find_tool_config",
    "load_toml",
    "matches_test_file",
    "pytest_config_for",
    "settings_from_pyproject",
]

TOOL_SECTION = "async-test-lint"


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
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.{TOOL_SECTION}] must be a table, got {type_name(table)}")
    unknown = sorted(set(table) - set(OPTIONS_BY_KEY))
    if unknown:
        known = ", ".join(sorted(OPTIONS_BY_KEY))
        raise ConfigError(
            f"{pyproject}: unknown key {unknown[0]!r} in [tool.{TOOL_SECTION}] (known keys: {known})"
        )
    for key, value in table.items():
        expected = _toml_type_problem(OPTIONS_BY_KEY[key], value)
        if expected:
            raise ConfigError(
                f"{pyproject}: [tool.{TOOL_SECTION}] key {key!r} expects {expected}, "
                f"got {type_name(value)}: {value!r}"
            )
    base = Settings(root=pyproject.parent.resolve())
    try:
        return base.updated({key.replace("-", "_"): value for key, value in table.items()})
    except ConfigError as error:
        raise ConfigError(f"{pyproject}: [tool.{TOOL_SECTION}] {error}") from None


def _toml_type_problem(option: Option, value: Any) -> str | None:
    """What `value` should have been for `option` in TOML, or None when it fits."""

    def strings(item: Any) -> bool:
        return isinstance(item, str) or (isinstance(item, list) and all(isinstance(part, str) for part in item))

    if option.kind == "list":
        return None if strings(value) else "an array of strings"
    if option.kind == "bool":
        # A string such as "false" is accepted too, as on the command line.
        return None if isinstance(value, (bool, str)) else "a boolean"
    if isinstance(value, dict):
        return None if all(strings(codes) for codes in value.values()) else "a table of glob pattern = array of codes"
    return None if strings(value) else "a table of glob pattern = array of codes"
