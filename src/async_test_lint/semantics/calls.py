"""What a call is, for the rules that match calls: resolved callee names, typed receivers, and the
small rewrites fixes are built from."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import libcst as cst

from async_test_lint.model.rule import ImportFrom
from async_test_lint.semantics.context import FileContext
from async_test_lint.syntax.names import dotted_name


def call_target(context: FileContext, call: cst.Call) -> str | None:
    """`requests.get` for `r.get(...)` after `import requests as r`; None when unresolvable."""
    return context.qualified_name(call.func)


def method_call(context: FileContext, call: cst.Call) -> tuple[str, str] | None:
    """(receiver type, method) for `obj.method(...)` when `obj` has a type fact; else None."""
    if not isinstance(call.func, cst.Attribute):
        return None
    receiver_type = context.type_of(call.func.value)
    if receiver_type is None:
        return None
    return receiver_type, call.func.attr.value


def last_segments(names: Iterable[str]) -> frozenset[str]:
    return frozenset(name.rsplit(".", 1)[-1] for name in names)


def keyword_argument(call: cst.Call, keyword: str) -> cst.Arg | None:
    return next((arg for arg in call.args if arg.keyword is not None and arg.keyword.value == keyword), None)


def has_double_star(call: cst.Call) -> bool:
    return any(arg.star == "**" for arg in call.args)


def comments(node: cst.CSTNode) -> Counter[str]:
    """The comments inside `node`, counted (a fix must keep every one of them)."""
    found: Counter[str] = Counter()

    class Collect(cst.CSTVisitor):
        def visit_Comment(self, comment: cst.Comment) -> None:
            found[comment.value] += 1

    node.visit(Collect())
    return found


def contains_comment(node: cst.CSTNode) -> bool:
    return bool(comments(node))


def awaited(call: cst.Call, parent: cst.CSTNode | None) -> cst.Await:
    """`await <call>`, keeping the call's own parentheses outside and adding them where needed."""
    needs_parens = (
        (isinstance(parent, cst.Attribute) and parent.value is call)
        or (isinstance(parent, cst.Subscript) and parent.value is call)
        or (isinstance(parent, cst.Call) and parent.func is call)
        # `not await c` is valid, but `not (await c)` reads as intended.
        or (isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not))
    )
    lpar, rpar = list(call.lpar), list(call.rpar)
    if needs_parens and not lpar:
        lpar, rpar = [cst.LeftParen()], [cst.RightParen()]
    return cst.Await(expression=call.with_changes(lpar=[], rpar=[]), lpar=lpar, rpar=rpar)


def module_reference(context: FileContext, module: str) -> tuple[cst.BaseExpression, tuple[str, ...]] | None:
    """How to refer to `module` here, and the imports that needs; None when the name is taken."""
    alias = context.module_alias_for(module)
    if alias is not None:
        return cst.Name(alias), ()
    if context.is_bound(module):
        return None
    return cst.Name(module), (module,)


def name_reference(
    context: FileContext, module: str, name: str
) -> tuple[cst.BaseExpression, tuple[ImportFrom, ...]] | None:
    """How to refer to `module.name` here, and the import that needs; None when it cannot be done
    without shadowing something.

    In order: a name that already means it here (`AM` after `from unittest.mock import AsyncMock
    as AM`), then an import of the module (`mock.AsyncMock` after `from unittest import mock`,
    `unittest.mock.AsyncMock` after `import unittest.mock`): neither adds an import. Otherwise `name`
    itself with `from module import name`, which the fixer merges into an existing
    `from module import ...`; None when `name` is already bound to something else.
    """
    qualified = f"{module}.{name}"
    local = name if context.qualified_name(cst.Name(name)) == qualified else _imported_as(context, qualified)
    if local is not None:
        return cst.Name(local), ()
    module_expression = _module_expression(context, module)
    if module_expression is not None:
        return cst.Attribute(value=module_expression, attr=cst.Name(name)), ()
    if context.is_bound(name):
        return None
    return cst.Name(name), (ImportFrom(module, name),)


def _module_expression(context: FileContext, module: str) -> cst.BaseExpression | None:
    """An expression that means `module` here without a new import (dotted modules too)."""
    if "." not in module:
        alias = context.module_alias_for(module)
        return None if alias is None else cst.Name(alias)
    # `unittest.mock.X` works after `import unittest.mock`, not after a bare `import unittest`.
    dotted = cst.parse_expression(module)
    if _imports_module(context.module, module) and context.qualified_name(dotted) == module:
        return dotted
    local = _imported_as(context, module)
    return None if local is None else cst.Name(local)


def _imports_module(module_node: cst.Module, module: str) -> bool:
    """Whether a module-level `import <module>` (no alias) is in the file."""
    for statement in module_node.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Import) and any(
                    alias.asname is None and dotted_name(alias.name) == module for alias in small.names
                ):
                    return True
    return False


def _imported_as(context: FileContext, qualified: str) -> str | None:
    """A module-level name that an import binds to `qualified`, and that means it here."""
    for local, bindings in context.names.bindings(context.module).names.items():
        if all(b.kind == "import" for b in bindings) and context.qualified_name(cst.Name(local)) == qualified:
            return local
    return None
