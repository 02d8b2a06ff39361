"""ATL102: a coroutine stored in a variable that is never awaited."""

from __future__ import annotations

from async_test_lint.rules.missing_await._shared import UnawaitedRule


class CoroutineAssignedNeverAwaited(UnawaitedRule):
    """## What it does
    Flags `x = coro()` in an `async def` when nothing later awaits `x`, passes it to a call,
    returns, stores, closes or iterates it: `x` is unused, or only looked at (truthiness,
    comparison, `print`, an attribute).

    ## Why is this bad?
    `x` holds a coroutine object, not the result. The code never runs, and whatever the test
    then checks about `x` is checked about a coroutine object. `_ = coro()` hides the warning of
    the bare form and is the same bug.

    ## Example
    ```python
    async def fetch_user(user_id):
        ...

    async def test_user():
        user = fetch_user(1)
        assert user is not None
    ```

    Use instead:
    ```python
    async def fetch_user(user_id):
        ...

    async def test_user():
        user = await fetch_user(1)
        assert user is not None
    ```

    ## Fix safety
    Safe where the callee is certainly a coroutine function and the assignment stands directly
    in the `async def`: the value becomes `await coro()`.

    ## Known problems
    Uses are followed through the function's flow: a read counts only when this assignment can
    reach it (not a read before the assignment, nor one that sees only a later rebinding; loops,
    `try`/`finally` and branches are taken as possibly running). A read inside a nested function
    or lambda, and a `global`/`nonlocal` name, always count as a use, so the rule may miss a
    finding there, never invent one. A coroutine passed on through `locals()` or `exec` is not
    seen.
    """

    code = "ATL102"
    name = "coroutine-assigned-never-awaited"
    message = "`{name}` holds a coroutine from `{callee}()` that is never awaited"
    fix_title = "Await the call"
    async_cm_message = (
        "`{name}` holds an async context manager from `{callee}()` that is never entered; "
        "use `async with {callee}() as {name}:`"
    )
