"""Module names: where a relative import points."""

from __future__ import annotations

# Stands for a module a relative import cannot reach (climbing above the top package, or from a
# module with no package): names imported from it resolve to nothing.
UNREACHABLE = "?"


def absolute_module(package: str | None, level: int, module: str) -> str | None:
    """`pkg.impl` for `from .impl import x` in a module of package `pkg` (`level` dots, then
    `module`, which may be empty). None where Python itself would fail: a relative import in a
    module whose package is unknown or top-level (`attempted relative import with no known parent
    package`), or one that climbs above the top package."""
    if level == 0:
        return module
    if not package:
        return None
    parts = package.split(".")
    if level - 1 >= len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, module]) if module else ".".join(base)
