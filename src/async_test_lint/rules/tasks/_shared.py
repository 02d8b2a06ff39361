"""Recognising the calls that create asyncio tasks, for the task rules (ATL4xx)."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from async_test_lint.model.kinds import CallKind, TaskKind
from async_test_lint.model.rule import Rule
from async_test_lint.semantics.callees import resolve_call
from async_test_lint.semantics.calls import call_target, last_segments, method_call
from async_test_lint.semantics.context import FileContext
from async_test_lint.syntax.traversal import Visitor, walk
from async_test_lint.syntax.usages import contains_yield, own_nodes

CREATE_TASK = frozenset({"asyncio.create_task", "asyncio.tasks.create_task"})
ENSURE_FUTURE = frozenset({"asyncio.ensure_future", "asyncio.tasks.ensure_future"})
LOOP_TYPE = "asyncio.AbstractEventLoop"
TASK_GROUP_TYPE = "asyncio.TaskGroup"
TASK_WORDS = frozenset({"create_task", "ensure_future"})


@dataclass(frozen=True)
class TaskCall:
    """A call that creates a task: how it does (`kind`), and how messages name the call."""

    kind: TaskKind
    described: str


def task_call(context: FileContext, call: cst.Call) -> TaskCall | None:
    """The task `call` creates, if it is one of the task-creating calls; None otherwise, and for
    a `create_task` whose argument is certainly not a coroutine (it raises TypeError instead)."""
    found = _task_call(context, call)
    if found is None or found.kind in (TaskKind.ENSURE_FUTURE, TaskKind.SPAWNER) or not call.args:
        return found
    argument = call.args[0].value
    if isinstance(argument, cst.Call):
        callee = resolve_call(context, argument)
        if callee is not None and callee.from_table and callee.kind != CallKind.COROUTINE:
            return None
    return found


def _task_call(context: FileContext, call: cst.Call) -> TaskCall | None:
    target = call_target(context, call)
    if target in CREATE_TASK:
        return TaskCall(TaskKind.CREATE_TASK, "asyncio.create_task")
    if target in ENSURE_FUTURE:
        return TaskCall(TaskKind.ENSURE_FUTURE, "asyncio.ensure_future")
    if target is not None and target in context.settings.task_spawners:
        return TaskCall(TaskKind.SPAWNER, target)
    method = method_call(context, call)
    if method == (LOOP_TYPE, "create_task"):
        return TaskCall(TaskKind.LOOP, "loop.create_task")
    if method == (TASK_GROUP_TYPE, "create_task"):
        return TaskCall(TaskKind.TASK_GROUP, "TaskGroup.create_task")
    return None


class TaskRule(Rule):
    """Base of the task rules: they can fire only where a task-creating call is spelled."""

    @classmethod
    def trigger_words(cls, settings: object) -> frozenset[str]:
        return task_trigger_words(settings)


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


def dropped(context: FileContext, call: cst.Call) -> str | None:
    """How the task `call` creates is thrown away: "dropped" for a bare statement, the variable's
    name for a local that is never read; None when a reference is kept."""
    if isinstance(context.parent, cst.Expr):
        return "dropped"
    target = assigned_name(context, call)
    if target is None:
        return None
    frame = context.function_frame
    if frame is None or not isinstance(frame.node, cst.FunctionDef):
        return None  # module and class attributes live on
    function = frame.node
    if is_declared_outside(context, target.value, function) or contains_yield(function):
        return None
    return None if context.reads_in(function).get(target.value) else target.value


def is_declared_outside(context: FileContext, name: str, scope: cst.CSTNode) -> bool:
    """True for a `global` or `nonlocal` name: the binding lives on after the function returns."""
    bindings = context.names.bindings(scope)  # type: ignore[arg-type]
    return name in bindings.global_names or name in bindings.nonlocal_names


# asyncio's helpers that wait for the tasks handed to them when their result is awaited.
WAITERS = frozenset(
    f"asyncio{module}.{name}"
    for module in ("", ".tasks")
    for name in ("gather", "wait", "wait_for", "shield", "as_completed")
)
# Nodes that carry a value up unchanged into an argument list or a container literal.
_VALUE_CARRIERS = (
    cst.Arg,
    cst.Element,
    cst.StarredElement,
    cst.List,
    cst.Tuple,
    cst.Set,
    cst.ListComp,
    cst.SetComp,
    cst.GeneratorExp,
)


def is_waited_in_function(context: FileContext, call: cst.Call) -> bool:
    """True when the function that creates this task waits for it, or ends it, before it returns.

    Waiting is `await` on the task, or on `asyncio.gather/wait/wait_for/shield/as_completed` of
    it (`wait` and `as_completed` without a `timeout` or `return_when`, which return while tasks
    still run), either right where it is created (`await asyncio.create_task(f())`) or later through the
    local variable, list comprehension or list it went into (`t = ...; await t`, `tasks = [...];
    await asyncio.gather(*tasks)`, `tasks.append(...)`). Ending it counts too: `t.cancel()`, and
    reading its outcome with `t.result()` or `t.exception()` (which raise unless it has ended),
    `assert t.done()` or `assert t.cancelled()`, and `t.add_done_callback(...)` on a task that is
    never stored or handed on (the function observes its end: trio code in guest mode can wait
    for an asyncio task no other way).
    A generator (a fixture) lives across its
    `yield`, so its tasks never count as waited here.
    """
    frame = context.function_frame
    if frame is None or not isinstance(frame.node, cst.FunctionDef) or contains_yield(frame.node):
        return False
    if _waited_where_created(context, call):
        return True
    holder = _holding_name(context, call)
    if holder is None:
        return False
    # Also a `nonlocal`/`global` name: awaited here, it has ended before the function returns.
    return holder in context.remember("waited-names", frame.node, lambda: _waited_names(context, frame.node))


# With these, `asyncio.wait()` and `as_completed()` may return while tasks still run.
PARTIAL_WAIT_KEYWORDS = frozenset({"timeout", "return_when"})


def _is_waiter(context: FileContext, call: cst.Call) -> bool:
    """A call of an asyncio helper that, awaited, returns only once its tasks have ended."""
    name = context.qualified_name(call.func)
    if name not in WAITERS:
        return False
    if name.endswith(("wait", "as_completed")):
        return not any(arg.keyword is not None and arg.keyword.value in PARTIAL_WAIT_KEYWORDS for arg in call.args)
    return True


def _waited_where_created(context: FileContext, call: cst.Call) -> bool:
    child: cst.CSTNode = call
    for ancestor in reversed(context.nodes[:-1]):
        if isinstance(ancestor, cst.Await):
            return True
        if isinstance(ancestor, cst.Call) and ancestor.func is not child and _is_waiter(context, ancestor):
            child = ancestor
            continue
        if not isinstance(ancestor, _VALUE_CARRIERS):
            return False
        child = ancestor
    return False


def comprehension_holder(context: FileContext, call: cst.Call) -> str | None:
    """`ts` for `ts = [<call> for ...]` (or a set comprehension) bound to a single plain name."""
    nodes = context.nodes
    if len(nodes) < 3:
        return None
    parent, grandparent = nodes[-2], nodes[-3]
    if isinstance(parent, (cst.ListComp, cst.SetComp)) and parent.elt is call and isinstance(grandparent, cst.Assign):
        targets = grandparent.targets
        if len(targets) == 1 and isinstance(targets[0].target, cst.Name):
            return targets[0].target.value
    return None


def _holding_name(context: FileContext, call: cst.Call) -> str | None:
    """The local name the task goes into: `t = call`, `ts = [call for ...]`, `ts = {call, ...}`,
    `ts.append(call)`."""
    direct = assigned_name(context, call)
    if direct is not None:
        return direct.value
    in_comprehension = comprehension_holder(context, call)
    if in_comprehension is not None:
        return in_comprehension
    in_literal = _literal_holder(context)
    if in_literal is not None:
        return in_literal
    nodes = context.nodes
    if len(nodes) < 3:
        return None
    parent, grandparent = nodes[-2], nodes[-3]
    if isinstance(parent, cst.Arg) and isinstance(grandparent, cst.Call):
        method = grandparent.func
        if (
            isinstance(method, cst.Attribute)
            and method.attr.value in ("append", "add")
            and isinstance(method.value, cst.Name)
        ):
            return method.value.value
    return None


def _literal_holder(context: FileContext) -> str | None:
    """`ts` for `ts = [<call>, ...]` (a list, tuple or set display bound to one plain name)."""
    nodes = context.nodes
    if len(nodes) < 4:
        return None
    element, display, statement = nodes[-2], nodes[-3], nodes[-4]
    if not (isinstance(element, cst.Element) and isinstance(display, (cst.List, cst.Tuple, cst.Set))):
        return None
    if isinstance(statement, cst.Assign) and statement.value is display and len(statement.targets) == 1:
        target = statement.targets[0].target
        return target.value if isinstance(target, cst.Name) else None
    return None


def _runs_to_completion(context: FileContext, call: cst.Call) -> cst.BaseExpression | None:
    """`x` for `loop.run_until_complete(x)` on a known event loop: a sync test's `await x`."""
    method = call.func
    if not (isinstance(method, cst.Attribute) and method.attr.value == "run_until_complete" and call.args):
        return None
    return call.args[0].value if context.type_of(method.value) == LOOP_TYPE else None


def _only_its_own_methods(context: FileContext, function: cst.FunctionDef, name: str) -> bool:
    """True when every read of `name` calls one of its methods: the task is never stored or handed
    on. With a done callback, such a task's end is observed by the function (trio code in guest
    mode waits for an asyncio task this way); one kept in a set lives on."""
    reads = context.reads_in(function).get(name, [])
    return all(
        isinstance(read.parent, cst.Attribute) and read.parent.value is read.name and isinstance(read.grandparent, cst.Call)
        for read in reads
    )


def _asserted_ended(test: cst.BaseExpression) -> str | None:
    """`t` for `assert t.done()` or `assert t.cancelled()`: past the assert, the task has ended."""
    if not (isinstance(test, cst.Call) and isinstance(test.func, cst.Attribute) and not test.args):
        return None
    method = test.func
    if method.attr.value in ("done", "cancelled") and isinstance(method.value, cst.Name):
        return method.value.value
    return None


class _NamesIn(Visitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)


def _names_in(node: cst.CSTNode) -> set[str]:
    collector = _NamesIn()
    walk(node, collector)
    return collector.names


# Reading a task's outcome needs a finished task (else InvalidStateError), and `cancel()` ends it.
ENDING_METHODS = frozenset({"result", "exception", "cancel"})


def _waited_names(context: FileContext, function: cst.FunctionDef) -> frozenset[str]:
    """Names the function's own body awaits, hands to an awaited waiter, cancels or reads the
    outcome of, and the names of the collections a `for` loop takes such a name from (`for t in
    tasks: await t`)."""
    waited: set[str] = set()
    # One walk of the function's own body for every kind of node the answer depends on.
    nodes = own_nodes(function, cst.Await, cst.Call, cst.Assert, cst.For)
    awaited_expressions = [node.expression for node in nodes if isinstance(node, cst.Await)]
    for call in (node for node in nodes if isinstance(node, cst.Call)):
        method = call.func  # type: ignore[attr-defined]
        if not (isinstance(method, cst.Attribute) and isinstance(method.value, cst.Name)):
            continue
        if method.attr.value in ENDING_METHODS:
            waited.add(method.value.value)
        elif method.attr.value == "add_done_callback" and _only_its_own_methods(context, function, method.value.value):
            waited.add(method.value.value)
        completed = _runs_to_completion(context, call)  # type: ignore[arg-type]
        if completed is not None:
            awaited_expressions.append(completed)
    for check in (node for node in nodes if isinstance(node, cst.Assert)):
        ended = _asserted_ended(check.test)  # type: ignore[attr-defined]
        if ended is not None:
            waited.add(ended)
    for expression in awaited_expressions:
        if isinstance(expression, cst.Name):
            waited.add(expression.value)
        elif isinstance(expression, cst.Call) and _is_waiter(context, expression):
            for arg in expression.args:
                waited |= _names_in(arg.value)
    for loop in (node for node in nodes if isinstance(node, cst.For)):
        target, source = loop.target, loop.iter  # type: ignore[attr-defined]
        if isinstance(target, cst.Name) and target.value in waited and isinstance(source, cst.Name):
            waited.add(source.value)
    return frozenset(waited)
