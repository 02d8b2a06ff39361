"""What well-known pytest plugins and test case classes give a test: `data/plugin_facts.toml`.

The table says that pytest-aiohttp's `loop` fixture is an event loop, or that `self.loop` is one
in an `aiohttp.test_utils.AioHTTPTestCase`. This module only reads it, once, and answers by
fixture name or by qualified class name; where a fact applies (no project fixture of that name,
no subclass rebinding the attribute) is the caller's question.

`FixtureInfo`, the shape of one fixture definition, lives here, at the bottom layer, because the
table describes plugin fixtures with the same fields the project index reads from `ast`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

TABLE_FILE = "plugin_facts.toml"
# A fixture argument (`scope=`, `loop_scope=`) that is not a literal.
NOT_LITERAL = "?"


@dataclass(frozen=True)
class FixtureInfo:
    """One fixture definition: what pytest registers and what a test that requests it receives."""

    # The name tests request: `name=` when given, else the function's own.
    name: str
    # The function (`tests.conftest.db`, `tests.test_a.TestA.db`); for a plugin, its module's.
    qualified_name: str = ""
    # `pytest.fixture` or `pytest_asyncio.fixture`, resolved through imports.
    decorator: str = "pytest.fixture"
    is_async: bool = False
    # Its body yields: the code after the `yield` is its teardown.
    is_generator: bool = False
    # pytest's `scope` ("function" when not given; NOT_LITERAL for a callable or a variable).
    scope: str = "function"
    # pytest-asyncio's `loop_scope`, when given (pytest-asyncio >= 0.24).
    loop_scope: str | None = None
    autouse: bool = False
    has_params: bool = False
    # The values of a literal `params=[...]` (None when absent or not a literal).
    params: tuple[Any, ...] | None = field(default=None, hash=False)
    # The fixtures it requests: its parameters pytest fills (`request` included).
    requests: tuple[str, ...] = ()
    # The type fact of the value a test receives (what it returns or yields), or None.
    type: str | None = None
    lineno: int = 0
    # Plugin fixtures only: the distribution that provides it, and the version that removed it.
    package: str | None = None
    removed_in: str | None = None


@dataclass(frozen=True)
class PluginFixture:
    """A fixture a plugin provides, and the modules defining it."""

    info: FixtureInfo
    plugins: tuple[str, ...]

    @property
    def type(self) -> str | None:
        return self.info.type


@dataclass(frozen=True)
class PluginFacts:
    # Per name, the definitions known, the one a default install provides first.
    fixtures: Mapping[str, tuple[PluginFixture, ...]]
    test_case_attributes: Mapping[str, Mapping[str, str]]
    # Plugin modules known to define none of `fixtures`.
    other_plugins: frozenset[str] = frozenset()

    @property
    def plugin_modules(self) -> frozenset[str]:
        defining = {
            module
            for variants in self.fixtures.values()
            for f in variants
            for module in f.plugins
        }
        return frozenset(defining | self.other_plugins)


# TOML key -> FixtureInfo field, for the keys whose names differ.
_FIELD_OF_KEY = {
    "async": "is_async",
    "generator": "is_generator",
    "function": "qualified_name",
}


def _plugin_fixture(name: str, entry: Mapping[str, Any]) -> PluginFixture:
    plugins = tuple(entry["plugins"])
    values: dict[str, Any] = {"qualified_name": f"{plugins[0]}.{name}"}
    for key, value in entry.items():
        if key == "plugins":
            continue
        if key == "params":
            values["has_params"] = True
            value = tuple(value) if isinstance(value, list) else None
        elif key == "requests":
            value = tuple(value)
        values[_FIELD_OF_KEY.get(key, key)] = value
    return PluginFixture(FixtureInfo(name, **values), plugins)


@lru_cache(maxsize=1)
def facts() -> PluginFacts:
    data = tomllib.loads(
        resources.files("async_test_lint")
        .joinpath("data", TABLE_FILE)
        .read_text("utf-8")
    )
    fixtures = {
        name: tuple(
            _plugin_fixture(name, e)
            for e in (entry if isinstance(entry, list) else [entry])
        )
        for name, entry in data.get("fixtures", {}).items()
    }
    attributes = {
        cls: dict(table) for cls, table in data.get("test_case_attributes", {}).items()
    }
    other = frozenset(data.get("other_plugins", {}).get("modules", ()))
    return PluginFacts(fixtures, attributes, other)


def plugin_fixture(name: str, declared: Iterable[str] = ()) -> PluginFixture | None:
    """The plugin fixture called `name`: the definition of a module in `declared` (named by
    `pytest_plugins`) when one has it, else the one a default install provides."""
    variants = facts().fixtures.get(name, ())
    declared = frozenset(declared)
    chosen = next((f for f in variants if declared.intersection(f.plugins)), None)
    return chosen or (variants[0] if variants else None)


def plugin_modules() -> frozenset[str]:
    """Every module the table knows the fixtures of (a `pytest_plugins` entry naming one is known)."""
    return facts().plugin_modules


def test_case_attributes(qualified_class: str) -> Mapping[str, str] | None:
    """attribute -> type fact for a known test case class; None for a class the table does not know."""
    return facts().test_case_attributes.get(qualified_class)
