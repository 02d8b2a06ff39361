"""ATL109: `return coro()` inside an `async def`."""

from __future__ import annotations

from async_test_lint.rules.missing_await._shared import UnawaitedRule


class CoroutineReturnedUnawaited(UnawaitedRule):
    """## What it does
    Flags `return coro()` inside an `async def`, where `coro` is a coroutine function.

    ## Why is this bad?
    The caller awaits the `async def` and gets a coroutine instead of a value; it must await
    twice, and usually does not, so the work never runs and "coroutine ... was never awaited"
    is all that is left of it. And a `try`/`except` or `with` around the `return` can never see
    the coroutine's error: the coroutine runs (if at all) after the `async def` has returned.

    ## Example
    ```python
    async def load(key):
        return key

    async def cached(key):
        return load(key)
    ```

    Use instead:
    ```python
    async def load(key):
        return key

    async def cached(key):
        return await load(key)
    ```

    ## Known problems
    A deliberate coroutine factory written as `async def`, whose callers await twice
    (`await (await make())`), is flagged too: the one such use seen on real suites. That is what
    `# noqa: ATL109` with a reason is for.
    """

    code = "ATL109"
    name = "coroutine-returned-unawaited"
    message = "`return {callee}()` in an `async def` gives the caller a coroutine to await a second time"
