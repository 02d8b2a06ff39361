"""ATL109 (opt-in): `return coro()` inside an `async def`."""

from __future__ import annotations

from async_test_lint.awaitables import UnawaitedRule


class CoroutineReturnedUnawaited(UnawaitedRule):
    """## What it does
    Flags `return coro()` inside an `async def`, where `coro` is a coroutine function.

    ## Why is this bad?
    The caller awaits the `async def` and gets a coroutine instead of a value; it must await
    twice, and usually does not. Returning a coroutine is legal (a factory), so this is opt-in.

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

    ## Options
    Opt-in: enable it with `--extend-select ATL109`.

    ## Known problems
    Deliberate coroutine factories written as `async def` are flagged; silence them with `# noqa`.
    """

    code = "ATL109"
    name = "coroutine-returned-unawaited"
    message = "`return {callee}()` in an `async def` gives the caller a coroutine to await a second time"
    default_enabled = False
