"""ATL101: a coroutine created as a bare statement in an `async def`, never awaited."""

from __future__ import annotations

from async_test_lint.rules.missing_await._shared import UnawaitedRule


class CoroutineNeverAwaited(UnawaitedRule):
    """## What it does
    Flags a call to a coroutine function (or another awaitable) standing alone as a statement in
    an `async def`: a function of this file or of the project (through imports and re-exports),
    a method of the class or its project bases, a known async API on a receiver of known type
    (`q = asyncio.Queue(); q.put(1)`), or an `AsyncMock`.

    ## Why is this bad?
    Calling a coroutine function only creates the coroutine: its body never runs. The test goes on
    as if the work had been done and passes; Python at most prints "coroutine ... was never
    awaited" as a warning that CI rarely shows.

    ## Example
    ```python
    async def save(item):
        ...

    async def test_saves():
        save(1)
    ```

    Use instead:
    ```python
    async def save(item):
        ...

    async def test_saves():
        await save(1)
    ```

    ## Fix safety
    Safe where the callee is certainly a coroutine function (a project `async def` whose
    decorators are all known to keep it one, a known coroutine API, an `AsyncMock`) and the call
    stands directly in the `async def`: `await` is inserted, with parentheses where precedence
    needs them. Not offered inside comprehensions, nor for awaitables that are not coroutines.

    ## Known problems
    A callee is resolved only with confidence: a method on a receiver without a type fact (an
    unannotated parameter, a fixture value), a def with a decorator from outside the project, a
    third-party coroutine function missing from the known API table, and calls through
    `getattr` are not followed, and so not flagged. Type checkers (mypy's `unused-coroutine`,
    pyright's `reportUnusedCoroutine`) report this bare form too, in annotated code.
    """

    code = "ATL101"
    name = "coroutine-never-awaited"
    message = "`{callee}()` returns a coroutine that is never awaited; its body never runs. Add `await`"
    fix_title = "Add `await`"
    async_cm_message = (
        "`{callee}()` returns an async context manager that does nothing until it is entered; "
        "use `async with {callee}():` (`await` would raise TypeError)"
    )
