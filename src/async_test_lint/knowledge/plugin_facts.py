"""What well-known pytest plugins and test case classes give a test: `data/plugin_facts.toml`.

The table says that pytest-aiohttp's `loop` fixture is an event loop, or that `self.loop` is one
in an `aiohttp.test_utils.AioHTTPTestCase`. This module only reads it, once, and answers by
fixture name or by qualified class name; where a fact applies (no project fixture of that name,
no subclass rebinding the attribute) is the caller's question.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

TABLE_FILE = "plugin_facts.toml"


@dataclass(frozen=True)
class PluginFixture:
    """A fixture a plugin provides: the type fact of its value, and the modules defining it."""

    type: str
    plugins: tuple[str, ...]


@dataclass(frozen=True)
class PluginFacts:
    fixtures: Mapping[str, PluginFixture]
    test_case_attributes: Mapping[str, Mapping[str, str]]
    # Plugin modules known to define none of `fixtures`.
    other_plugins: frozenset[str] = frozenset()

    @property
    def plugin_modules(self) -> frozenset[str]:
        defining = {module for fixture in self.fixtures.values() for module in fixture.plugins}
        return frozenset(defining | self.other_plugins)


@lru_cache(maxsize=1)
def facts() -> PluginFacts:
    data = tomllib.loads(resources.files("async_test_lint").joinpath("data", TABLE_FILE).read_text("utf-8"))
    fixtures = {
        name: PluginFixture(entry["type"], tuple(entry["plugins"])) for name, entry in data.get("fixtures", {}).items()
    }
    attributes = {cls: dict(table) for cls, table in data.get("test_case_attributes", {}).items()}
    other = frozenset(data.get("other_plugins", {}).get("modules", ()))
    return PluginFacts(fixtures, attributes, other)


def plugin_fixture(name: str) -> PluginFixture | None:
    """The plugin fixture called `name`, if a well-known plugin provides one."""
    return facts().fixtures.get(name)


def plugin_modules() -> frozenset[str]:
    """Every module the table knows the fixtures of (a `pytest_plugins` entry naming one is known)."""
    return facts().plugin_modules


def test_case_attributes(qualified_class: str) -> Mapping[str, str] | None:
    """attribute -> type fact for a known test case class; None for a class the table does not know."""
    return facts().test_case_attributes.get(qualified_class)
