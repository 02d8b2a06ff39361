"""The options of the linter, defined once for the CLI, `pyproject.toml` and flake8.

Each option has a kebab-case key used in `[tool.async-test-lint]` and on the command line, and an
`atl-` prefixed twin in flake8's config files (flake8's option namespace is shared by every plugin).
Rule selection (`select`, `ignore`, `extend-select`, `per-file-ignores`, `exclude`) is flake8's own
under flake8, so only the rule options below are registered there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Option:
    key: str  # kebab-case, as in pyproject.toml
    kind: str  # "list", "bool" or "mapping"
    help: str
    rule_option: bool = False  # also registered with flake8 as --atl-<key>
    on_by_default: bool = False  # a "bool" option that is true unless turned off

    @property
    def attribute(self) -> str:
        return self.key.replace("-", "_")

    @property
    def flag(self) -> str:
        return f"--{self.key}"

    @property
    def flake8_flag(self) -> str:
        return f"--atl-{self.key}"

    @property
    def flake8_attribute(self) -> str:
        return "atl_" + self.attribute

    def default(self) -> Any:
        return {"list": [], "bool": self.on_by_default, "mapping": {}}[self.kind]


OPTIONS: tuple[Option, ...] = (
    Option("select", "list", "Rule codes or prefixes to enable (replaces the default set)."),
    Option("extend-select", "list", "Rule codes or prefixes to enable on top of the selection."),
    Option("ignore", "list", "Rule codes or prefixes to disable."),
    Option("per-file-ignores", "mapping", "Glob pattern -> codes or prefixes to disable there."),
    Option("exclude", "list", "Glob patterns of paths to skip (replaces the default excludes)."),
    Option("extend-exclude", "list", "Glob patterns of paths to skip on top of the defaults."),
    Option(
        "test-files",
        "list",
        "Glob patterns of test files (overrides pytest's python_files).",
        rule_option=True,
    ),
    Option(
        "blocking-calls",
        "list",
        "Extra qualified names of blocking calls to flag inside async code (ATL205).",
        rule_option=True,
    ),
    Option(
        "task-spawners",
        "list",
        "Qualified names of helpers that create a task and keep a reference to it (ATL402/ATL403).",
        rule_option=True,
    ),
    Option(
        "test-decorators",
        "list",
        "Qualified names of decorators that make a function a test.",
        rule_option=True,
    ),
    Option(
        "task-names-everywhere",
        "bool",
        "Flag unnamed tasks (ATL401) in every file, not only in test files.",
        rule_option=True,
    ),
    Option(
        "name-awaited-tasks",
        "bool",
        "Flag unnamed tasks (ATL401) also where the creating function awaits them, and in task groups.",
        rule_option=True,
    ),
    Option(
        "peer-noqa",
        "bool",
        "Let a noqa for ruff's or flake8-async's code of the same mistake (ASYNC251) silence ours (default: on).",
        rule_option=True,
        on_by_default=True,
    ),
)

OPTIONS_BY_KEY = {option.key: option for option in OPTIONS}


def split_list(value: Any) -> list[str]:
    """A list option's value from TOML (a list) or from a flag/ini (comma or whitespace separated)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in value.replace(",", " ").split() if part]
    return [str(part).strip() for part in value if str(part).strip()]


def split_mapping(value: Any) -> dict[str, list[str]]:
    """`per-file-ignores` from TOML (a table) or from text lines `pattern: CODE,CODE`."""
    if isinstance(value, dict):
        return {str(pattern): split_list(codes) for pattern, codes in value.items()}
    mapping: dict[str, list[str]] = {}
    for entry in split_list_lines(value):
        pattern, _, codes = entry.partition(":")
        if not _ or not pattern.strip():
            raise ValueError(f"per-file-ignores entry {entry!r} is not 'pattern: CODES'")
        mapping[pattern.strip()] = split_list(codes)
    return mapping


def split_list_lines(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [line.strip() for line in value.replace(";", "\n").splitlines() if line.strip()]
    return [str(item) for item in value]


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"{value!r} is not a boolean")


def convert(option: Option, value: Any) -> Any:
    if option.kind == "list":
        return split_list(value)
    if option.kind == "bool":
        return parse_bool(value)
    return split_mapping(value)
