"""ATL106: `asyncio.gather()`, `shield()` or `run_in_executor()` whose future is not awaited."""

from __future__ import annotations

from async_test_lint.rules.missing_await._shared import UnawaitedRule


class FutureHelperNotAwaited(UnawaitedRule):
    """## What it does
    Flags `asyncio.gather(...)`, `asyncio.shield(...)` and `loop.run_in_executor(...)` standing
    alone as a statement.

    ## Why is this bad?
    The children are scheduled, but the test does not wait for them: it may finish first, and a
    child's exception is only logged ("_GatheringFuture exception was never retrieved") instead
    of failing the test.

    ## Example
    ```python
    import asyncio

    async def test_workers(a, b):
        asyncio.gather(a.run(), b.run())
    ```

    Use instead:
    ```python
    import asyncio

    async def test_workers(a, b):
        await asyncio.gather(a.run(), b.run())
    ```

    ## Known problems
    No fix is offered: awaiting makes the test wait for the children, which changes what it
    does. `loop.run_in_executor` is recognised on a loop with a type fact.
    """

    code = "ATL106"
    name = "future-helper-not-awaited"
    message = "`{callee}(...)` result is not awaited: the test does not wait for the children and their exceptions are only logged"
