"""ATL107: an un-awaited call inside `pytest.raises`, `assertRaises`, `suppress` or a one-line `try`."""

from __future__ import annotations

import libcst as cst

from async_test_lint.model.rule import Fix
from async_test_lint.rules.missing_await._shared import Unawaited, UnawaitedRule


class UnawaitedInExceptionExpectation(UnawaitedRule):
    """## What it does
    Flags a coroutine call that is not awaited inside `with pytest.raises(...)`,
    `pytest.warns(...)`, `self.assertRaises(...)`, `self.assertWarns(...)`,
    `contextlib.suppress(...)`, or as the only statement of a `try` body; and the callable forms
    `pytest.raises(E, coroutine_function, *args)` / `self.assertRaises(E, coroutine_function, ...)`,
    where the framework calls the function and gets a coroutine back.

    ## Why is this bad?
    The coroutine never runs, so the expected exception can never be raised. `pytest.raises`
    fails with a confusing "DID NOT RAISE"; `suppress` and `try` pass in silence, checking nothing.

    ## Example
    ```python
    import pytest

    async def parse(text):
        raise ValueError(text)

    async def test_rejects_garbage():
        with pytest.raises(ValueError):
            parse("x")
    ```

    Use instead:
    ```python
    import pytest

    async def parse(text):
        raise ValueError(text)

    async def test_rejects_garbage():
        with pytest.raises(ValueError):
            await parse("x")
    ```

    ## Fix safety
    Safe in an `async def` when the callee is certainly a coroutine function: in the `with` and
    `try` forms `await` is inserted at the call; the callable form `pytest.raises(E, f, *args)`
    standing as a statement becomes `with pytest.raises(E):` around `await f(*args)`. The
    callable forms of `pytest.warns` and `assertRaises`, and a callable form whose result is
    used, get no fix.

    ## Known problems
    Only the statements directly in the block are checked, not calls nested in helpers.
    """

    code = "ATL107"
    name = "unawaited-in-exception-expectation"
    message = "`{callee}()` is not awaited inside `{how}`: the coroutine never runs, so the expected exception can never be raised"
    fix_title = "Add `await`"

    def _await_fix(self, node: cst.Call, found: Unawaited) -> Fix | None:
        if not found.callable_form:
            return super()._await_fix(node, found)
        statement = self._statement_of_callable_form(node, found)
        if statement is None:
            return None
        return Fix(_with_block(node, statement), self.fix_title or "", target=statement)

    def _statement_of_callable_form(self, node: cst.Call, found: Unawaited) -> cst.SimpleStatementLine | None:
        """The statement line `pytest.raises(E, f, ...)` stands alone on, when it can be rewritten."""
        nodes = self.context.nodes
        if found.how != "pytest.raises" or not found.callee.certain or not self.context.in_coroutine:
            return None
        if not self.context.directly_in_function or len(nodes) < 3:
            return None
        expression, line = nodes[-2], nodes[-3]
        if not (isinstance(expression, cst.Expr) and isinstance(line, cst.SimpleStatementLine)):
            return None
        if len(line.body) != 1 or any(arg.star for arg in node.args[:2]) or node.args[0].keyword is not None:
            return None
        return line


def _with_block(raises: cst.Call, statement: cst.SimpleStatementLine) -> cst.With:
    """`with pytest.raises(E):` + `await f(*rest)`, the statement's comment on the `with` line."""
    expected, function, *rest = raises.args
    manager = raises.with_changes(args=[expected.with_changes(comma=cst.MaybeSentinel.DEFAULT)])
    arguments = [arg for arg in rest]
    if arguments:
        arguments[-1] = arguments[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    call = cst.Call(func=function.value, args=arguments)
    body = cst.IndentedBlock(
        body=[cst.SimpleStatementLine(body=[cst.Expr(cst.Await(call))])],
        header=statement.trailing_whitespace,
    )
    return cst.With(items=[cst.WithItem(manager)], body=body, leading_lines=statement.leading_lines)
