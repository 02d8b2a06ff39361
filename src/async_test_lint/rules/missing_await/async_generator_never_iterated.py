"""ATL105: an async generator that is created and never iterated."""

from __future__ import annotations

from async_test_lint.rules.missing_await._shared import UnawaitedRule


class AsyncGeneratorNeverIterated(UnawaitedRule):
    """## What it does
    Flags a call to an async generator function whose result is dropped (a bare statement),
    awaited (`await agen()`, a `TypeError`), or stored in a variable that is never used with
    `async for`, `anext()`, `aclosing()` or `aclose()`.

    ## Why is this bad?
    An async generator's body runs only when it is iterated. Unlike a coroutine, a never-started
    async generator produces no warning at all: the events are never sent, the rows never
    streamed, and the test passes in silence.

    ## Example
    ```python
    async def stream_events(bus):
        yield "started"

    async def test_stream():
        stream_events(1)
    ```

    Use instead:
    ```python
    async def stream_events(bus):
        yield "started"

    async def test_stream():
        events = [event async for event in stream_events(1)]
        assert events == ["started"]
    ```

    ## Known problems
    No fix: how to consume the generator is the test's decision. Generators are recognised when
    their def is in the project (an `async def` with a `yield` in its own body); third-party ones
    are not.
    """

    code = "ATL105"
    name = "async-generator-never-iterated"
    message = "async generator `{callee}()` is created but never iterated (no warning is emitted for this); use `async for`"
