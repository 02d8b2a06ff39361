"""ATL403: a task created in a test or fixture that is never awaited or cancelled-and-awaited."""

from __future__ import annotations

import libcst as cst

from async_test_lint.rule import Rule
from async_test_lint.tasks import assigned_name, is_declared_outside, task_call, task_trigger_words
from async_test_lint.usages import Read, contains_yield

# Task methods that neither wait for the task nor surface its outcome.
INERT_METHODS = frozenset(
    {
        "cancel",
        "done",
        "cancelled",
        "cancelling",
        "uncancel",
        "get_name",
        "set_name",
        "add_done_callback",
        "remove_done_callback",
        "get_coro",
        "get_context",
        "get_loop",
        "get_stack",
        "print_stack",
    }
)


class TaskOutlivesTest(Rule):
    """## What it does
    Flags a task created in a test or fixture (`t = asyncio.create_task(...)`,
    `loop.create_task(...)`, `ensure_future(...)`, or a helper listed under `task-spawners`)
    that is never awaited, gathered or waited on before the test, or the fixture's teardown,
    ends: the only uses of `t` are `t.cancel()`, `t.done()`, `t.add_done_callback()` and the like.

    ## Why is this bad?
    The test finishes while the task still runs. If the task fails, its exception is never
    raised in the test: the test passes, and at best "Task exception was never retrieved" shows
    up in a log nobody reads. If it is still running, it is cancelled by the loop's teardown
    after the test's fixtures are gone, and fails there, or in the next test. A `cancel()` that is
    not awaited only requests the cancellation.

    ## Example
    ```python
    import asyncio

    async def test_pipeline():
        task = asyncio.create_task(produce(), name="produce")
        assert not task.done()
    ```

    Use instead:
    ```python
    import asyncio

    async def test_pipeline():
        task = asyncio.create_task(produce(), name="produce")
        assert not task.done()
        await task
    ```

    ## Options
    Opt-in: enable it with `--extend-select ATL403` (flake8: `--extend-select ATL403`).

    ## Known problems
    Only a task bound to a local name in the test's own body is followed. Passing the task to
    any call, returning, yielding or storing it counts as handing it over (the receiver may await
    it), as does `t.result()`/`t.exception()`. A dropped task (`asyncio.create_task(...)` as a bare
    statement) is ATL402's finding, not this one's. A task group's tasks are awaited by the group.
    """

    code = "ATL403"
    name = "task-outlives-test"
    # Opt-in: on real suites it mostly meets `t.cancel()` left unawaited at the end of a test,
    # which pytest-asyncio's loop teardown finishes off; a hygiene finding, not a certain bug.
    default_enabled = False
    message = "task `{name}` from `{call}()` is never awaited (nor cancelled and awaited) before the {role} ends"

    @classmethod
    def trigger_words(cls, settings: object) -> frozenset[str]:
        return task_trigger_words(settings)

    def visit_Call(self, node: cst.Call) -> None:
        frame = self.context.test_or_fixture_frame
        if frame is None or not isinstance(frame.node, cst.FunctionDef):
            return
        task = task_call(self.context, node)
        target = assigned_name(self.context, node)
        if task is None or task.kind == "task_group" or target is None:
            return
        if is_declared_outside(self.context, target.value, frame.node):
            return
        reads = self.context.reads_in(frame.node).get(target.value, [])
        if not reads and task.kind != "spawner" and not contains_yield(frame.node):
            return  # never read, in a frame that ends with the call: ATL402 reports it
        if all(_is_inert(read) for read in reads):
            role = "fixture's teardown" if frame.is_fixture else "test"
            self.report(node, self.message.format(name=target.value, call=task.described, role=role))


def _is_inert(read: Read) -> bool:
    if isinstance(read.parent, cst.Expr):
        return True
    return (
        isinstance(read.parent, cst.Attribute)
        and read.parent.value is read.name
        and read.parent.attr.value in INERT_METHODS
        and isinstance(read.grandparent, cst.Call)
        and read.grandparent.func is read.parent
    )
