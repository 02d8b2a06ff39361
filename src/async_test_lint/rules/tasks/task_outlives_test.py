"""ATL403: a task created in a test or fixture that is never awaited, gathered or cancelled."""

from __future__ import annotations

import libcst as cst

from async_test_lint.model.kinds import TaskKind
from async_test_lint.rules.tasks._shared import (
    TaskRule,
    assigned_name,
    comprehension_holder,
    is_declared_outside,
    task_call,
)
from async_test_lint.syntax.usages import Read, contains_yield

# Task methods that neither wait for the task, end it, nor surface its outcome. `cancel` is not
# among them: see the rule's docs.
INERT_METHODS = frozenset(
    {
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


class TaskOutlivesTest(TaskRule):
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

    ## Known problems
    Only a task bound to a local name in the test's own body, or a list comprehension of tasks
    bound to one, is followed; tasks appended to a list one by one are not. Passing the task (or
    the list) to any call, returning, yielding or storing it counts as handing it over (the
    receiver may await it), as does `t.result()`/`t.exception()`. A `for` loop over the list is
    judged by what it does with each task. A `cancel()` on one branch only counts as well. A dropped task (`asyncio.create_task(...)` as a bare
    statement) is ATL402's finding, not this one's. A task group's tasks are awaited by the group.
    """

    code = "ATL403"
    name = "task-outlives-test"
    message = "task `{name}` from `{call}()` is never awaited, gathered or cancelled before the {role} ends"
    list_message = "the tasks in `{name}` from `{call}()` are never awaited, gathered or cancelled before the {role} ends"

    def visit_Call(self, node: cst.Call) -> None:
        frame = self.context.test_or_fixture_frame
        if frame is None or not isinstance(frame.node, cst.FunctionDef):
            return
        task = task_call(self.context, node)
        if task is None or task.kind == TaskKind.TASK_GROUP:
            return
        target = assigned_name(self.context, node)
        holder = target.value if target is not None else comprehension_holder(self.context, node)
        if holder is None or is_declared_outside(self.context, holder, frame.node):
            return
        reads = self.context.reads_in(frame.node)
        if target is not None and not reads.get(holder) and task.kind != TaskKind.SPAWNER and not contains_yield(frame.node):
            return  # never read, in a frame that ends with the call: ATL402 reports it
        if self._only_inert_uses(holder, reads, depth=0):
            role = "fixture's teardown" if frame.is_fixture else "test"
            message = self.message if target is not None else self.list_message
            self.report(node, message.format(name=holder, call=task.described, role=role))

    def _only_inert_uses(self, name: str, reads: dict[str, list[Read]], depth: int) -> bool:
        """True when no read of `name` awaits, ends or hands over its task(s); a `for` loop over
        a list of tasks is judged by the reads of its loop variable."""
        for read in reads.get(name, []):
            loop_variable = _loop_variable_over(read)
            if loop_variable is not None and depth == 0:
                if not self._only_inert_uses(loop_variable, reads, depth + 1):
                    return False
            elif not _is_inert(read):
                return False
        return True


def _loop_variable_over(read: Read) -> str | None:
    """`t` when the read is the iterable of `for t in <name>:`."""
    loop = read.parent
    if isinstance(loop, cst.For) and loop.iter is read.name and isinstance(loop.target, cst.Name):
        return loop.target.value
    return None


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
