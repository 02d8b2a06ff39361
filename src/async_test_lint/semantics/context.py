"""Where the walk is: the stacks every rule asks instead of keeping booleans of its own.

The walk pushes a frame for each scope: module, class, function, lambda and comprehension. A
function's frame is pushed when the walk enters its body, so decorators, default values and
annotations belong to the enclosing scope, as at run time. A nested sync `def` or a `lambda` inside
an `async def` is a frame of its own and is not the loop's code; a comprehension inherits.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import libcst as cst

from async_test_lint.knowledge import plugin_facts
from async_test_lint.knowledge.plugin_facts import FixtureInfo
from async_test_lint.model.kinds import FrameKind, UnittestKind
from async_test_lint.project.index import (
    ClassInfo,
    FixtureLookup,
    ModuleInfo,
    ProjectIndex,
    content_digest,
    read_module,
)
from async_test_lint.semantics.fixtures import FixtureClosure, FixtureResolver
from async_test_lint.semantics.flow import Flow, build_flow
from async_test_lint.settings.config import PytestConfig, Settings
from async_test_lint.syntax.defs import FIXTURE_DECORATORS
from async_test_lint.syntax.names import NameResolver, ScopeNode
from async_test_lint.syntax.traversal import Visitor, walk
from async_test_lint.syntax.usages import Read, collect_reads

if TYPE_CHECKING:
    from async_test_lint.semantics.managers import ManagerItem

# The unittest-style bases whose kind is known, by qualified name (public and definition-site).
UNITTEST_BASES: dict[str, UnittestKind] = {
    "unittest.TestCase": UnittestKind.TEST_CASE,
    "unittest.case.TestCase": UnittestKind.TEST_CASE,
    "unittest.IsolatedAsyncioTestCase": UnittestKind.ISOLATED_ASYNCIO,
    "unittest.async_case.IsolatedAsyncioTestCase": UnittestKind.ISOLATED_ASYNCIO,
    "aiohttp.test_utils.AioHTTPTestCase": UnittestKind.AIOHTTP,
    "django.test.TestCase": UnittestKind.DJANGO,
    "django.test.SimpleTestCase": UnittestKind.DJANGO,
    "django.test.TransactionTestCase": UnittestKind.DJANGO,
    "django.test.testcases.TestCase": UnittestKind.DJANGO,
    "django.test.testcases.SimpleTestCase": UnittestKind.DJANGO,
    "django.test.testcases.TransactionTestCase": UnittestKind.DJANGO,
}
UNITTEST_CASES = frozenset(UNITTEST_BASES)
# How many project base classes deep a unittest base is looked for.
MAX_BASE_DEPTH = 8
T = TypeVar("T")
UNITTEST_FIXTURE_METHODS = frozenset({"setUp", "asyncSetUp", "tearDown", "asyncTearDown"})
PARAMETRIZE = "pytest.mark.parametrize"
# Decorators that pass mocks as the leading arguments (pytest does not treat those as fixtures).
MOCK_PATCHERS = ("unittest.mock.patch", "mock.patch")
# How many base classes deep a test case attribute is looked for.
MAX_CLASS_DEPTH = 8


@dataclass
class Frame:
    kind: FrameKind
    node: ScopeNode
    is_async: bool = False
    is_test: bool = False
    is_fixture: bool = False
    # For classes: pytest collects its methods, or it is a unittest TestCase.
    is_test_class: bool = False
    is_unittest_class: bool = False
    # For a unittest-style class: which base it derives from (directly or through project classes).
    unittest_kind: UnittestKind | None = None


@dataclass
class FileContext:
    """Everything a rule may ask about the file being linted and the walk's position in it."""

    path: str
    source: str
    module: cst.Module
    settings: Settings
    pytest: PytestConfig
    is_test_file: bool
    project: ProjectIndex | None = None
    module_name: str | None = None
    is_package: bool = False
    names: NameResolver = field(init=False)
    frames: list[Frame] = field(default_factory=list)
    nodes: list[cst.CSTNode] = field(default_factory=list)
    test_class_names: set[str] = field(default_factory=set)
    # The unittest kind of each module-level unittest class seen so far in this file.
    test_class_kinds: dict[str, UnittestKind] = field(default_factory=dict)
    _reads: dict[int, dict[str, list[Read]]] = field(default_factory=dict)
    # Results rules share within this file, keyed by (what, id(node)).
    memo: dict[tuple[str, int], object] = field(default_factory=dict)
    # The `with` statements whose body the walk is in, innermost last, each with the number of
    # frames when it was entered (its items are resolved in those scopes). A def, lambda or class
    # body starts a fresh list (semantics/managers.py says why); the outer ones wait here.
    _withs: list[tuple[cst.With, int]] = field(default_factory=list)
    _outer_withs: list[list[tuple[cst.With, int]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.names = NameResolver(self.module, self.module_name, self.is_package)
        self.names.parameter_type = self.fixture_parameter_type
        self.names.instance_attribute_type = self.test_case_attribute_type
        self.frames.append(Frame(FrameKind.MODULE, self.module))

    # --- positions in the tree ---------------------------------------------------------------

    @property
    def parent(self) -> cst.CSTNode | None:
        """The parent of the node being visited."""
        return self.nodes[-2] if len(self.nodes) > 1 else None

    @property
    def scope_name(self) -> str:
        """`TestServer.test_start` where the walk is: the enclosing classes and functions."""
        return ".".join(frame.node.name.value for frame in self.frames if frame.kind in ("class", "function"))

    @property
    def scopes(self) -> list[ScopeNode]:
        return [frame.node for frame in reversed(self.frames)]

    @property
    def function_frame(self) -> Frame | None:
        """The innermost def or lambda (comprehensions belong to it)."""
        for frame in reversed(self.frames):
            if frame.kind in ("function", "lambda"):
                return frame
            if frame.kind in ("class", "module"):
                return None
        return None

    @property
    def in_coroutine(self) -> bool:
        """True when the code being visited runs on the event loop, in an `async def`'s own body."""
        frame = self.function_frame
        return frame is not None and frame.is_async

    @property
    def directly_in_function(self) -> bool:
        """True when no comprehension stands between the node and its def (an `await` fits here)."""
        return self.frames[-1].kind in ("function", "lambda")

    @property
    def test_or_fixture_frame(self) -> Frame | None:
        frame = self.function_frame
        if frame is not None and (frame.is_test or frame.is_fixture):
            return frame
        return None

    # --- names -------------------------------------------------------------------------------

    # Several rules ask about the same callee of the same call; a node's scopes do not change
    # during the walk, so the answers are kept per node.
    def qualified_name(self, expr: cst.BaseExpression) -> str | None:
        return self.remember("qualified", expr, lambda: self.names.qualified_name(expr, self.scopes))

    def type_of(self, expr: cst.BaseExpression) -> str | None:
        return self.remember("type", expr, lambda: self.names.type_of(expr, self.scopes))

    def remember(self, what: str, node: cst.CSTNode, compute: Callable[[], T]) -> T:
        """`compute()` once per node; the node is kept with the answer, so a temporary node's
        recycled id can never hit another node's answer."""
        key = (what, id(node))
        entry = self.memo.get(key)
        if entry is None or entry[0] is not node:  # type: ignore[index]
            entry = self.memo[key] = (node, compute())
        return entry[1]  # type: ignore[index, no-any-return]

    # --- managers and flow -------------------------------------------------------------------

    @property
    def managers(self) -> tuple[ManagerItem, ...]:
        """The `with`/`async with` items around the node being visited, innermost last, classified
        (deadline, transaction, lock, pipeline, expectation, other) once per `with`, when asked."""
        if not self._withs:
            return ()
        # Imported here: it resolves receivers with callees.py, which imports this module.
        from async_test_lint.semantics import managers

        found: list[ManagerItem] = []
        for statement, depth in self._withs:
            classify = functools.partial(managers.items_of, self, statement, self.scopes_at(depth))
            found.extend(self.remember("managers", statement, classify))
        return tuple(found)

    def scopes_at(self, depth: int) -> list[ScopeNode]:
        """The scopes of the outermost `depth` frames, innermost first."""
        return [frame.node for frame in reversed(self.frames[:depth])]

    def classify_manager(self, expr: cst.BaseExpression) -> tuple[str, str | None]:
        """What `expr` would be as a `with` item here (`pytest.raises(E, f)`: an expectation)."""
        from async_test_lint.semantics import managers

        return managers.classify(self, expr, self.scopes)

    def enter_with_body(self, node: cst.With) -> None:
        self._withs.append((node, len(self.frames)))

    def leave_with_body(self) -> None:
        self._withs.pop()

    def start_managers(self) -> None:
        """A def, lambda or class body: none of the enclosing `with`s is around its code."""
        self._outer_withs.append(self._withs)
        self._withs = []

    def restore_managers(self) -> None:
        self._withs = self._outer_withs.pop()

    def flow(self, function: cst.FunctionDef) -> Flow:
        """The function's statements, reaching definitions and await points, built on first ask."""
        return self.remember("flow", function, lambda: build_flow(function))

    def is_bound(self, name: str) -> bool:
        return self.names.is_bound_anywhere(name, self.scopes)

    def reads_in(self, scope: cst.FunctionDef | cst.Lambda | cst.Module) -> dict[str, list[Read]]:
        """Every read of every name in `scope` (nested scopes included), computed once per scope."""
        key = id(scope)
        if key not in self._reads:
            self._reads[key] = collect_reads(scope)
        return self._reads[key]

    # --- fixtures and test case attributes ---------------------------------------------------

    def fixture_parameter_type(self, function: ScopeNode, name: str) -> str | None:
        """The type fact of parameter `name` of a test or fixture: the fact of the fixture pytest
        gives it, found in pytest's order (the test's class and its bases, the test module, the
        conftest.py files nearest first, modules named by `pytest_plugins`, well-known plugins).
        The nearest definition decides, also when it gives no fact."""
        found = self.resolve_fixture(function, name)
        return found.type if found is not None else None

    def resolve_fixture(self, function: ScopeNode, name: str) -> FixtureLookup | None:
        """The fixture pytest gives parameter `name` of a test or fixture being walked (see
        semantics/fixtures.py); None when `name` is no fixture parameter or nothing defines it."""
        place = self._fixture_place(function)
        if place is None:
            return None
        resolver, frame, outer = place
        assert isinstance(function, cst.FunctionDef)
        if not self._is_fixture_parameter(function, name, self.frames[self.frames.index(frame) - 1], outer):
            return None
        requester = self._own_fixture(function, resolver) if frame.is_fixture else None
        return resolver.resolve_fixture(name, requester)

    def fixture_closure(self, function: ScopeNode) -> FixtureClosure | None:
        """Every fixture a test or fixture being walked sets up (see semantics/fixtures.py)."""
        place = self._fixture_place(function)
        if place is None:
            return None
        resolver, frame, outer = place
        assert isinstance(function, cst.FunctionDef)
        enclosing = self.frames[self.frames.index(frame) - 1]
        params = function.params
        requests = [
            p.name.value
            for p in (*params.params, *params.kwonly_params)
            if self._is_fixture_parameter(function, p.name.value, enclosing, outer)
        ]
        requester = self._own_fixture(function, resolver) if frame.is_fixture else None
        return resolver.fixture_closure(requests, requester)

    def _fixture_place(self, function: ScopeNode) -> tuple[FixtureResolver, Frame, list[ScopeNode]] | None:
        """The fixtures visible to a test or fixture on the frame stack (a method of a class at
        module level, or a module-level function), not to unittest methods."""
        position = next((i for i, f in enumerate(self.frames) if f.node is function), None)
        if position is None or position == 0 or not isinstance(function, cst.FunctionDef):
            return None
        frame, enclosing = self.frames[position], self.frames[position - 1]
        if not (frame.is_test or frame.is_fixture) or enclosing.is_unittest_class:
            return None
        own = self._own_module_info()
        if own is None:
            return None
        cls = None
        if enclosing.kind == "class":
            cls = own.classes.get(enclosing.node.name.value) if isinstance(enclosing.node, cst.ClassDef) else None
            if position != 2 or cls is None:  # only classes at module level are known
                return None
        elif enclosing.kind != "module":
            return None
        key = f"fixture resolver {cls.qualified_name if cls is not None else ''}"
        resolver = self.remember(key, self.module, lambda: FixtureResolver(own, Path(self.path), self.project, cls))
        return resolver, frame, [f.node for f in reversed(self.frames[:position])]

    def _own_fixture(self, function: cst.FunctionDef, resolver: FixtureResolver) -> FixtureInfo:
        """The fixture a fixture function being walked defines (`def q(q)` asks beyond it)."""
        name = _fixture_name(function)
        fixtures = resolver.cls.fixtures if resolver.cls is not None else resolver.module.fixtures
        # Read from the same text, the index's reading agrees; if not, a bare name skips the
        # function's own level all the same.
        return fixtures.get(name) or FixtureInfo(name)

    def _own_module_info(self) -> ModuleInfo | None:
        """This file's fixtures, classes and imports, read from the text being linted (the
        index may hold another module under the same name, or an older version of this one).
        When the index read this very text (same content digest), its reading is reused: reading
        the file again with `ast` costs as much as a tenth of a libcst parse."""
        return self.remember("own module info", self.module, self._read_own_module)

    def _read_own_module(self) -> ModuleInfo | None:
        name = self.module_name or Path(self.path).stem
        if self.project is not None:
            path = Path(self.path).resolve()
            indexed = self.project.files.get(path)
            if indexed is not None and indexed.name == name and self.project.digests.get(path) == content_digest(self.source):
                return indexed
        return read_module(name, self.source, self.is_package)

    def _is_fixture_parameter(
        self, function: cst.FunctionDef, name: str, enclosing: Frame, outer: Sequence[ScopeNode]
    ) -> bool:
        """pytest's rule: a positional-or-keyword or keyword-only parameter without a default,
        not `self`, not supplied by a mock patch decorator or by `pytest.mark.parametrize`."""
        params = function.params
        param = next((p for p in (*params.params, *params.kwonly_params) if p.name.value == name), None)
        if param is None or param.default is not None:
            return False
        positional = [*params.posonly_params, *params.params]
        if enclosing.kind == "class" and positional and positional[0] is param:
            return False  # self
        marks = [d.decorator for d in function.decorators]
        if enclosing.kind == "class" and isinstance(enclosing.node, cst.ClassDef):
            marks.extend(d.decorator for d in enclosing.node.decorators)
            marks.extend(self._pytestmark(enclosing.node))
        marks.extend(self._pytestmark(self.module))
        for mark in marks:
            for call in _calls_in(mark):
                callee = self.names.qualified_name(call.func, outer)
                if callee == PARAMETRIZE:
                    argnames = _parametrized_names(call)
                    if argnames is None or name in argnames:
                        return False
            callee = self.names.qualified_name(mark.func if isinstance(mark, cst.Call) else mark, outer)
            if callee is not None and callee.startswith(MOCK_PATCHERS):
                return False  # the leading parameters are mocks: which ones is not worth guessing
        return True

    def _pytestmark(self, scope: cst.Module | cst.ClassDef) -> list[cst.BaseExpression]:
        bindings = self.names.bindings(scope).names.get("pytestmark", [])
        return [b.value for b in bindings if b.value is not None]

    def test_case_attribute_type(self, expr: cst.Attribute, scopes: Sequence[ScopeNode]) -> str | None:
        """The type fact of `self.x` set by a well-known test case base class of self's class
        (`self.loop` in an `aiohttp.test_utils.AioHTTPTestCase`), when no class in between binds
        `x` and every base is known."""
        if not isinstance(expr.value, cst.Name):
            return None
        found = self.names.instance_class(expr.value.value, scopes)
        if found is None:
            return None
        cls, outer = found
        attribute = expr.attr.value
        return self.remember(
            f"test case attribute {attribute}", cls, lambda: self._test_case_attribute(cls, outer, attribute)
        )

    def _test_case_attribute(self, cls: cst.ClassDef, outer: Sequence[ScopeNode], attribute: str) -> str | None:
        facts: set[str] = set()
        if not self._class_node_attribute(cls, outer, attribute, facts, 0):
            return None
        return facts.pop() if len(facts) == 1 else None

    def _class_node_attribute(
        self, cls: cst.ClassDef, outer: Sequence[ScopeNode], attribute: str, facts: set[str], depth: int
    ) -> bool:
        """Collects the facts the bases of a class of this file give `attribute`; False when the
        class binds it or a base cannot be read (then there is no fact)."""
        if depth >= MAX_CLASS_DEPTH or attribute in self._bound_attributes(cls):
            return False
        for base in cls.bases:
            if base.keyword is not None:
                continue  # metaclass=...
            local = self.names.lookup(base.value.value, outer) if isinstance(base.value, cst.Name) else None
            if local is not None and len(local[0]) == 1 and local[0][0].kind == "class":
                definition = local[0][0].definition
                assert isinstance(definition, cst.ClassDef)
                if not self._class_node_attribute(definition, outer[local[1] :], attribute, facts, depth + 1):
                    return False
                continue
            qualified = self.names.qualified_name(base.value, outer)
            if qualified is None or not self._indexed_class_attribute(qualified, attribute, facts, depth + 1):
                return False
        return True

    def _indexed_class_attribute(self, qualified: str, attribute: str, facts: set[str], depth: int) -> bool:
        known = plugin_facts.test_case_attributes(qualified)
        if known is not None:
            if attribute in known:
                facts.add(known[attribute])
            return True
        if qualified == "builtins.object":
            return True
        found = self.project.lookup(qualified) if self.project is not None else None
        if not isinstance(found, ClassInfo) or found.opaque_bases or attribute in found.bound_attributes:
            return False
        if depth >= MAX_CLASS_DEPTH:
            return False
        return all(self._indexed_class_attribute(base, attribute, facts, depth + 1) for base in found.bases)

    def _bound_attributes(self, cls: cst.ClassDef) -> frozenset[str]:
        """Names the class body binds, and `x` of every `self.x` its methods store or delete."""
        def compute() -> frozenset[str]:
            bound = set(self.names.bindings(cls).names)
            body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
            for statement in body:
                if isinstance(statement, cst.FunctionDef):
                    positional = [*statement.params.posonly_params, *statement.params.params]
                    if positional:
                        collector = _StoredAttributes(positional[0].name.value)
                        walk(statement.body, collector)
                        bound.update(collector.found)
            return frozenset(bound)

        return self.remember("bound attributes", cls, compute)

    def module_alias_for(self, module: str) -> str | None:
        """A name that refers to `module` here (`aio` after `import asyncio as aio`), if any."""
        if self.qualified_name(cst.Name(module)) == module:
            return module
        for name, bindings in self.names.bindings(self.module).names.items():
            if all(b.kind == "import" and b.qualified_name == module for b in bindings):
                if self.qualified_name(cst.Name(name)) == module:
                    return name
        return None

    # --- frames ------------------------------------------------------------------------------

    def enter_function(self, node: cst.FunctionDef) -> None:
        frame = Frame(FrameKind.FUNCTION, node, is_async=node.asynchronous is not None)
        enclosing = self.frames[-1]
        if self._has_decorator(node, FIXTURE_DECORATORS):
            frame.is_fixture = True
        elif enclosing.kind == "module":
            frame.is_test = self.is_test_file and self.pytest.matches_function(node.name.value)
        elif enclosing.kind == "class":
            frame.is_test, frame.is_fixture = self._method_role(node, enclosing)
        if not frame.is_test and self._has_decorator(node, frozenset(self.settings.test_decorators)):
            frame.is_test = True
        self.frames.append(frame)

    def _method_role(self, node: cst.FunctionDef, cls: Frame) -> tuple[bool, bool]:
        name = node.name.value
        if cls.is_unittest_class:
            return name.startswith("test"), name in UNITTEST_FIXTURE_METHODS
        return cls.is_test_class and self.pytest.matches_function(name), False

    def enter_class(self, node: cst.ClassDef) -> None:
        frame = Frame(FrameKind.CLASS, node)
        at_module_level = self.frames[-1].kind == FrameKind.MODULE
        frame.unittest_kind = self._unittest_kind(node, at_module_level)
        frame.is_unittest_class = frame.unittest_kind is not None
        if not frame.is_unittest_class and at_module_level and self.is_test_file:
            frame.is_test_class = self.pytest.matches_class(node.name.value) and not _defines_init(node)
        if frame.unittest_kind is not None and at_module_level:
            self.test_class_names.add(node.name.value)
            self.test_class_kinds[node.name.value] = frame.unittest_kind
        self.frames.append(frame)

    def _unittest_kind(self, node: cst.ClassDef, at_module_level: bool) -> UnittestKind | None:
        """The most specific unittest base among the class's bases: a known base by name, a
        unittest class earlier in this file, or a project class whose bases lead to one."""
        scopes = self.scopes
        kinds = set()
        for base in node.bases:
            if base.keyword is not None:
                continue
            simple = base.value.value if isinstance(base.value, cst.Name) else None
            if at_module_level and simple in self.test_class_kinds:
                kinds.add(self.test_class_kinds[simple])
                continue
            qualified = self.names.qualified_name(base.value, scopes)
            found = self._kind_of_base(qualified, 0) if qualified is not None else None
            if found is not None:
                kinds.add(found)
        async_kinds = kinds - {UnittestKind.TEST_CASE}
        if len(async_kinds) > 1:
            return None  # two different async bases: which one runs the tests is not certain
        return next(iter(async_kinds), UnittestKind.TEST_CASE if kinds else None)

    def _kind_of_base(self, qualified: str, depth: int) -> UnittestKind | None:
        known = UNITTEST_BASES.get(qualified)
        if known is not None or self.project is None or depth >= MAX_BASE_DEPTH:
            return known
        cls = self.project.lookup(qualified)
        if not isinstance(cls, ClassInfo):
            return None
        kinds = {kind for base in cls.bases if (kind := self._kind_of_base(base, depth + 1)) is not None}
        async_kinds = kinds - {UnittestKind.TEST_CASE}
        if len(async_kinds) > 1:
            return None
        return next(iter(async_kinds), UnittestKind.TEST_CASE if kinds else None)

    def _has_decorator(self, node: cst.FunctionDef, names: frozenset[str]) -> bool:
        if not names:
            return False
        # Decorators are evaluated in the enclosing scope: resolve them there.
        scopes = self.scopes
        for decorator in node.decorators:
            expr = decorator.decorator
            if isinstance(expr, cst.Call):
                expr = expr.func
            if self.names.qualified_name(expr, scopes) in names:
                return True
        return False


def _fixture_name(node: cst.FunctionDef) -> str:
    """A fixture's name: `@pytest.fixture(name="x")` or the function's own."""
    for decorator in node.decorators:
        if isinstance(decorator.decorator, cst.Call):
            for arg in decorator.decorator.args:
                if arg.keyword is not None and arg.keyword.value == "name" and isinstance(arg.value, cst.SimpleString):
                    value = arg.value.evaluated_value
                    return value if isinstance(value, str) else node.name.value
    return node.name.value


def _calls_in(expr: cst.BaseExpression) -> list[cst.Call]:
    """The calls of a mark expression: `pytest.mark.parametrize(...)`, or a list of marks."""
    if isinstance(expr, cst.Call):
        return [expr]
    if isinstance(expr, (cst.List, cst.Tuple)):
        return [call for element in expr.elements for call in _calls_in(element.value)]
    return []


def _parametrized_names(call: cst.Call) -> set[str] | None:
    """The argument names of `pytest.mark.parametrize("a, b", ...)`; None when not literal."""
    positional = [arg for arg in call.args if arg.keyword is None]
    named = [arg for arg in call.args if arg.keyword is not None and arg.keyword.value == "argnames"]
    first = named[0] if named else positional[0] if positional else None
    if first is None or first.star:
        return None
    value = first.value
    strings = [value] if isinstance(value, cst.SimpleString) else (
        [e.value for e in value.elements] if isinstance(value, (cst.List, cst.Tuple)) else []
    )
    names: set[str] = set()
    for string in strings:
        text = string.evaluated_value if isinstance(string, cst.SimpleString) else None
        if not isinstance(text, str):
            return None
        names.update(part.strip() for part in text.split(","))
    return names if strings else None


class _StoredAttributes(Visitor):
    """`x` of every `<instance>.x` stored or deleted (`=`, `+=`, `for`, `with ... as`, `del`)."""

    def __init__(self, instance: str) -> None:
        self.instance = instance
        self.found: set[str] = set()

    def _target(self, node: cst.BaseExpression) -> None:
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == self.instance:
            self.found.add(node.attr.value)
        elif isinstance(node, (cst.Tuple, cst.List)):
            for element in node.elements:
                self._target(element.value)
        elif isinstance(node, cst.StarredElement):
            self._target(node.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._target(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._target(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._target(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        if isinstance(node.name, cst.BaseExpression):
            self._target(node.name)

    def visit_Del(self, node: cst.Del) -> None:
        self._target(node.target)


def _defines_init(node: cst.ClassDef) -> bool:
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    return any(isinstance(s, cst.FunctionDef) and s.name.value == "__init__" for s in body)


def is_test_path(path: Path, settings: Settings, pytest: PytestConfig) -> bool:
    from async_test_lint.settings.config import matches_test_file

    patterns = settings.test_files or pytest.python_files
    return matches_test_file(path, tuple(patterns))
