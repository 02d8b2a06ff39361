"""ATL402: a task whose only reference is dropped."""

from __future__ import annotations

import libcst as cst

from async_test_lint.model.kinds import TaskKind
from async_test_lint.rules.tasks._shared import TaskRule, dropped, task_call

DROPPED = "the task from `{call}()` is dropped; the loop keeps only a weak reference, so it can be garbage-collected mid-flight"
UNREAD = "the task from `{call}()` is stored in `{name}`, which is never read; it can be garbage-collected mid-flight"


class DanglingTask(TaskRule):
    """## What it does
    Flags `asyncio.create_task()`, `loop.create_task()` and `asyncio.ensure_future()` whose result
    is thrown away: a bare statement, `_ = ...`, or a local variable that is never read.

    ## Why is this bad?
    The event loop holds tasks only weakly. A task nobody references can be garbage-collected
    while it waits: its `finally` blocks run early, Python logs "Task was destroyed but it is
    pending!", and the work the test relies on silently never finishes.

    ## Example
    ```python
    import asyncio

    async def test_worker(queue):
        asyncio.create_task(worker(queue), name="worker")
        await queue.join()
    ```

    Use instead:
    ```python
    import asyncio

    async def test_worker(queue):
        task = asyncio.create_task(worker(queue), name="worker")
        await queue.join()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    ```

    ## Known problems
    A reference counts as kept when the task is passed to any call (`tasks.add(t)`,
    `spawn(t)`), stored in an attribute or container, returned, read anywhere later in the
    function (any branch), bound by `global`/`nonlocal`, or held in a generator's frame across a
    `yield` (a fixture's local). `TaskGroup.create_task()` is never flagged: the group keeps its
    tasks. Helpers listed under `task-spawners` keep their tasks and are not flagged. A task
    created by an unknown wrapper (`hass.async_create_task()`) is not recognised at all. A
    `create_task()` whose argument is certainly not a coroutine (`loop.create_task(resp.release())`
    on a plain def returning an awaitable) creates no task: it raises `TypeError`, and is not
    reported here.
    """

    code = "ATL402"
    name = "dangling-task"
    message = DROPPED

    def visit_Call(self, node: cst.Call) -> None:
        task = task_call(self.context, node)
        if task is None or task.kind in (TaskKind.TASK_GROUP, TaskKind.SPAWNER):
            return
        how = dropped(self.context, node)
        if how == "dropped":
            self.report(node, DROPPED.format(call=task.described))
        elif how is not None:
            self.report(node, UNREAD.format(call=task.described, name=how))
