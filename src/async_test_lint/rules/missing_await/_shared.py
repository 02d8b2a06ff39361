"""Where an un-awaited coroutine or awaitable ends up, and which ATL1xx code that makes.

One classifier serves every rule of the family, so that each call is reported once, at the code
of highest priority (ATL107 > ATL108 > ATL103 > ATL104 > ATL105 > ATL106 > ATL102 > ATL101), and
each rule module only turns its own code into a finding.

A call is consumed, and nothing is reported, when it is awaited, passed to any call that is not a
plain value sink, returned, yielded, stored in an attribute, subscript or container, entered with
`async with`, iterated with `async for`, or assigned to a name that is later used in one of those
ways (or closed, sent to or thrown into).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from async_test_lint.knowledge import known_apis
from async_test_lint.model.rule import Fix, Rule
from async_test_lint.project.index import ProjectIndex
from async_test_lint.semantics.callees import AWAITABLE_KINDS, Callee, resolve_call, resolve_callable
from async_test_lint.semantics.calls import awaited, last_segments
from async_test_lint.semantics.context import FileContext, Frame
from async_test_lint.semantics.managers import may_be_expectation, shown_name
from async_test_lint.syntax.names import is_type_checking_guard
from async_test_lint.syntax.usages import Read

# Calls whose result only shows a value: a coroutine given to them is looked at, never run.
VALUE_SINKS = frozenset(
    {
        "builtins.bool", "builtins.str", "builtins.repr", "builtins.int", "builtins.float",
        "builtins.len", "builtins.print", "builtins.isinstance", "builtins.hash", "builtins.format",
        "builtins.list", "builtins.dict", "builtins.sorted", "builtins.sum",
        "json.dumps", "pytest.approx",
    }
)
# Value sinks that iterate: given an async generator, the mistake is the iteration (ATL104).
ITERATING_VALUE_SINKS = frozenset({"builtins.list", "builtins.dict", "builtins.sorted", "builtins.sum"})
# Calls that iterate their argument synchronously.
ITERATING_SINKS = frozenset(
    {
        "builtins.tuple", "builtins.set", "builtins.frozenset", "builtins.enumerate", "builtins.zip",
        "builtins.any", "builtins.all", "builtins.min", "builtins.max", "builtins.iter", "builtins.next",
    }
)
UNITTEST_VALUE_ASSERTS = frozenset(
    {
        "assertTrue", "assertFalse", "assertIsNone", "assertIsNotNone", "assertEqual", "assertNotEqual",
        "assertIn", "assertNotIn", "assertIsInstance", "assertNotIsInstance", "assertIs", "assertIsNot",
        "assertGreater", "assertLess", "assertAlmostEqual", "assertCountEqual",
    }
)
# Coroutine methods that use a coroutine object without running it wrongly: a deliberate close.
COROUTINE_HANDLING = frozenset(
    {
        "close", "send", "throw", "aclose", "asend", "athrow",
        # The protocols driven by hand: `await cm.__aenter__()`, `gen.__anext__()`.
        "__await__", "__aenter__", "__aexit__", "__aiter__", "__anext__",
    }
)



@dataclass(frozen=True)
class Unawaited:
    """An awaitable that is never awaited: its code, its callee, and how it is misused."""

    code: str
    callee: Callee
    how: str = ""  # ATL103: assert/condition/comparison/value; ATL104: iterate/enter; ATL107: the manager
    name: str = ""  # ATL102/ATL105: the variable holding it
    callable_form: bool = False  # ATL107's `pytest.raises(E, f, *args)`: the call is the manager
    # ATL102: later reads of the variable that use the coroutine as a value (reported as ATL103).
    value_reads: tuple[tuple[cst.Name, str], ...] = ()


def find_unawaited(context: FileContext, call: cst.Call) -> Unawaited | None:
    """The ATL1xx finding for `call` (the node being visited), computed once per call."""
    return context.remember("unawaited", call, lambda: _classify(context, call))


def _classify(context: FileContext, call: cst.Call) -> Unawaited | None:
    frame = _deciding_frame(context)
    if frame is None or _under_type_checking(context):
        return None  # module and class level: stored, never run here
    callable_form = _expectation_callable_form(context, call)
    if callable_form is not None:
        return callable_form
    callee = resolve_call(context, call)
    if callee is None or callee.kind not in AWAITABLE_KINDS:
        return None
    use = _use(context, callee, len(context.nodes) - 1)
    if use is None:
        return None
    if frame.is_async:
        return use
    if use.code == "ATL109":
        return None
    if use.code in ("ATL101", "ATL102", "ATL103") and (frame.is_test or frame.is_fixture):
        return Unawaited("ATL108", callee, use.how, use.name, value_reads=use.value_reads)
    # A sync helper may create a coroutine to hand it on; dropping or storing it is its business.
    return None if use.code in ("ATL101", "ATL102") else use


def _deciding_frame(context: FileContext) -> Frame | None:
    """The def whose kind (async or not, test or not) decides the code: a lambda inherits it."""
    for frame in reversed(context.frames):
        if frame.kind == "function":
            return frame
        if frame.kind in ("class", "module"):
            return None
    return None


def _under_type_checking(context: FileContext) -> bool:
    nodes = context.nodes
    return any(
        isinstance(node, cst.If) and is_type_checking_guard(node.test) and nodes[i + 1] is node.body
        for i, node in enumerate(nodes[:-1])
    )


def _use(context: FileContext, callee: Callee, position: int) -> Unawaited | None:
    """How the expression at `context.nodes[position]` is used (a call, or a container of calls)."""
    nodes = context.nodes
    child = nodes[position]
    index = position - 1
    while index >= 0 and isinstance(nodes[index], cst.IfExp) and nodes[index].test is not child:
        child, index = nodes[index], index - 1
    if index < 0:
        return None
    parent = nodes[index]
    grandparent = nodes[index - 1] if index > 0 else None
    if _is_container_of(parent, child):
        return _container_use(context, callee, index)
    if isinstance(parent, cst.Await):
        if child is not nodes[-1]:
            return None
        if callee.kind == "async_gen":
            return Unawaited("ATL105", callee, "await")
        # An async context manager that is not awaitable: `await` raises TypeError.
        return Unawaited("ATL104", callee, "await") if callee.kind == "async_cm" else None
    if isinstance(parent, cst.Expr):
        return _bare(context, callee, index)
    if isinstance(parent, cst.Arg):
        return _argument(context, callee, parent, grandparent)
    if isinstance(parent, (cst.Assign, cst.AnnAssign, cst.NamedExpr)):
        return _assigned(context, callee, parent, index)
    if isinstance(parent, cst.Return):
        return Unawaited("ATL109", callee) if callee.kind == "coroutine" and child is nodes[-1] else None
    return _value_use(context, callee, parent, child, index)


_CONTAINERS = (cst.List, cst.Tuple, cst.Set, cst.ListComp, cst.SetComp, cst.GeneratorExp)


def _is_container_of(parent: cst.CSTNode, child: cst.CSTNode) -> bool:
    if isinstance(parent, cst.Element) and parent.value is child:
        return True
    return isinstance(parent, (cst.ListComp, cst.SetComp, cst.GeneratorExp)) and parent.elt is child


def _container_use(context: FileContext, callee: Callee, index: int) -> Unawaited | None:
    """A call inside a list, tuple, set or comprehension: flagged when the container is dropped,
    stored unused or only looked at; anything else (gathered, iterated, passed on) consumes it."""
    nodes = context.nodes
    while index >= 0 and not isinstance(nodes[index], _CONTAINERS):
        index -= 1
    if index < 0:
        return None
    use = _use(context, callee, index)
    if use is None or use.code not in ("ATL101", "ATL102", "ATL103"):
        return None
    return Unawaited(use.code, callee, use.how, use.name, value_reads=use.value_reads)


def _bare(context: FileContext, callee: Callee, index: int) -> Unawaited:
    manager = _expectation_block(context, index)
    if manager is not None:
        return Unawaited("ATL107", callee, manager)
    if callee.kind == "async_gen":
        return Unawaited("ATL105", callee)
    if callee.kind == "future":
        return Unawaited("ATL106", callee)
    return Unawaited("ATL101", callee)


def _argument(
    context: FileContext, callee: Callee, arg: cst.Arg, call: cst.CSTNode | None
) -> Unawaited | None:
    if arg.star == "*":
        return Unawaited("ATL104", callee, "unpack")
    if not isinstance(call, cst.Call):
        return None
    target = context.qualified_name(call.func)
    if target in ITERATING_VALUE_SINKS and callee.kind == "async_gen":
        return Unawaited("ATL104", callee, "iterate")
    if target in VALUE_SINKS or _is_string_format(call):
        return Unawaited("ATL103", callee, "value")
    if target in ITERATING_SINKS:
        return Unawaited("ATL104", callee, "iterate")
    if (
        isinstance(call.func, cst.Attribute)
        and isinstance(call.func.value, cst.Name)
        and call.func.value.value == "self"
        and call.func.attr.value in UNITTEST_VALUE_ASSERTS
    ):
        return Unawaited("ATL103", callee, "assert")
    return None


def _is_string_format(call: cst.Call) -> bool:
    func = call.func
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value == "format"
        and isinstance(func.value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _assigned(context: FileContext, callee: Callee, parent: cst.CSTNode, index: int) -> Unawaited | None:
    target = parent.targets[0].target if isinstance(parent, cst.Assign) and len(parent.targets) == 1 else None
    if isinstance(parent, (cst.AnnAssign, cst.NamedExpr)):
        target = parent.target
    if isinstance(target, (cst.Tuple, cst.List)) and context.nodes[-1] is _assigned_value(parent):
        return Unawaited("ATL104", callee, "unpack")
    if not isinstance(target, cst.Name):
        return None  # stored in an attribute, subscript or several names: it escapes
    if isinstance(parent, (cst.Assign, cst.AnnAssign)):
        manager = _expectation_block(context, index)
        if manager is not None:
            return Unawaited("ATL107", callee, manager)
    frame = context.function_frame
    if frame is None or not isinstance(frame.node, cst.FunctionDef):
        return None
    bindings = context.names.bindings(frame.node)
    if target.value in bindings.global_names or target.value in bindings.nonlocal_names:
        return None
    reads = [read for read in context.reads_in(frame.node).get(target.value, []) if read.name is not target]
    if reads:
        # Only a read that may see this assignment uses its coroutine: not one before it in
        # straight-line code, nor one that sees only a later re-assignment.
        flow = context.flow(frame.node)
        reads = [read for read in reads if flow.may_reach(target, read.name)]
    if any(_consumes(context, read) for read in reads):
        return None
    if callee.kind == "async_gen":
        return Unawaited("ATL105", callee, name=target.value)
    if callee.kind == "future":
        return Unawaited("ATL106", callee, name=target.value)
    value_reads = tuple(
        (read.name, how) for read in reads if (how := _value_read(context, read)) is not None
    )
    return Unawaited("ATL102", callee, name=target.value, value_reads=value_reads)


def _assigned_value(parent: cst.CSTNode) -> cst.CSTNode | None:
    return getattr(parent, "value", None)


def _value_read(context: FileContext, read: Read) -> str | None:
    """How a read of a variable holding a coroutine looks at its value (ATL103), if it does."""
    parent, grandparent = read.parent, read.grandparent
    if isinstance(parent, (cst.Comparison, cst.ComparisonTarget)):
        return "assert" if isinstance(grandparent, cst.Assert) else "comparison"
    if isinstance(parent, cst.Assert):
        return "assert"
    if isinstance(parent, (cst.If, cst.While, cst.UnaryOperation, cst.BooleanOperation)):
        return "condition"
    if isinstance(parent, (cst.FormattedStringExpression, cst.Attribute, cst.Subscript)):
        return "value"
    if isinstance(parent, cst.Arg) and isinstance(grandparent, cst.Call):
        if context.qualified_name(grandparent.func) in VALUE_SINKS:
            return "value"
        func = grandparent.func
        if isinstance(func, cst.Attribute) and func.attr.value in UNITTEST_VALUE_ASSERTS:
            return "assert"
    return None


def _consumes(context: FileContext, read: Read) -> bool:
    """Whether a later read of the variable awaits, hands over, stores or closes the awaitable."""
    parent = read.parent
    if isinstance(parent, (cst.Await, cst.Return, cst.Yield, cst.Element, cst.DictElement, cst.From)):
        return True
    if isinstance(parent, cst.Arg):
        call = read.grandparent
        if not isinstance(call, cst.Call):
            return True
        if isinstance(call.func, cst.Attribute) and call.func.attr.value in UNITTEST_VALUE_ASSERTS:
            return False
        target = context.qualified_name(call.func)
        return target not in VALUE_SINKS and target not in ITERATING_SINKS
    if isinstance(parent, cst.Attribute):
        return parent.attr.value in COROUTINE_HANDLING
    if isinstance(parent, (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.NamedExpr)):
        return True  # passed on to another name or container: followed no further
    if isinstance(parent, (cst.For, cst.With, cst.WithItem)):
        return getattr(parent, "asynchronous", None) is not None or isinstance(parent, cst.WithItem)
    if isinstance(parent, (cst.Lambda, cst.IfExp, cst.Subscript, cst.SubscriptElement, cst.Index)):
        return True
    return False


def _value_use(
    context: FileContext, callee: Callee, parent: cst.CSTNode, child: cst.CSTNode, index: int
) -> Unawaited | None:
    if isinstance(parent, cst.Attribute) and parent.value is child:
        if parent.attr.value in COROUTINE_HANDLING:
            return None
        return Unawaited("ATL103", callee, "value")
    if isinstance(parent, cst.Subscript) and parent.value is child:
        return Unawaited("ATL103", callee, "value")
    if isinstance(parent, (cst.For, cst.CompFor)) and parent.iter is child:
        return None if parent.asynchronous is not None else Unawaited("ATL104", callee, "iterate")
    if isinstance(parent, cst.WithItem):
        with_node = context.nodes[index - 1] if index > 0 else None
        is_async = isinstance(with_node, cst.With) and with_node.asynchronous is not None
        return None if is_async else Unawaited("ATL104", callee, "enter")
    if isinstance(parent, cst.From):
        return None if _in_decorated_generator(context) else Unawaited("ATL104", callee, "iterate")
    if isinstance(parent, cst.StarredElement):
        return Unawaited("ATL104", callee, "unpack")
    if isinstance(parent, (cst.Comparison, cst.ComparisonTarget)):
        return Unawaited("ATL103", callee, _assert_or(context, index, "comparison"))
    if _is_condition(parent, child):
        return Unawaited("ATL103", callee, _assert_or(context, index, "condition"))
    if isinstance(parent, (cst.FormattedStringExpression, cst.BinaryOperation)):
        return Unawaited("ATL103", callee, "value")
    return None


def _in_decorated_generator(context: FileContext) -> bool:
    """`yield from` inside a decorated def: `@asyncio.coroutine`/`@types.coroutine` make it a
    generator-based coroutine, and an unknown decorator may too."""
    frame = _deciding_frame(context)
    return frame is not None and isinstance(frame.node, cst.FunctionDef) and bool(frame.node.decorators)


def _is_condition(parent: cst.CSTNode, child: cst.CSTNode) -> bool:
    if isinstance(parent, (cst.If, cst.While, cst.IfExp)):
        return parent.test is child
    if isinstance(parent, cst.Assert):
        return parent.test is child
    if isinstance(parent, cst.CompIf):
        return True
    if isinstance(parent, cst.UnaryOperation):
        return isinstance(parent.operator, cst.Not)
    return isinstance(parent, cst.BooleanOperation)


def _assert_or(context: FileContext, index: int, otherwise: str) -> str:
    """`assert` when the value use is part of an assert statement's test."""
    for node in reversed(context.nodes[: index + 1]):
        if isinstance(node, (cst.BaseSmallStatement, cst.BaseCompoundStatement)):
            return "assert" if isinstance(node, cst.Assert) else otherwise
    return otherwise


# --- exception expectations -----------------------------------------------------------------


def _expectation_block(context: FileContext, index: int) -> str | None:
    """The manager (`pytest.raises`, `self.assertRaises`, ...) of the `with` whose block holds the
    statement at `nodes[index]` directly, or `try/except` for a one-statement `try` body."""
    nodes = context.nodes
    statement_line = nodes[index - 1] if index > 0 else None
    if not isinstance(statement_line, cst.SimpleStatementLine):
        return None
    managers = context.managers
    if managers:
        innermost = managers[-1].statement
        body = innermost.body
        if (
            innermost.asynchronous is None
            and isinstance(body, cst.IndentedBlock)
            and any(statement is statement_line for statement in body.body)
        ):
            for item in managers:
                if item.statement is innermost and item.kind == "expectation":
                    return shown_name(item.node.item, item.qualified_name)
    if _sole_statement_of_try(context, index - 1):
        return "try/except"
    return None


def _sole_statement_of_try(context: FileContext, line_index: int) -> bool:
    """Whether the statement line at `nodes[line_index]` is the whole body of a `try` with handlers."""
    nodes = context.nodes
    block = nodes[line_index - 1] if line_index > 0 else None
    owner = nodes[line_index - 2] if line_index > 1 else None
    return (
        isinstance(owner, cst.Try)
        and isinstance(block, cst.IndentedBlock)
        and owner.body is block
        and len(block.body) == 1
        and bool(owner.handlers)
    )


def _expectation_callable_form(context: FileContext, call: cst.Call) -> Unawaited | None:
    """`pytest.raises(E, coroutine_function, *args)`: pytest calls it and gets a coroutine."""
    if len(call.args) < 2 or not may_be_expectation(call):
        return None
    kind, qualified = context.classify_manager(call)
    if kind != "expectation" or qualified == "contextlib.suppress":
        return None
    manager = shown_name(call, qualified)
    if manager is None:
        return None
    function = call.args[1]
    if function.keyword is not None or function.star:
        return None
    callee = resolve_callable(context, function.value)
    if callee is None or callee.kind != "coroutine":
        return None
    return Unawaited("ATL107", callee, manager, callable_form=True)


# A file can only hold an un-awaited call if it defines an async def, uses a mock, or names a
# known async API or an awaitable def of the project.
BASE_TRIGGERS = frozenset({"async", "AsyncMock", "patch", "autospec", "spec"})


@functools.lru_cache(maxsize=1)
def _known_api_words() -> frozenset[str]:
    table = known_apis.known_apis()
    return BASE_TRIGGERS | last_segments(name for name, kind in table.kinds.items() if kind != "sync")


class UnawaitedRule(Rule):
    """Shared logic of the ATL1xx rules: report a call when the classifier gives it this code.

    `async_cm_message`, where a rule has one, is said instead of `message` when the callee returns
    an async context manager that is not awaitable (an `@asynccontextmanager` factory): the advice
    there is `async with`, and `await` would raise `TypeError`.
    """

    async_cm_message: ClassVar[str | None] = None

    @classmethod
    def trigger_words(cls, settings: object) -> frozenset[str]:
        return _known_api_words()

    @classmethod
    def project_trigger_words(cls, project: ProjectIndex) -> frozenset[str]:
        return project.awaitable_names

    def visit_Call(self, node: cst.Call) -> None:
        found = find_unawaited(self.context, node)
        if found is None:
            return
        if found.code == self.code:
            template = self.message
            if found.callee.kind == "async_cm" and self.async_cm_message is not None:
                template = self.async_cm_message
            message = template.format(callee=found.callee.name, how=found.how, name=found.name)
            self.report(node, message, fix=self._await_fix(node, found))
        if self.code == "ATL103" and found.code == "ATL102":
            for read, how in found.value_reads:
                self.report(read, self.message.format(callee=found.callee.name, how=how, name=found.name))

    def _await_fix(self, node: cst.Call, found: Unawaited) -> Fix | None:
        """`await` before the call: only where the callee is certainly a coroutine function and the
        call stands directly in an `async def` (not in a comprehension, lambda or nested def)."""
        if self.fix_title is None or found.callable_form or not found.callee.certain:
            return None
        if not (self.context.in_coroutine and self.context.directly_in_function):
            return None
        return Fix(awaited(node, self.context.parent), self.fix_title)
