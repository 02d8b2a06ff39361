"""Where relative imports point: one function for the index (ast) and the name resolver (libcst)."""

from __future__ import annotations

import pytest

from async_test_lint.syntax.modules import absolute_module


@pytest.mark.parametrize(
    ("package", "level", "module", "expected"),
    [
        ("pkg", 0, "os.path", "os.path"),
        ("pkg", 1, "impl", "pkg.impl"),
        ("pkg", 1, "", "pkg"),
        ("pkg.sub", 2, "impl", "pkg.impl"),
        ("pkg.sub", 2, "", "pkg"),
        ("pkg.sub", 3, "impl", None),  # climbs above the top package
        ("", 1, "impl", None),  # a top-level module has no parent package
        (None, 1, "impl", None),  # the module's package is unknown
    ],
)
def test_absolute_module(package: str | None, level: int, module: str, expected: str | None) -> None:
    assert absolute_module(package, level, module) == expected
