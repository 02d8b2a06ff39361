"""Recognising the calls that create asyncio tasks, for the task rules (ATL4xx)."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from async_test_lint.calls import call_target, last_segments, method_call
from async_test_lint.context import FileContext

CREATE_TASK = frozenset({"asyncio.create_task", "asyncio.tasks.create_task"})
ENSURE_FUTURE = frozenset({"asyncio.ensure_future", "asyncio.tasks.ensure_future"})
LOOP_TYPE = "asyncio.AbstractEventLoop"
TASK_GROUP_TYPE = "asyncio.TaskGroup"
TASK_WORDS = frozenset({"create_task", "ensure_future"})


@dataclass(frozen=True)
class TaskCall:
    """A call that creates a task. `kind` is create_task, loop, task_group, ensure_future or spawner."""

    kind: str
    described: str


def task_call(context: FileContext, call: cst.Call) -> TaskCall | None:
    target = call_target(context, call)
    if target in CREATE_TASK:
        return TaskCall("create_task", "asyncio.create_task")
    if target in ENSURE_FUTURE:
        return TaskCall("ensure_future", "asyncio.ensure_future")
    if target is not None and target in context.settings.task_spawners:
        return TaskCall("spawner", target)
    method = method_call(context, call)
    if method == (LOOP_TYPE, "create_task"):
        return TaskCall("loop", "loop.create_task")
    if method == (TASK_GROUP_TYPE, "create_task"):
        return TaskCall("task_group", "TaskGroup.create_task")
    return None


def task_trigger_words(settings: object) -> frozenset[str]:
    return TASK_WORDS | last_segments(getattr(settings, "task_spawners", ()))


def assigned_name(context: FileContext, call: cst.Call) -> cst.Name | None:
    """`t` for `t = <call>` or `t: Task = <call>` (a single plain name); None otherwise."""
    parent = context.parent
    if isinstance(parent, cst.Assign) and parent.value is call and len(parent.targets) == 1:
        target = parent.targets[0].target
        return target if isinstance(target, cst.Name) else None
    if isinstance(parent, cst.AnnAssign) and parent.value is call and isinstance(parent.target, cst.Name):
        return parent.target
    return None


def is_declared_outside(context: FileContext, name: str, scope: cst.CSTNode) -> bool:
    """True for a `global` or `nonlocal` name: the binding lives on after the function returns."""
    bindings = context.names.bindings(scope)  # type: ignore[arg-type]
    return name in bindings.global_names or name in bindings.nonlocal_names
