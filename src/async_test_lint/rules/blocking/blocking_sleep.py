"""ATL201: `time.sleep()` inside an `async def`."""

from __future__ import annotations

import libcst as cst

from async_test_lint.model.rule import Fix
from async_test_lint.rules.blocking._shared import BlockingCallRule
from async_test_lint.semantics.async_library import running_library
from async_test_lint.semantics.calls import awaited, module_reference

UNKNOWN_LIBRARY_SLEEP = "the sleep of the async library it runs under"


class BlockingSleepInAsync(BlockingCallRule):
    """## What it does
    Flags `time.sleep()` called from the code of an `async def`: a test, a fixture, a helper, a
    method or an `__aenter__`. Names are resolved through imports, so `import time as t` and
    `from time import sleep as nap` are caught, while a `lambda` or a nested sync `def` handed to
    an executor is not (it does not run on the event loop).

    ## Why is this bad?
    `time.sleep()` blocks the whole event loop: every other task stops, including the server,
    consumer or timer the test is waiting for. A test that "waits" this way waits for nothing,
    and then asserts on a state that could not have changed.

    ## Example
    ```python
    import time

    async def test_retry():
        time.sleep(0.1)
    ```

    Use instead:
    ```python
    import asyncio

    async def test_retry():
        await asyncio.sleep(0.1)
    ```

    ## Fix safety
    Safe. The call becomes an awaited sleep of the async library the code runs under:
    `await asyncio.sleep(x)`, `await trio.sleep(x)` or `await anyio.sleep(x)` (with parentheses
    where precedence needs them), and the module is imported when it is not. All of them return
    `None` after the delay; the only change is that other tasks now run during it. The library
    comes from the test's marks (`@pytest.mark.asyncio`, `anyio`, `trio`, also as `pytestmark`),
    its fixtures (`anyio_backend`), an `IsolatedAsyncioTestCase` base, the module's imports (a
    module that imports only trio is trio code; one that imports anyio gets `anyio.sleep`, which
    works under every backend), or pytest-asyncio's auto mode. Where it cannot be told (no
    evidence, or both trio and asyncio imported), the finding has no fix: `asyncio.sleep` under
    `trio.run` raises `RuntimeError`. The fix is also offered only where `await` is valid as
    written: directly in the `async def` (not inside a comprehension), with a single positional
    delay, and where the library's name is free or already means the module.

    ## Known problems
    A sleep that blocks the loop on purpose (a test of loop-lag monitoring, say) is flagged too:
    silence it with `# noqa: ATL201` and a reason. `time.sleep` reached through an attribute of
    an object (`self.clock.sleep`) or a variable holding the function is not resolved.
    """

    code = "ATL201"
    name = "blocking-sleep-in-async"
    message = "`time.sleep()` blocks the event loop inside `async def`; use {sleep}"
    fix_title = "Replace with `await <library>.sleep(...)` of the code's async library"
    functions = frozenset({"time.sleep"})

    def message_for(self, node: cst.Call, described: str) -> str:
        library = running_library(self.context)
        sleep = UNKNOWN_LIBRARY_SLEEP if library is None else f"`await {library}.sleep()`"
        return self.message.format(sleep=sleep)

    def fix_for(self, node: cst.Call) -> Fix | None:
        single_delay = len(node.args) == 1 and node.args[0].keyword is None and not node.args[0].star
        if not (single_delay and self.context.directly_in_function):
            return None
        library = running_library(self.context)
        reference = None if library is None else module_reference(self.context, library)
        if reference is None:
            return None
        module_name, imports = reference
        call = node.with_changes(func=cst.Attribute(value=module_name, attr=cst.Name("sleep")))
        return Fix(awaited(call, self.context.parent), f"Replace with `await {library}.sleep(...)`", imports=imports)
