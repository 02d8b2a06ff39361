"""ATL401: a task created without a name."""

from __future__ import annotations

import libcst as cst

from async_test_lint.model.kinds import TaskKind
from async_test_lint.model.rule import Fix
from async_test_lint.rules.tasks._shared import TaskCall, TaskRule, dropped, is_waited_in_function, task_call
from async_test_lint.semantics.calls import contains_comment, has_double_star, keyword_argument
from async_test_lint.syntax.names import dotted_name
from async_test_lint.syntax.usages import own_nodes

ENSURE_FUTURE_MESSAGE = (
    "`asyncio.ensure_future()` cannot name its task; use `asyncio.create_task(..., name=...)`"
)


class UnnamedTask(TaskRule):
    """## What it does
    Flags a task that lives on without a name: `asyncio.create_task()` or `loop.create_task()`
    called without `name=` (or with `name=None`), and `asyncio.ensure_future()` on a coroutine,
    which cannot take a name at all. By default only in test files and `conftest.py`, and only
    for tasks the creating function does not wait for: a task stored on `self`, in a
    collection, in a fixture across its `yield`, passed to other code, or left running.

    A task the same function awaits, gathers, waits on or ends before it returns (`await t`,
    `await asyncio.gather(*tasks)`, `await asyncio.wait_for(t, 1)`,
    `await asyncio.create_task(...)`, `t.cancel()`, `t.result()`, `t.exception()`,
    `assert t.done()`, a done callback on a task never stored or handed on; directly or through
    its variable, list comprehension or list) is not flagged, nor is `TaskGroup.create_task()`, whose group waits for its tasks: a
    hang there already points at the awaiting line. `asyncio.wait()` with a `timeout` or
    `return_when` does not count, since it returns while tasks still run.

    ## Why is this bad?
    When a test hangs, or pytest-asyncio's teardown reports "Task was destroyed but it is
    pending!", a task that outlived its line is shown as `Task-7`: nobody can tell which of the
    test's tasks it was. A name turns the report into a pointer to the code.

    ## Example
    ```python
    import asyncio

    async def test_consumer(queue):
        consumer = asyncio.create_task(consume(queue))
        await queue.put("item")
        assert not consumer.done()
    ```

    Use instead:
    ```python
    import asyncio

    async def test_consumer(queue):
        consumer = asyncio.create_task(consume(queue), name="test_consumer:consume")
        await queue.put("item")
        assert not consumer.done()
    ```

    ## Fix safety
    Safe: `name=` only sets what `Task.get_name()` and reprs return. The name is the enclosing
    function (with its class) and the callee of the coroutine argument,
    `name="test_consumer:consume"`, with `-2`, `-3`, ... on the later tasks of the same callee in
    the same function, so the tasks of one file can be told apart. No fix is offered when the
    argument is not a plain call, when the call holds a comment, or for `ensure_future` (which
    returns futures unchanged and so cannot simply become `create_task`).

    ## Options
    `task-names-everywhere` (flake8: `atl-task-names-everywhere`): flag unnamed tasks in every
    file, not only in test files.
    `name-awaited-tasks` (flake8: `atl-name-awaited-tasks`): flag every unnamed task, also the
    awaited ones and those of a task group, for teams that want every task named.

    ## Known problems
    A task that is thrown away (a bare statement, or a local never read) is ATL402's finding
    alone: keeping a reference comes first, and one call gets one finding. `name` is keyword-only, so a positional second argument is never a name; a `**kwargs` splat
    may carry one and is not flagged. A loop or task group is recognised only through a type fact
    (`loop = asyncio.get_running_loop()`, `async with asyncio.TaskGroup() as tg`), a well-known
    plugin's loop fixture (`event_loop`, `loop`) or `AioHTTPTestCase.loop`; a loop handed in any
    other way is not. A done callback counts as observing the task's end (it is how trio code
    waits for an asyncio task) only when the task is not stored or handed on: one kept in a set
    with `t.add_done_callback(tasks.discard)` lives on and is flagged.
    """

    code = "ATL401"
    name = "unnamed-task"
    message = "`{call}()` creates a task without `name=`; name it so hangs and leak reports say which task"
    fix_title = 'Add `name="<function>:<callee>"`'

    def visit_Call(self, node: cst.Call) -> None:
        if not (self.context.is_test_file or self.context.settings.task_names_everywhere):
            return
        task = task_call(self.context, node)
        if task is None or task.kind == TaskKind.SPAWNER or has_double_star(node):
            return
        if not self.context.settings.name_awaited_tasks and self._needs_no_name(task, node):
            return
        if task.kind == TaskKind.ENSURE_FUTURE:
            if node.args and not _is_plain_future(node.args[0].value):
                self.report(node, ENSURE_FUTURE_MESSAGE)
            return
        name = keyword_argument(node, "name")
        if name is not None and not (isinstance(name.value, cst.Name) and name.value.value == "None"):
            return
        self.report(node, self.message.format(call=task.described), fix=self._fix(node, name))

    def _needs_no_name(self, task: TaskCall, node: cst.Call) -> bool:
        if task.kind == TaskKind.TASK_GROUP or is_waited_in_function(self.context, node):
            return True
        # A thrown-away task is ATL402's finding: it must be kept first; one finding per call.
        return dropped(self.context, node) is not None

    def _fix(self, node: cst.Call, name: cst.Arg | None) -> Fix | None:
        if not node.args or node.args[0].keyword is not None or contains_comment(node):
            return None
        coroutine = node.args[0].value
        callee = dotted_name(coroutine.func) if isinstance(coroutine, cst.Call) else None
        if callee is None:
            return None
        value = cst.SimpleString(f'"{self._task_name(node, callee)}"')
        if name is not None:
            args = [arg.with_changes(value=value) if arg is name else arg for arg in node.args]
            return Fix(node.with_changes(args=args), self.fix_title or "")
        return Fix(node.with_changes(args=_append_keyword(node, "name", value)), self.fix_title or "")


    def _task_name(self, node: cst.Call, callee: str) -> str:
        """`Class.function:callee`, with `-N` for the N-th task of that callee in the function."""
        owners = [frame.node.name.value for frame in self.context.frames if frame.kind in ("class", "function")]
        if not owners:
            return callee
        name = f"{'.'.join(owners)}:{callee}"
        frame = self.context.function_frame
        if frame is None or not isinstance(frame.node, cst.FunctionDef):
            return name
        alike = [call for call in own_nodes(frame.node, cst.Call) if self._spawns(call, callee)]
        position = next((index for index, call in enumerate(alike, start=1) if call is node), 1)
        return name if position == 1 else f"{name}-{position}"


    def _spawns(self, call: cst.CSTNode, callee: str) -> bool:
        """True for a task-creating call whose coroutine argument calls `callee`."""
        if not isinstance(call, cst.Call) or not call.args:
            return False
        first = call.args[0].value
        if not (isinstance(first, cst.Call) and dotted_name(first.func) == callee):
            return False
        return task_call(self.context, call) is not None


def _is_plain_future(expr: cst.BaseExpression) -> bool:
    # ensure_future(existing_future_or_task) wraps nothing: only a coroutine call creates a task.
    return not isinstance(expr, cst.Call)


def _append_keyword(node: cst.Call, keyword: str, value: cst.BaseExpression) -> list[cst.Arg]:
    """The call's arguments with `keyword=value` appended, laid out like the arguments already
    there: on the same line, or on a line of its own with their indentation, keeping a trailing
    comma and the line break before `)` where the call has them."""
    args = list(node.args)
    last = args[-1]
    trailing = last.comma if isinstance(last.comma, cst.Comma) else None
    separator = cst.Comma(
        whitespace_before=trailing.whitespace_before if trailing is not None else cst.SimpleWhitespace(""),
        whitespace_after=_argument_break(node),
    )
    args[-1] = last.with_changes(comma=separator, whitespace_after_arg=cst.SimpleWhitespace(""))
    new = cst.Arg(
        value=value,
        keyword=cst.Name(keyword),
        equal=_tight_equal(),
        comma=trailing if trailing is not None else cst.MaybeSentinel.DEFAULT,
        whitespace_after_arg=last.whitespace_after_arg,
    )
    return [*args, new]


def _argument_break(node: cst.Call) -> cst.BaseParenthesizableWhitespace:
    """What stands between two arguments of this call: the break after the first argument's comma,
    else the break after `(` of a call whose arguments start on their own line, else one space."""
    first = node.args[0]
    if len(node.args) > 1 and isinstance(first.comma, cst.Comma):
        return first.comma.whitespace_after
    if isinstance(node.whitespace_before_args, cst.ParenthesizedWhitespace):
        return node.whitespace_before_args
    return cst.SimpleWhitespace(" ")


def _tight_equal() -> cst.AssignEqual:
    return cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
