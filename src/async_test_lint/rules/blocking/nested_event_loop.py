"""ATL204: starting an event loop from inside a running one."""

from __future__ import annotations

from async_test_lint.rules.blocking._shared import BlockingCallRule


class NestedEventLoop(BlockingCallRule):
    """## What it does
    Flags `asyncio.run()`, `loop.run_until_complete()` and `loop.run_forever()` (on a loop from
    `asyncio.get_event_loop()`, `get_running_loop()` or `new_event_loop()`), and `Runner.run()`
    inside an `async def`.

    ## Why is this bad?
    Inside a coroutine a loop is already running. `asyncio.run()` raises "cannot be called from a
    running event loop", and `run_until_complete()` raises "Cannot run the event loop while another
    loop is running", on the running loop and on a second one alike, so the test fails on its own
    set-up instead of testing anything. Where a patch such as `nest_asyncio` makes it work, the
    nested loop blocks the outer one until the nested work ends, and objects bound to one loop
    (futures, locks, connections) fail on the other with "attached to a different loop".

    ## Example
    ```python
    import asyncio

    async def test_setup():
        asyncio.run(create_schema())
    ```

    Use instead:
    ```python
    async def test_setup():
        await create_schema()
    ```

    ## Known problems
    A loop handed in by a fixture (the removed `event_loop` fixture, say) has no type fact and is not
    matched here.
    """

    code = "ATL204"
    name = "nested-event-loop"
    message = "`{call}()` inside `async def` starts a nested event loop; `await` the coroutine instead"
    functions = frozenset({"asyncio.run", "asyncio.runners.run"})
    methods = {
        "asyncio.AbstractEventLoop": frozenset({"run_until_complete", "run_forever"}),
        "asyncio.Runner": frozenset({"run"}),
    }
