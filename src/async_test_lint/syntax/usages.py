"""Where a function reads its names, and how: the data flow the task rules need.

Collected lazily, once per function, the first time a rule asks. Reads inside nested functions and
lambdas count too: a closure that reads a local keeps it alive.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from async_test_lint.syntax.traversal import Visitor, walk

# Containers that pass a store context down to the names inside them (`a, (b, *c) = ...`).
_TARGET_WRAPPERS = (cst.Element, cst.Tuple, cst.List, cst.StarredElement)


@dataclass(frozen=True)
class Read:
    """A read of a name, with the two nodes above it (for `t.cancel()`: Attribute, then Call)."""

    name: cst.Name
    parent: cst.CSTNode | None
    grandparent: cst.CSTNode | None


def _is_binding_slot(name: cst.Name, parent: cst.CSTNode) -> bool:
    """True for a Name that is not an expression: an attribute, keyword, def or import name."""
    if isinstance(parent, cst.Attribute):
        return parent.attr is name
    if isinstance(parent, cst.Arg):
        return parent.keyword is name
    if isinstance(parent, (cst.FunctionDef, cst.ClassDef)):
        return parent.name is name
    if isinstance(parent, cst.Param):
        return parent.name is name
    return isinstance(parent, (cst.NameItem, cst.ImportAlias, cst.MatchKeywordElement))


def _is_store(name: cst.CSTNode, ancestors: list[cst.CSTNode]) -> bool:
    child = name
    for ancestor in reversed(ancestors):
        if isinstance(ancestor, _TARGET_WRAPPERS):
            child = ancestor
            continue
        if isinstance(ancestor, (cst.AssignTarget, cst.For, cst.CompFor, cst.NamedExpr, cst.AnnAssign, cst.Del)):
            return ancestor.target is child
        if isinstance(ancestor, cst.AsName):
            return ancestor.name is child
        return False
    return False


class _ReadCollector(Visitor):
    def __init__(self) -> None:
        self.stack: list[cst.CSTNode] = []
        self.reads: dict[str, list[Read]] = {}

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            return False
        if isinstance(node, cst.Name):
            self._record(node)
        self.stack.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if self.stack and self.stack[-1] is original_node:
            self.stack.pop()

    def _record(self, name: cst.Name) -> None:
        parent = self.stack[-1] if self.stack else None
        if parent is not None and (_is_binding_slot(name, parent) or _is_store(name, self.stack)):
            return
        grandparent = self.stack[-2] if len(self.stack) > 1 else None
        self.reads.setdefault(name.value, []).append(Read(name, parent, grandparent))


def collect_reads(function: cst.FunctionDef | cst.Lambda | cst.Module) -> dict[str, list[Read]]:
    """Every read of every name in `function`'s body, nested scopes included."""
    collector = _ReadCollector()
    body = function if isinstance(function, cst.Module) else function.body
    walk(body, collector)
    return collector.reads


class _OwnBodyCollector(Visitor):
    """Collects nodes of some types from a function's own body, not from nested scopes."""

    def __init__(self, wanted: tuple[type, ...]) -> None:
        self.wanted = wanted
        self.found: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            return False
        if isinstance(node, self.wanted):
            self.found.append(node)
        return True


def own_nodes(function: cst.FunctionDef, *wanted: type) -> list[cst.CSTNode]:
    """The nodes of the given types in the function's own body, in source order (not in nested
    defs, lambdas or classes)."""
    collector = _OwnBodyCollector(wanted)
    walk(function.body, collector)
    return collector.found


def contains_yield(function: cst.FunctionDef) -> bool:
    """True when the function itself (not a nested def) yields: its frame lives across the yield."""
    return bool(own_nodes(function, cst.Yield))


def own_returns(function: cst.FunctionDef) -> list[cst.Return]:
    """The `return` statements of the function itself, not of nested defs or lambdas."""
    return own_nodes(function, cst.Return)  # type: ignore[return-value]
