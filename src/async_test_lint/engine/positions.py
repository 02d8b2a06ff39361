"""Line and column of the few nodes that have a finding, without libcst's PositionProvider.

PositionProvider records a range for every node of the module and costs about two parses. A
finding needs the positions of a handful of nodes, so one plain code generation pass is run and
the text emitted so far is measured only when a wanted node starts or ends.
"""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst
from libcst._nodes.internal import CodegenState

Position = tuple[int, int]  # 1-based line, 0-based column, as libcst counts them


class _Locator(CodegenState):
    def __init__(self, module: cst.Module, nodes: Iterable[cst.CSTNode]) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.wanted: set[int] = set()
        # A parenthesized expression starts after its last "(" and ends before its first ")",
        # as PositionProvider counts it.
        self.start_after: dict[int, int] = {}
        self.end_before: dict[int, int] = {}
        for node in nodes:
            lpar, rpar = getattr(node, "lpar", ()), getattr(node, "rpar", ())
            if lpar and rpar:
                self.start_after[id(lpar[-1])] = id(node)
                self.end_before[id(rpar[0])] = id(node)
            else:
                self.wanted.add(id(node))
        self.starts: dict[int, Position] = {}
        self.ends: dict[int, Position] = {}
        self._measured = 0
        self._line = 1
        self._column = 0

    def _here(self) -> Position:
        text = "".join(self.tokens[self._measured :])
        self._measured = len(self.tokens)
        newlines = text.count("\n")
        if newlines:
            self._line += newlines
            self._column = len(text) - text.rfind("\n") - 1
        else:
            self._column += len(text)
        return self._line, self._column

    def before_codegen(self, node: cst.CSTNode) -> None:
        key = id(node)
        if key in self.wanted:
            self.starts[key] = self._here()
        elif key in self.end_before:
            self.ends[self.end_before[key]] = self._here()

    def after_codegen(self, node: cst.CSTNode) -> None:
        key = id(node)
        if key in self.wanted:
            self.ends[key] = self._here()
        elif key in self.start_after:
            self.starts[self.start_after[key]] = self._here()


def locate(module: cst.Module, nodes: Iterable[cst.CSTNode]) -> dict[int, tuple[Position, Position]]:
    """id(node) -> (start, end) for each node, in one code generation pass over the module."""
    nodes = list(nodes)
    locator = _Locator(module, nodes)
    module._codegen(locator)
    return {
        id(node): (locator.starts[id(node)], locator.ends[id(node)])
        for node in nodes
        if id(node) in locator.starts and id(node) in locator.ends
    }
