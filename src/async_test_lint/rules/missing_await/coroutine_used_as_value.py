"""ATL103: a coroutine used as a value (truthiness, comparison, assert) instead of its result."""

from __future__ import annotations

from async_test_lint.rules.missing_await._shared import UnawaitedRule


class CoroutineUsedAsValue(UnawaitedRule):
    """## What it does
    Flags an un-awaited coroutine used where its result was meant: `if coro():`, `not coro()`,
    `coro() and x`, `assert coro()`, `assert coro() == v`, comparisons, `bool()`/`str()`/`len()`/
    `print()`/`json.dumps()`/`pytest.approx()` of it, f-string fields, `coro().attr`,
    `coro()[0]`, and unittest's `self.assertTrue(coro())`, `assertEqual`, `assertIsNotNone`...

    ## Why is this bad?
    A coroutine object is always truthy and never equal to a result, so the check does not test
    what it looks like: `assert is_ready()` always passes, `if not exists():` never runs its body,
    `assertTrue(ping())` is green with the server down. Type checkers accept all of these: the
    value is "used".

    ## Example
    ```python
    async def is_healthy():
        return False

    async def test_health():
        assert is_healthy()
    ```

    Use instead:
    ```python
    async def is_healthy():
        return False

    async def test_health():
        assert await is_healthy()
    ```

    ## Fix safety
    Safe where the callee is certainly a coroutine function and the use stands directly in the
    `async def`: `await` is inserted at the call, parenthesized where needed (`(await c()).attr`).

    ## Known problems
    Only resolvable callees are checked (see ATL101). A value use inside a sync test is ATL108.
    """

    code = "ATL103"
    name = "coroutine-used-as-value"
    message = (
        "coroutine used as a value: `{callee}()` is not awaited, and a coroutine object is always truthy "
        "and never equal to a result, so this {how} does not test what it looks like"
    )
    fix_title = "Add `await`"
