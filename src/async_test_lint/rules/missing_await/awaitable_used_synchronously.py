"""ATL104: a coroutine or async generator iterated, entered or unpacked synchronously."""

from __future__ import annotations

from async_test_lint.rules.missing_await._shared import UnawaitedRule


class AwaitableUsedSynchronously(UnawaitedRule):
    """## What it does
    Flags the synchronous protocols used on a coroutine or async generator: `for x in agen()`,
    `list(coro())` and other iterating calls, `with acm():`, `*coro()` unpacking and `yield from`;
    and `await` on an async context manager that is not awaitable, such as an
    `@asynccontextmanager` factory's result (`await opened()`).

    ## Why is this bad?
    These fail at run time with a `TypeError` ("'coroutine' object is not iterable", "'async_generator'
    object does not support the context manager protocol", "'_AsyncGeneratorContextManager' object
    can't be awaited"), and the coroutine is left un-awaited. The fix is always `await`, `async
    for` or `async with`.

    ## Example
    ```python
    async def list_tags(repo):
        yield "v1"

    async def test_tags():
        for tag in list_tags(1):
            assert tag
    ```

    Use instead:
    ```python
    async def list_tags(repo):
        yield "v1"

    async def test_tags():
        async for tag in list_tags(1):
            assert tag
    ```

    ## Known problems
    No fix is offered: `for` to `async for` is only valid inside an `async def`, and the right
    rewrite of `list(coro())` depends on what the coroutine returns.
    """

    code = "ATL104"
    name = "awaitable-used-synchronously"
    message = "cannot {how} `{callee}()` synchronously: it returns a coroutine or async generator; use `await`, `async for` or `async with`"
    async_cm_message = (
        "cannot {how} `{callee}()`: it returns an async context manager, which raises TypeError "
        "unless entered with `async with {callee}():`"
    )
