"""Finds the rules: every Rule subclass in a module of a family folder under `async_test_lint.rules`
(`rules/<family>/<rule>.py`; modules starting with `_` hold a family's shared logic). No list to edit."""

from __future__ import annotations

import functools
import importlib
import pkgutil

from async_test_lint import rules as rules_package
from async_test_lint.model.rule import Rule
from async_test_lint.settings.config import ConfigError, Settings


@functools.lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    found: dict[str, type[Rule]] = {}
    for info in pkgutil.walk_packages(rules_package.__path__, prefix=f"{rules_package.__name__}."):
        if info.ispkg or info.name.rpartition(".")[2].startswith("_"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and "code" in vars(value):
                if value.code in found and found[value.code] is not value:
                    raise RuntimeError(f"two rules claim {value.code}")
                found[value.code] = value
    return tuple(found[code] for code in sorted(found))


def rule_by_code(code: str) -> type[Rule] | None:
    wanted = code.upper()
    return next((rule for rule in all_rules() if rule.code == wanted or rule.name == code), None)


def _matching(pattern: str, rules: tuple[type[Rule], ...]) -> list[type[Rule]]:
    pattern = pattern.upper()
    if pattern == "ALL":
        return list(rules)
    matched = [rule for rule in rules if rule.code.startswith(pattern)]
    if not matched:
        raise ConfigError(f"unknown rule code or prefix {pattern!r} (see 'async-test-lint rules')")
    return matched


def validate_codes(patterns: tuple[str, ...] | list[str]) -> None:
    rules = all_rules()
    for pattern in patterns:
        _matching(pattern, rules)


def select_rules(settings: Settings) -> tuple[type[Rule], ...]:
    """The enabled rules: the default set (or `select`), plus `extend-select`, minus `ignore`."""
    rules = all_rules()
    if settings.select:
        chosen = {rule for pattern in settings.select for rule in _matching(pattern, rules)}
    else:
        chosen = {rule for rule in rules if rule.default_enabled}
    chosen |= {rule for pattern in settings.extend_select for rule in _matching(pattern, rules)}
    chosen -= {rule for pattern in settings.ignore for rule in _matching(pattern, rules)}
    for _, codes in settings.per_file_ignores:
        validate_codes(codes)
    return tuple(rule for rule in rules if rule in chosen)
