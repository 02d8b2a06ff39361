"""ATL205: a blocking call the project listed in its configuration."""

from __future__ import annotations

from async_test_lint.rules.blocking._shared import BlockingCallRule
from async_test_lint.semantics.calls import last_segments


class ConfiguredBlockingCall(BlockingCallRule):
    """## What it does
    Flags, inside an `async def`, calls to the functions the project lists as blocking under
    `blocking-calls` (qualified names, resolved through imports like every other name).

    ## Why is this bad?
    Every project has its own blocking helpers (a sync database client, a retry helper that
    sleeps). Called from a coroutine they stall the loop exactly like `time.sleep()`.

    ## Example
    ```python
    # pyproject.toml: [tool.async-test-lint] blocking-calls = ["legacy.db.query"]
    from legacy.db import query

    async def test_report():
        query("select 1")
    ```

    Use instead:
    ```python
    import asyncio
    from legacy.db import query

    async def test_report():
        await asyncio.to_thread(query, "select 1")
    ```

    ## Options
    `blocking-calls` (flake8: `atl-blocking-calls`): qualified names of blocking functions.

    ## Known problems
    Only functions are listed, not methods: a method of an object is not resolved by name.
    """

    code = "ATL205"
    name = "configured-blocking-call-in-async"
    example_settings = {"blocking_calls": ["legacy.db.query"]}
    message = "`{call}()` is listed as blocking (blocking-calls) and is called inside `async def`"

    @classmethod
    def trigger_words(cls, settings: object) -> frozenset[str]:
        return last_segments(getattr(settings, "blocking_calls", ()))

    def blocking_functions(self) -> frozenset[str]:
        return frozenset(self.context.settings.blocking_calls)
