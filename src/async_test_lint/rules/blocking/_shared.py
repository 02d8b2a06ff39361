"""Shared logic of the blocking-call rules (ATL2xx)."""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst

from async_test_lint.model.rule import Fix, Rule
from async_test_lint.semantics.calls import call_target, last_segments, method_call


class BlockingCallRule(Rule):
    """Shared logic of the blocking-call rules: a matched call inside an `async def`'s own code.

    Subclasses list the blocking functions by qualified name and the blocking methods by the
    qualified name of their receiver's type. A method is matched only when its receiver has a type
    fact (a constructor call, a `with` target or an annotation), never by its name alone.
    """

    functions: frozenset[str] = frozenset()
    methods: Mapping[str, frozenset[str]] = {}

    @classmethod
    def trigger_words(cls, settings: object) -> frozenset[str]:
        names = set(cls.functions)
        for methods in cls.methods.values():
            names.update(methods)
        return last_segments(names)

    def blocking_functions(self) -> frozenset[str]:
        return self.functions

    def visit_Call(self, node: cst.Call) -> None:
        if not self.context.in_coroutine:
            return
        described = self.describe(node)
        if described is not None:
            self.report(node, self.message_for(node, described), fix=self.fix_for(node))

    def message_for(self, node: cst.Call, described: str) -> str:
        return self.message.format(call=described)

    def describe(self, node: cst.Call) -> str | None:
        target = call_target(self.context, node)
        if target is not None and target in self.blocking_functions():
            return target
        method = method_call(self.context, node)
        if method is not None and method[1] in self.methods.get(method[0], ()):
            return f"{method[0]}.{method[1]}"
        return None

    def fix_for(self, node: cst.Call) -> Fix | None:
        return None
