"""The flake8 plugin: the same rules, run by flake8 and configured from flake8's config files.

Under flake8, selection (`--select`, `--ignore`, `--per-file-ignores`) and `# noqa` are flake8's.
The plugin only decides which rules run: every default rule always, and an opt-in rule only when
`--select` or `--extend-select` names its code or a prefix of it longer than `ATL` (which is how
users turn the plugin on at all), since flake8 alone would report every code a plugin yields. One part of noqa is the plugin's: flake8 does not know that
`# noqa: ASYNC251` stands for ATL201 too (peer_codes.py), so the plugin drops such findings itself,
unless `--disable-noqa` or `atl-peer-noqa = false` is set.
"""

from __future__ import annotations

import argparse
import ast
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar

from flake8.exceptions import ExecutionError
from flake8.options.manager import OptionManager

from async_test_lint.engine import runner as engine
from async_test_lint.engine.registry import all_rules
from async_test_lint.engine.suppression import is_suppressed_by_peer_code
from async_test_lint.model.rule import Diagnostic, Rule
from async_test_lint.project.index import project_for
from async_test_lint.settings.config import ConfigError, Settings
from async_test_lint.settings.options import OPTIONS, Option
from async_test_lint.version import __version__

Finding = tuple[int, int, str, type]


class Plugin:
    name = "async-test-lint"
    version = __version__

    settings: ClassVar[Settings] = Settings()
    rules: ClassVar[tuple[type[Rule], ...] | None] = None
    disable_noqa: ClassVar[bool] = False

    def __init__(self, tree: ast.AST, filename: str, lines: list[str]) -> None:
        # flake8's `lines` are the text it checked (decoded, BOM stripped): positions then agree.
        self.filename = filename
        self.lines = lines
        self.text = "".join(lines)

    @classmethod
    def add_options(cls, option_manager: OptionManager) -> None:
        for option in rule_options():
            option_manager.add_option(
                option.flake8_flag,
                parse_from_config=True,
                help=option.help,
                **flake8_option_kind(option),
            )

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        try:
            settings = settings_from_flake8(options)
        except ConfigError as error:
            raise ExecutionError(str(error)) from None
        cls.configure(settings, explicit_selection(options), disable_noqa=bool(getattr(options, "disable_noqa", False)))

    @classmethod
    def configure(cls, settings: Settings, selection: Iterable[str], disable_noqa: bool = False) -> None:
        cls.settings = settings
        cls.rules = enabled_rules(tuple(selection))
        cls.disable_noqa = disable_noqa

    def run(self) -> Iterator[Finding]:
        if self.rules is None:  # used without flake8's option parsing: the defaults
            self.configure(Settings(), ())
        for diagnostic in self.diagnostics():
            text = f"{diagnostic.code} {diagnostic.message}"
            yield diagnostic.line, max(diagnostic.column - 1, 0), text, type(self)

    def diagnostics(self) -> list[Diagnostic]:
        assert self.rules is not None
        words = engine.trigger_words(self.rules, self.settings, project_for(Path(self.filename)))
        if not engine.has_trigger(self.text.encode(), words):
            return []
        try:
            diagnostics = engine.lint_text(self.text, self.filename, self.settings, self.rules, apply_noqa=False)
        except Exception as error:
            # An exception escaping a flake8 plugin aborts the whole run, for every file; one file
            # the linter cannot handle becomes a finding on that file instead.
            message = f"cannot lint: {type(error).__name__}: {error}"
            return [Diagnostic(engine.PARSE_ERROR, message, self.filename, 1, 1, 1, 1)]
        if self.disable_noqa or not self.settings.peer_noqa:
            return diagnostics
        return [d for d in diagnostics if not self._silenced_by_peer_code(d)]

    def _silenced_by_peer_code(self, diagnostic: Diagnostic) -> bool:
        index = diagnostic.line - 1
        return 0 <= index < len(self.lines) and is_suppressed_by_peer_code(diagnostic.code, self.lines[index])


def rule_options() -> list[Option]:
    return [option for option in OPTIONS if option.rule_option]


def flake8_option_kind(option: Option) -> dict[str, Any]:
    if option.kind == "bool":
        # `--atl-peer-noqa` / `--no-atl-peer-noqa`; from a config file the value comes as text.
        # None when not given, so that the option's own default (on for peer-noqa) applies.
        return {"action": argparse.BooleanOptionalAction, "default": None}
    if option.kind == "list":
        return {"comma_separated_list": True, "default": None}
    return {"default": None}


def settings_from_flake8(options: argparse.Namespace) -> Settings:
    values = {
        option.attribute: getattr(options, option.flake8_attribute)
        for option in rule_options()
        if getattr(options, option.flake8_attribute, None) is not None
    }
    return Settings().updated(values)


def explicit_selection(options: argparse.Namespace) -> tuple[str, ...]:
    """The codes and prefixes the user named in `--select` and `--extend-select`."""
    patterns = [*(getattr(options, "select", None) or ()), *(getattr(options, "extend_select", None) or ())]
    return tuple(pattern.strip() for pattern in patterns if pattern.strip())


# The plugin's own prefix: `--select ATL` is how flake8 users turn the plugin on, so it stands for the
# default rules; an opt-in rule needs its code or a longer prefix (`ATL7`, `ATL701`).
PLUGIN_PREFIX = "ATL"


def enabled_rules(selection: tuple[str, ...]) -> tuple[type[Rule], ...]:
    naming = tuple(pattern for pattern in selection if pattern.upper() != PLUGIN_PREFIX)
    return tuple(rule for rule in all_rules() if rule.default_enabled or rule.code.startswith(naming))
