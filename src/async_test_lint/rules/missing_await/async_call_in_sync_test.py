"""ATL108: a sync test or fixture that calls an async function without running it."""

from __future__ import annotations

from async_test_lint.rules.missing_await._shared import UnawaitedRule


class AsyncCallInSyncTest(UnawaitedRule):
    """## What it does
    Flags, inside a sync test function or sync fixture (`def test_...`), a call to a coroutine
    function that is dropped, stored and unused, or used as a value (the ATL101, ATL102 and
    ATL103 shapes).

    ## Why is this bad?
    A sync test cannot await: the coroutine is created and thrown away, so the test passes
    without executing the code it is about.

    ## Example
    ```python
    async def send_email(address):
        ...

    def test_sends():
        send_email("a@example.com")
    ```

    Use instead:
    ```python
    import asyncio

    async def send_email(address):
        ...

    def test_sends():
        asyncio.run(send_email("a@example.com"))
    ```

    ## Known problems
    No fix: making the test `async def` needs the asyncio marker (or auto mode), which depends on
    the project's pytest-asyncio set-up.
    """

    code = "ATL108"
    name = "async-call-in-sync-test"
    message = "sync test calls async `{callee}()` without running it; the test passes without executing it. Make the test `async def` (with the asyncio marker) or use `asyncio.run(...)`"
