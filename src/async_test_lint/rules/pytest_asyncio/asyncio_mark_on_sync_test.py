"""ATL707: `@pytest.mark.asyncio` on a sync test."""

from __future__ import annotations

import libcst as cst

from async_test_lint.model.rule import Fix, RemoveDecorator, Rule
from async_test_lint.rules.pytest_asyncio._shared import asyncio_mark_decorators, is_pytest_test
from async_test_lint.semantics.context import Frame


class AsyncioMarkOnSyncTest(Rule):
    """## What it does
    Flags a test that is a plain `def` but carries `@pytest.mark.asyncio` (also
    `pytest.mark.asyncio(loop_scope=...)`, through imports). The finding points at the test's name.

    ## Why is this bad?
    The mark only means something on a coroutine. pytest-asyncio 1.x (checked on 1.5.0) runs the
    test as a plain sync test and emits `PytestWarning: The test <Function test_x> is marked with
    '@pytest.mark.asyncio' but it is not an async function. Please remove the asyncio mark. If the
    test is not marked explicitly, check for global marks applied via 'pytestmark'.` It is not an
    error. Often the test was meant to be `async def` (its awaits moved to a helper, or its
    `async` was lost), so the mark hides a test that does not test what it says.

    ## Example
    ```python
    import pytest

    @pytest.mark.asyncio
    def test_parse():
        assert parse("1") == 1
    ```

    Use instead:
    ```python
    def test_parse():
        assert parse("1") == 1
    ```

    ## Fix safety
    Safe: the fix removes the decorator; pytest-asyncio ran the test as a sync test anyway, so
    only the warning goes. It is not offered when the decorator's line holds a comment (it would be
    lost).

    ## Known problems
    A module's or class's `pytestmark` that applies the asyncio mark to sync tests too triggers
    the same warning, but is not flagged: it is the usual style for a module of async tests.
    """

    code = "ATL707"
    name = "asyncio-mark-on-sync-test"
    message = "`@pytest.mark.asyncio` on a sync test does nothing but warn; remove it or make the test `async def`"
    fix_title = "Remove `@pytest.mark.asyncio`"

    @classmethod
    def trigger_words(cls, settings: object) -> frozenset[str]:
        return frozenset({"asyncio"})

    def enter_scope(self, frame: Frame) -> None:
        function = frame.node
        if frame.is_async or not isinstance(function, cst.FunctionDef) or not is_pytest_test(self.context, frame):
            return
        marks = asyncio_mark_decorators(self.context, function)
        if not marks:
            return
        commented = any(_has_comment(decorator) for decorator in marks)
        fix = None if commented else Fix(edits=[RemoveDecorator(function, d) for d in marks], title=self.fix_title)
        self.report(function.name, fix=fix)


def _has_comment(decorator: cst.Decorator) -> bool:
    return decorator.trailing_whitespace.comment is not None or any(
        line.comment is not None for line in decorator.leading_lines
    )
