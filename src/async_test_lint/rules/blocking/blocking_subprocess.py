"""ATL203: blocking subprocess calls inside an `async def`."""

from __future__ import annotations

from async_test_lint.rules.blocking._shared import BlockingCallRule


class BlockingSubprocessInAsync(BlockingCallRule):
    """## What it does
    Flags calls that start a process and wait for it inside an `async def`:
    `subprocess.run`, `call`, `check_call`, `check_output`, `getoutput`, `getstatusoutput`,
    `os.system`, `os.popen`, and `wait()`/`communicate()` on a `subprocess.Popen`.

    ## Why is this bad?
    The event loop stops until the child exits. If the child talks back to something served by
    the test's loop (a server fixture, a socket the test listens on), the two wait for each other
    and the test hangs.

    ## Example
    ```python
    import subprocess

    async def test_cli():
        subprocess.run(["mytool", "--version"], check=True)
    ```

    Use instead:
    ```python
    import asyncio

    async def test_cli():
        proc = await asyncio.create_subprocess_exec("mytool", "--version")
        assert await proc.wait() == 0
    ```

    ## Known problems
    `subprocess.Popen(...)` itself only starts the child and is not flagged; its `wait()` and
    `communicate()` are, when the `Popen` object is created in the same function or module.
    `os.popen()` also returns at once, but it is flagged because its result is always read or
    closed, and both wait for the child; the read is not followed through a variable.
    A blocking call in a class body nested inside an `async def`, or in a lambda that is called on
    the spot (`(lambda: os.system(cmd))()`), runs on the loop but is not flagged.
    """

    code = "ATL203"
    name = "blocking-subprocess-in-async"
    message = "`{call}()` waits for a child process and blocks the event loop; use `asyncio.create_subprocess_exec`"
    functions = frozenset(
        {
            "subprocess.run",
            "subprocess.call",
            "subprocess.check_call",
            "subprocess.check_output",
            "subprocess.getoutput",
            "subprocess.getstatusoutput",
            "os.system",
            "os.popen",
        }
    )
    methods = {"subprocess.Popen": frozenset({"wait", "communicate"})}
