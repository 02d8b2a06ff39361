"""async-test-lint: a static linter for the mistakes that make asyncio test suites lie, hang or flake."""

from __future__ import annotations

from async_test_lint.version import __version__

__all__ = ["__version__", "fix_source", "lint_source"]


def lint_source(source: str, path: str = "test_module.py", select: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    """Lint source text as if it were the file at `path`; returns the findings."""
    from async_test_lint.engine.registry import select_rules
    from async_test_lint.engine.runner import lint_text
    from async_test_lint.settings.config import Settings

    settings = Settings(select=select)
    return lint_text(source, path, settings, select_rules(settings))


def fix_source(source: str, path: str = "test_module.py", unsafe: bool = False) -> str:
    """The text of `source` with every safe (and, if asked, unsafe) fix applied."""
    from async_test_lint.engine.fixer import fix_text
    from async_test_lint.engine.registry import select_rules
    from async_test_lint.settings.config import Settings

    settings = Settings()
    return fix_text(source, path, settings, select_rules(settings), unsafe=unsafe).text
