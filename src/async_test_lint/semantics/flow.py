"""The flow of one function: its steps in order with their branches, which assignments each read of
a local name may see (reaching definitions), and the await points between two statements.

Built from libcst nodes, on first ask, once per function (`FileContext.flow`). A step (`Point`) is
a small statement (`x = f()`, `return x`) or a part of a compound statement's header: the test of
an `if`/`while`, the iterable of a `for` and each round's fetch and target, the items of a `with`
and its exit, an `except` clause, a `case` pattern. Each has its events in evaluation order (reads,
assignments, deletions, awaits) and its successors.

The answers are "may" answers and err towards more paths, never fewer:
- a read in a loop may see an assignment later in the loop body (the back edge);
- any step of a `try` body may raise, before or after its assignments, into each `except` clause
  and the `finally`; any step of a `with` body may raise into the `with`'s exit, which may swallow
  the exception; a `finally` (and a `with` exit) continues to every place a jump through it was
  going, and to the next statement;
- a `case` pattern's captures may be bound when the pattern fails; a walrus on the right of
  `and`/`or`, in a conditional expression or a comprehension may not run, so it replaces nothing;
- a `for` loop's target is bound only when a round starts: an empty loop leaves the old value.

Only the function's own local names are tracked. A name declared `global` or `nonlocal` here, or
`nonlocal` in a nested function (which can rebind it at any call), is not; nor is a read inside a
nested def, lambda or class (it runs when called), or inside a generator expression beyond its
first iterable (it runs when consumed). For those, `reaching` says None: unknown, anything may
reach. The names a comprehension binds are its own, not the function's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import libcst as cst

from async_test_lint.syntax.traversal import Visitor, code_fields, walk

EventKind = Literal["read", "bind", "maybe-bind", "delete", "await"]
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
_NESTED_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


@dataclass(frozen=True)
class Event:
    """`read`/`bind`/`maybe-bind`/`delete` of `name` at `node` (the Name), or an `await` point:
    an `Await`, an `async for` (each round) or an `async with` (enter and exit)."""

    kind: EventKind
    node: cst.CSTNode
    name: str | None = None


@dataclass(eq=False)
class Point:
    """One step of the function; `node` is the statement it belongs to (the function itself for
    the entry and exit), `kind` says which part of it."""

    index: int
    kind: str  # entry, exit, statement, if, while, for, for-next, for-target, with, with-exit,
    # try, except, except-end, else, finally, match, case
    node: cst.CSTNode
    events: list[Event] = field(default_factory=list)
    successors: list[int] = field(default_factory=list)
    # Where it goes when it raises: the `except` clauses, `finally` or `with` exit around it.
    raises_to: list[int] = field(default_factory=list)

    @property
    def awaits(self) -> tuple[cst.CSTNode, ...]:
        return tuple(event.node for event in self.events if event.kind == "await")


@dataclass
class _Loop:
    head: int  # where `continue` goes
    cleanups: int  # how many `finally`/`with` were open when the loop started
    breaks: list[int] = field(default_factory=list)


@dataclass
class _Cleanup:
    """A `finally` or a `with` exit: jumps out of its body run it first, then go on."""

    jumps: list[tuple[str, _Loop | None, list[int]]] = field(default_factory=list)


class Flow:
    """The answers for one function; see the module docstring for what "may" means here."""

    def __init__(self, function: cst.FunctionDef, points: list[Point], builder: _Builder) -> None:
        self.function = function
        self.points: tuple[Point, ...] = tuple(points)
        self._statement_points = builder.statement_points
        self._statement_ends = builder.statement_ends
        self._statement_spans = builder.statement_spans
        self._untracked = builder.untracked
        self._definitions: list[cst.Name] = []
        self._definition_bits: dict[int, int] = {}
        self._name_masks: dict[str, int] = {}
        self._reads: dict[int, tuple[cst.Name, int]] = {}
        self._predecessors: list[list[int]] | None = None
        self._solve()

    # --- reaching definitions ----------------------------------------------------------------

    def is_tracked(self, name: str) -> bool:
        return name in self._name_masks

    def definitions(self, name: str) -> tuple[cst.Name, ...]:
        """Every binding of local `name` in the function, in source order (parameters first)."""
        return self._bits_to_nodes(self._name_masks.get(name, 0))

    def reaching(self, read: cst.Name) -> tuple[cst.Name, ...] | None:
        """The bindings (their Name nodes: a target, a parameter, a def's or import's name) that
        `read` may see; () when it sees none (unbound); None when the read is not tracked."""
        found = self._reads.get(id(read))
        if found is None or found[0] is not read:
            return None
        return self._bits_to_nodes(found[1])

    def may_reach(self, definition: cst.Name, read: cst.Name) -> bool:
        """False only when `read` certainly cannot see the value bound at `definition`."""
        found = self._reads.get(id(read))
        bit = self._definition_bits.get(id(definition))
        if found is None or found[0] is not read or bit is None:
            return True
        return bool(found[1] & bit)

    # --- statements and await points -----------------------------------------------------------

    def points_of(self, statement: cst.CSTNode) -> tuple[Point, ...]:
        """The steps of a statement's own header (not of its body), in order."""
        return tuple(self.points[i] for i in self._statement_points.get(id(statement), ()))

    def awaits_between(self, first: cst.CSTNode, second: cst.CSTNode) -> tuple[cst.CSTNode, ...]:
        """The await points that may run after `first` completes and before `second` starts, on
        a path that does not run either of them again in between (the awaits inside `first`,
        its body included, are its own)."""
        ends = self._statement_ends.get(id(first))
        span = self._statement_spans.get(id(first))
        target = self._statement_points.get(id(second))
        if not ends or span is None or not target:
            return ()
        goal = target[0]
        stop = set(range(*span)) | {goal}
        forward = self._reachable([s for end in ends for s in self._out(end)], stop)
        backward = self._reachable(self._in(goal), stop, backwards=True)
        between = sorted(forward & backward)
        return tuple(node for index in between for node in self.points[index].awaits)

    def _out(self, index: int) -> list[int]:
        point = self.points[index]
        return point.successors + point.raises_to

    def _in(self, index: int) -> list[int]:
        if self._predecessors is None:
            self._predecessors = [[] for _ in self.points]
            for point in self.points:
                for successor in self._out(point.index):
                    self._predecessors[successor].append(point.index)
        return self._predecessors[index]

    def _reachable(self, starts: Iterable[int], stop: set[int], backwards: bool = False) -> set[int]:
        seen: set[int] = set()
        todo = [s for s in starts if s not in stop]
        while todo:
            index = todo.pop()
            if index in seen:
                continue
            seen.add(index)
            following = self._in(index) if backwards else self._out(index)
            todo.extend(n for n in following if n not in seen and n not in stop)
        return seen

    # --- solving -------------------------------------------------------------------------------

    def _bits_to_nodes(self, bits: int) -> tuple[cst.Name, ...]:
        return tuple(node for i, node in enumerate(self._definitions) if bits >> i & 1)

    def _solve(self) -> None:
        for point in self.points:
            for event in point.events:
                if event.kind in ("bind", "maybe-bind") and event.name not in self._untracked:
                    assert isinstance(event.node, cst.Name) and event.name is not None
                    bit = 1 << len(self._definitions)
                    self._definitions.append(event.node)
                    self._definition_bits[id(event.node)] = bit
                    self._name_masks[event.name] = self._name_masks.get(event.name, 0) | bit
        # What a step hands to where it raises: what it started with and all it bound on the way.
        bound_on_the_way = [0] * len(self.points)
        for point in self.points:
            for event in point.events:
                if event.kind in ("bind", "maybe-bind"):
                    bound_on_the_way[point.index] |= self._definition_bits.get(id(event.node), 0)
        incoming = [0] * len(self.points)
        changed = True
        while changed:
            changed = False
            for point in self.points:
                state = incoming[point.index]
                out = self._replay(point, state, record=False)
                for successor in point.successors:
                    merged = incoming[successor] | out
                    if merged != incoming[successor]:
                        incoming[successor], changed = merged, True
                raised = state | bound_on_the_way[point.index]
                for handler in point.raises_to:
                    merged = incoming[handler] | raised
                    if merged != incoming[handler]:
                        incoming[handler], changed = merged, True
        for point in self.points:
            self._replay(point, incoming[point.index], record=True)

    def _replay(self, point: Point, state: int, record: bool) -> int:
        masks = self._name_masks
        for event in point.events:
            if event.name is None:
                continue
            mask = masks.get(event.name)
            if mask is None:
                continue
            if event.kind == "read":
                if record and isinstance(event.node, cst.Name):
                    self._reads[id(event.node)] = (event.node, state & mask)
            elif event.kind == "bind":
                state = (state & ~mask) | self._definition_bits[id(event.node)]
            elif event.kind == "maybe-bind":
                state |= self._definition_bits[id(event.node)]
            elif event.kind == "delete":
                state &= ~mask
        return state


def build_flow(function: cst.FunctionDef) -> Flow:
    builder = _Builder(function)
    return Flow(function, builder.points, builder)


class _Builder:
    def __init__(self, function: cst.FunctionDef) -> None:
        self.points: list[Point] = []
        self.statement_points: dict[int, list[int]] = {}
        self.statement_ends: dict[int, list[int]] = {}
        # The steps each statement made, its body included: [first, last).
        self.statement_spans: dict[int, tuple[int, int]] = {}
        self.untracked: set[str] = set()
        self.loops: list[_Loop] = []
        self.cleanups: list[_Cleanup] = []
        self.returns: list[int] = []
        self.current: Point | None = None
        entry = self._point("entry", function, [])
        for param in _parameters(function.params):
            self._event("bind", param.name, param.name.value)
        ends = self._block(function.body, [entry.index])
        self._point("exit", function, ends + self.returns)

    # --- steps -------------------------------------------------------------------------------

    def _point(self, kind: str, node: cst.CSTNode, predecessors: Sequence[int]) -> Point:
        point = Point(len(self.points), kind, node)
        self.points.append(point)
        for predecessor in predecessors:
            self.points[predecessor].successors.append(point.index)
        self.statement_points.setdefault(id(node), []).append(point.index)
        self.current = point
        return point

    def _event(self, kind: EventKind, node: cst.CSTNode, name: str | None = None) -> None:
        assert self.current is not None
        self.current.events.append(Event(kind, node, name))

    def _raises_into(self, first: int, last: int, targets: Sequence[int]) -> None:
        """Steps `first`..`last - 1` (a body, nested steps included) may raise into `targets`."""
        for index in range(first, last):
            self.points[index].raises_to.extend(targets)

    # --- statements ----------------------------------------------------------------------------

    def _block(self, body: cst.BaseSuite, predecessors: list[int]) -> list[int]:
        return self._statements(body.body, predecessors)

    def _statements(self, statements: Sequence[cst.CSTNode], predecessors: list[int]) -> list[int]:
        """Builds the statements in order; returns the steps the next statement follows."""
        for statement in statements:
            if isinstance(statement, cst.SimpleStatementLine):
                predecessors = self._statements(statement.body, predecessors)
                continue
            first = len(self.points)
            predecessors = self._statement(statement, predecessors)
            self.statement_ends[id(statement)] = list(predecessors)
            self.statement_spans[id(statement)] = (first, len(self.points))
        return predecessors

    def _statement(self, node: cst.CSTNode, predecessors: list[int]) -> list[int]:
        method: Callable[[cst.CSTNode, list[int]], list[int]] | None = getattr(self, f"_{type(node).__name__}", None)
        if method is not None:
            return method(node, predecessors)
        # Any other simple statement (`assert`, `pass`, ...): one step that reads its expressions.
        point = self._simple(node, predecessors)
        self._expression_fields(node)
        return [point.index]

    def _simple(self, node: cst.CSTNode, predecessors: list[int]) -> Point:
        return self._point("statement", node, predecessors)

    def _Expr(self, node: cst.Expr, predecessors: list[int]) -> list[int]:
        point = self._simple(node, predecessors)
        self._expr(node.value)
        return [point.index]

    def _Assign(self, node: cst.Assign, predecessors: list[int]) -> list[int]:
        point = self._simple(node, predecessors)
        self._expr(node.value)
        for target in node.targets:
            self._target(target.target)
        return [point.index]

    def _AnnAssign(self, node: cst.AnnAssign, predecessors: list[int]) -> list[int]:
        # A local's annotation is never evaluated; without a value nothing is bound.
        point = self._simple(node, predecessors)
        if node.value is not None:
            self._expr(node.value)
            self._target(node.target)
        elif not isinstance(node.target, cst.Name):
            self._expr(node.target)
        return [point.index]

    def _AugAssign(self, node: cst.AugAssign, predecessors: list[int]) -> list[int]:
        point = self._simple(node, predecessors)
        target = node.target
        if isinstance(target, cst.Name):
            self._event("read", target, target.value)
            self._expr(node.value)
            self._event("bind", target, target.value)
        else:
            self._expr(target)
            self._expr(node.value)
        return [point.index]

    def _Del(self, node: cst.Del, predecessors: list[int]) -> list[int]:
        point = self._simple(node, predecessors)
        self._delete(node.target)
        return [point.index]

    def _Return(self, node: cst.Return, predecessors: list[int]) -> list[int]:
        point = self._simple(node, predecessors)
        if node.value is not None:
            self._expr(node.value)
        self._jump("return", [point.index])
        return []

    def _Raise(self, node: cst.Raise, predecessors: list[int]) -> list[int]:
        self._simple(node, predecessors)
        self._expression_fields(node)
        return []  # only where it raises to: the enclosing `except`, `finally` or `with` exit

    def _Break(self, node: cst.Break, predecessors: list[int]) -> list[int]:
        point = self._simple(node, predecessors)
        self._jump("break", [point.index])
        return []

    def _Continue(self, node: cst.Continue, predecessors: list[int]) -> list[int]:
        point = self._simple(node, predecessors)
        self._jump("continue", [point.index])
        return []

    def _Global(self, node: cst.Global, predecessors: list[int]) -> list[int]:
        self.untracked.update(item.name.value for item in node.names)
        return [self._simple(node, predecessors).index]

    _Nonlocal = _Global

    def _Import(self, node: cst.Import, predecessors: list[int]) -> list[int]:
        point = self._simple(node, predecessors)
        for alias in node.names:
            bound = alias.asname.name if alias.asname is not None else _leftmost(alias.name)
            if isinstance(bound, cst.Name):
                self._event("bind", bound, bound.value)
        return [point.index]

    def _ImportFrom(self, node: cst.ImportFrom, predecessors: list[int]) -> list[int]:
        point = self._simple(node, predecessors)
        if not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                bound = alias.asname.name if alias.asname is not None else alias.name
                if isinstance(bound, cst.Name):
                    self._event("bind", bound, bound.value)
        return [point.index]

    def _FunctionDef(self, node: cst.FunctionDef, predecessors: list[int]) -> list[int]:
        # Decorators, defaults and annotations run here; the body runs when called. A `nonlocal`
        # in it (or deeper) can rebind our name at any call: such names are not tracked.
        point = self._simple(node, predecessors)
        for decorator in node.decorators:
            self._expr(decorator.decorator)
        for param in _parameters(node.params):
            if param.default is not None:
                self._expr(param.default)
            if param.annotation is not None:
                self._expr(param.annotation.annotation)
        if node.returns is not None:
            self._expr(node.returns.annotation)
        self.untracked.update(_nonlocal_names(node.body))
        self._event("bind", node.name, node.name.value)
        return [point.index]

    def _ClassDef(self, node: cst.ClassDef, predecessors: list[int]) -> list[int]:
        point = self._simple(node, predecessors)
        for decorator in node.decorators:
            self._expr(decorator.decorator)
        for arg in (*node.bases, *node.keywords):
            self._expr(arg.value)
        self.untracked.update(_nonlocal_names(node.body))
        self._event("bind", node.name, node.name.value)
        return [point.index]

    def _If(self, node: cst.If, predecessors: list[int]) -> list[int]:
        test = self._point("if", node, predecessors)
        self._expr(node.test)
        ends = self._block(node.body, [test.index])
        orelse = node.orelse
        if isinstance(orelse, cst.If):
            first = len(self.points)
            elif_ends = self._If(orelse, [test.index])
            self.statement_ends[id(orelse)] = elif_ends
            self.statement_spans[id(orelse)] = (first, len(self.points))
            ends = ends + elif_ends
        elif isinstance(orelse, cst.Else):
            ends = ends + self._block(orelse.body, [test.index])
        else:
            ends = ends + [test.index]
        return ends

    def _While(self, node: cst.While, predecessors: list[int]) -> list[int]:
        test = self._point("while", node, predecessors)
        self._expr(node.test)
        loop = _Loop(test.index, len(self.cleanups))
        self.loops.append(loop)
        ends = self._block(node.body, [test.index])
        self.loops.pop()
        for end in ends:
            self.points[end].successors.append(test.index)
        after = self._block(node.orelse.body, [test.index]) if node.orelse is not None else [test.index]
        return after + loop.breaks

    def _For(self, node: cst.For, predecessors: list[int]) -> list[int]:
        iterable = self._point("for", node, predecessors)
        self._expr(node.iter)
        # Each round fetches (an await point for `async for`), then binds the target; when the
        # iterator is done, the target keeps its old value.
        fetch = self._point("for-next", node, [iterable.index])
        if node.asynchronous is not None:
            self._event("await", node)
        target = self._point("for-target", node, [fetch.index])
        self._target(node.target)
        loop = _Loop(fetch.index, len(self.cleanups))
        self.loops.append(loop)
        ends = self._block(node.body, [target.index])
        self.loops.pop()
        for end in ends:
            self.points[end].successors.append(fetch.index)
        after = self._block(node.orelse.body, [fetch.index]) if node.orelse is not None else [fetch.index]
        return after + loop.breaks

    def _With(self, node: cst.With, predecessors: list[int]) -> list[int]:
        is_async = node.asynchronous is not None
        enter = self._point("with", node, predecessors)
        for item in node.items:
            self._expr(item.item)
            if is_async:
                self._event("await", node)
            if item.asname is not None:
                self._target(item.asname.name)
        cleanup = _Cleanup()
        self.cleanups.append(cleanup)
        first = len(self.points)
        ends = self._block(node.body, [enter.index])
        last = len(self.points)
        self.cleanups.pop()
        exit_point = self._point("with-exit", node, ends)
        if is_async:
            self._event("await", node)
        # The exit runs on the way out of the body however it leaves; it may swallow an exception.
        self._raises_into(first, last, [exit_point.index])
        for _, _, sources in cleanup.jumps:
            for source in sources:
                self.points[source].successors.append(exit_point.index)
        self._resume(cleanup, [exit_point.index])
        return [exit_point.index]

    def _Try(self, node: cst.Try | cst.TryStar, predecessors: list[int]) -> list[int]:
        start = self._point("try", node, predecessors)
        cleanup = _Cleanup() if node.finalbody is not None else None
        if cleanup is not None:
            self.cleanups.append(cleanup)
        first = len(self.points)
        ends = self._block(node.body, [start.index])
        body_end = len(self.points)
        if node.orelse is not None:
            orelse = self._point("else", node.orelse, ends)
            ends = self._block(node.orelse.body, [orelse.index])
        handlers: list[int] = []
        for handler in node.handlers:
            clause = self._point("except", handler, [])
            handlers.append(clause.index)
            if handler.type is not None:
                self._expr(handler.type)
            name = handler.name.name if handler.name is not None else None
            if isinstance(name, cst.Name):
                self._event("bind", name, name.value)
            handler_ends = self._block(handler.body, [clause.index])
            if isinstance(name, cst.Name):
                # Python deletes the name when the clause ends.
                end = self._point("except-end", handler, handler_ends)
                self._event("delete", name, name.value)
                handler_ends = [end.index]
            ends = ends + handler_ends
        self._raises_into(first, body_end, handlers)
        handled_end = len(self.points)
        if cleanup is None or node.finalbody is None:
            return ends
        self.cleanups.pop()
        finally_point = self._point("finally", node.finalbody, ends)
        # Anything in the body, `else` or an `except` clause may raise into the `finally`.
        self._raises_into(first, handled_end, [finally_point.index])
        for _, _, sources in cleanup.jumps:
            for source in sources:
                self.points[source].successors.append(finally_point.index)
        ends = self._block(node.finalbody.body, [finally_point.index])
        self._resume(cleanup, ends)
        return ends

    _TryStar = _Try

    def _Match(self, node: cst.Match, predecessors: list[int]) -> list[int]:
        subject = self._point("match", node, predecessors)
        self._expr(node.subject)
        ends: list[int] = []
        failed = [subject.index]
        for case in node.cases:
            pattern = self._point("case", case, failed)
            self._pattern(case.pattern)
            if case.guard is not None:
                self._expr(case.guard)
            ends = ends + self._block(case.body, [pattern.index])
            failed = [pattern.index]
        return ends + failed

    # --- jumps ---------------------------------------------------------------------------------

    def _jump(self, kind: str, sources: list[int], loop: _Loop | None = None) -> None:
        """`return`, `break` or `continue` from `sources`: through the innermost `finally` or
        `with` exit it leaves, or straight to where it goes."""
        if kind == "return":
            if self.cleanups:
                self.cleanups[-1].jumps.append((kind, None, sources))
            else:
                self.returns.extend(sources)
            return
        loop = loop or (self.loops[-1] if self.loops else None)
        if loop is None:
            return  # `break` outside a loop does not compile
        if len(self.cleanups) > loop.cleanups:
            self.cleanups[-1].jumps.append((kind, loop, sources))
        elif kind == "break":
            loop.breaks.extend(sources)
        else:
            for source in sources:
                self.points[source].successors.append(loop.head)

    def _resume(self, cleanup: _Cleanup, ends: list[int]) -> None:
        """After a `finally` or `with` exit, the jumps that went through it go on (the cleanup is
        no longer open, so the next one out takes them)."""
        for kind, loop, _ in cleanup.jumps:
            self._jump(kind, ends, loop)

    # --- expressions ---------------------------------------------------------------------------

    def _expression_fields(self, node: cst.CSTNode) -> None:
        for name in code_fields(type(node)):
            value = getattr(node, name)
            if isinstance(value, (list, tuple)):
                for item in value:
                    if isinstance(item, cst.CSTNode):
                        self._expr(item)
            elif isinstance(value, cst.CSTNode):
                self._expr(value)

    def _expr(
        self, node: cst.CSTNode, maybe: bool = False, own: frozenset[str] = frozenset(), later: bool = False
    ) -> None:
        """Events of an expression in evaluation order. `maybe`: it may not run (a walrus in it
        replaces nothing); `own`: names a comprehension binds; `later`: it runs at another time
        (a generator expression's body): reads and awaits are not recorded."""
        if isinstance(node, cst.Name):
            if not later and node.value not in own:
                self._event("read", node, node.value)
        elif isinstance(node, (cst.Attribute, cst.Arg)):  # not the attribute's or keyword's name
            self._expr(node.value, maybe, own, later)
        elif isinstance(node, cst.Await):
            self._expr(node.expression, maybe, own, later)
            if not later:
                self._event("await", node)
        elif isinstance(node, cst.NamedExpr):
            self._expr(node.value, maybe, own, later)
            if isinstance(node.target, cst.Name):
                self._event("maybe-bind" if maybe or later else "bind", node.target, node.target.value)
        elif isinstance(node, cst.BooleanOperation):
            self._expr(node.left, maybe, own, later)
            self._expr(node.right, True, own, later)
        elif isinstance(node, cst.IfExp):
            self._expr(node.test, maybe, own, later)
            self._expr(node.body, True, own, later)
            self._expr(node.orelse, True, own, later)
        elif isinstance(node, cst.Lambda):
            for param in _parameters(node.params):
                if param.default is not None:
                    self._expr(param.default, maybe, own, later)
            self.untracked.update(_nonlocal_names(node.body))
        elif isinstance(node, _COMPREHENSIONS):
            self._comprehension(node, maybe, own, later)
        else:
            for name in code_fields(type(node)):
                value = getattr(node, name)
                if isinstance(value, (list, tuple)):
                    for item in value:
                        if isinstance(item, cst.CSTNode):
                            self._expr(item, maybe, own, later)
                elif isinstance(value, cst.CSTNode):
                    self._expr(value, maybe, own, later)

    def _comprehension(self, node: cst.BaseComp, maybe: bool, own: frozenset[str], later: bool) -> None:
        """The first iterable runs here, in the enclosing scope; the rest in the comprehension's
        scope, zero or more times: now for a list, set or dict, when consumed for a generator."""
        for_in = node.for_in
        self._expr(for_in.iter, maybe, own, later)
        bound = set(own)
        clause: cst.CompFor | None = for_in
        while clause is not None:
            bound.update(_target_names(clause.target))
            clause = clause.inner_for_in
        inner, deferred = frozenset(bound), later or isinstance(node, cst.GeneratorExp)
        clause = for_in
        while clause is not None:
            if clause is not for_in:
                self._expr(clause.iter, True, inner, deferred)
            self._target(clause.target, True, inner)
            for condition in clause.ifs:
                self._expr(condition.test, True, inner, deferred)
            clause = clause.inner_for_in
        if isinstance(node, cst.DictComp):
            self._expr(node.key, True, inner, deferred)
            self._expr(node.value, True, inner, deferred)
        elif isinstance(node, cst.BaseSimpleComp):
            self._expr(node.elt, True, inner, deferred)

    def _target(self, node: cst.BaseExpression, maybe: bool = False, own: frozenset[str] = frozenset()) -> None:
        if isinstance(node, cst.Name):
            if node.value not in own:
                self._event("maybe-bind" if maybe else "bind", node, node.value)
        elif isinstance(node, (cst.Tuple, cst.List)):
            for element in node.elements:
                self._target(element.value, maybe, own)
        elif isinstance(node, cst.StarredElement):
            self._target(node.value, maybe, own)
        else:  # an attribute or subscript: its parts are read
            self._expr(node, maybe, own)

    def _delete(self, node: cst.BaseExpression) -> None:
        if isinstance(node, cst.Name):
            self._event("delete", node, node.value)
        elif isinstance(node, (cst.Tuple, cst.List)):
            for element in node.elements:
                self._delete(element.value)
        else:
            self._expr(node)

    def _pattern(self, node: cst.CSTNode) -> None:
        """A `case` pattern: value patterns and class names are read, captures may be bound."""
        if isinstance(node, cst.MatchAs):
            if node.pattern is not None:
                self._pattern(node.pattern)
            if isinstance(node.name, cst.Name):
                self._event("maybe-bind", node.name, node.name.value)
        elif isinstance(node, cst.MatchStar):
            if isinstance(node.name, cst.Name):
                self._event("maybe-bind", node.name, node.name.value)
        elif isinstance(node, cst.MatchValue):
            self._expr(node.value)
        elif isinstance(node, cst.MatchClass):
            self._expr(node.cls)
            for element in node.patterns:
                self._pattern(element.value)
            for keyword in node.kwds:
                self._pattern(keyword.pattern)
        elif isinstance(node, cst.MatchMapping):
            for element in node.elements:
                self._expr(element.key)
                self._pattern(element.pattern)
            if isinstance(node.rest, cst.Name):
                self._event("maybe-bind", node.rest, node.rest.value)
        elif isinstance(node, (cst.MatchList, cst.MatchTuple)):
            for item in node.patterns:
                self._pattern(item.value if isinstance(item, cst.MatchSequenceElement) else item)
        elif isinstance(node, cst.MatchOr):
            for option in node.patterns:
                self._pattern(option.pattern)


def _parameters(params: cst.Parameters) -> list[cst.Param]:
    found = [*params.posonly_params, *params.params, *params.kwonly_params]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            found.append(star)
    return found


def _leftmost(name: cst.BaseExpression) -> cst.BaseExpression:
    """`a` of `import a.b.c`: the name the statement binds."""
    while isinstance(name, cst.Attribute):
        name = name.value
    return name


def _target_names(node: cst.BaseExpression) -> list[str]:
    if isinstance(node, cst.Name):
        return [node.value]
    if isinstance(node, (cst.Tuple, cst.List)):
        return [name for element in node.elements for name in _target_names(element.value)]
    if isinstance(node, cst.StarredElement):
        return _target_names(node.value)
    return []


class _Nonlocals(Visitor):
    def __init__(self) -> None:
        self.found: set[str] = set()

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.found.update(item.name.value for item in node.names)


def _nonlocal_names(body: cst.CSTNode) -> set[str]:
    """Names a nested function (at any depth) declares `nonlocal`: it may rebind ours at any call."""
    collector = _Nonlocals()
    walk(body, collector)
    return collector.found
