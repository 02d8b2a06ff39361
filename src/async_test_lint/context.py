"""Where the walk is: the stacks every rule asks instead of keeping booleans of its own.

The walk pushes a frame for each scope: module, class, function, lambda and comprehension. A
function's frame is pushed when the walk enters its body, so decorators, default values and
annotations belong to the enclosing scope, as at run time. A nested sync `def` or a `lambda` inside
an `async def` is a frame of its own and is not the loop's code; a comprehension inherits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar
from pathlib import Path

import libcst as cst

from async_test_lint.config import PytestConfig, Settings
from async_test_lint.names import NameResolver, ScopeNode
from async_test_lint.project import ProjectIndex
from async_test_lint.usages import Read, collect_reads

UNITTEST_CASES = frozenset(
    {
        "unittest.TestCase",
        "unittest.IsolatedAsyncioTestCase",
        "unittest.case.TestCase",
        "unittest.async_case.IsolatedAsyncioTestCase",
        "django.test.TestCase",
        "django.test.SimpleTestCase",
        "django.test.TransactionTestCase",
    }
)
T = TypeVar("T")
FIXTURE_DECORATORS = frozenset({"pytest.fixture", "pytest_asyncio.fixture"})
UNITTEST_FIXTURE_METHODS = frozenset({"setUp", "asyncSetUp", "tearDown", "asyncTearDown"})


@dataclass
class Frame:
    kind: str  # module, class, function, lambda, comprehension
    node: ScopeNode
    is_async: bool = False
    is_test: bool = False
    is_fixture: bool = False
    # For classes: pytest collects its methods, or it is a unittest TestCase.
    is_test_class: bool = False
    is_unittest_class: bool = False


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
    _reads: dict[int, dict[str, list[Read]]] = field(default_factory=dict)
    # Results rules share within this file, keyed by (what, id(node)).
    memo: dict[tuple[str, int], object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.names = NameResolver(self.module, self.module_name, self.is_package)
        self.names.parameter_type = self.fixture_parameter_type
        self.frames.append(Frame("module", self.module))

    # --- positions in the tree ---------------------------------------------------------------

    @property
    def parent(self) -> cst.CSTNode | None:
        """The parent of the node being visited."""
        return self.nodes[-2] if len(self.nodes) > 1 else None

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

    def is_bound(self, name: str) -> bool:
        return self.names.is_bound_anywhere(name, self.scopes)

    def reads_in(self, scope: cst.FunctionDef | cst.Lambda | cst.Module) -> dict[str, list[Read]]:
        """Every read of every name in `scope` (nested scopes included), computed once per scope."""
        key = id(scope)
        if key not in self._reads:
            self._reads[key] = collect_reads(scope)
        return self._reads[key]

    def fixture_parameter_type(self, function: ScopeNode, name: str) -> str | None:
        """The type fact of parameter `name` of a test or fixture: the fixture's, if known."""
        frame = next((f for f in self.frames if f.node is function), None)
        if frame is None or not (frame.is_test or frame.is_fixture):
            return None
        same_file = self.remember("fixtures", self.module, self._same_file_fixtures)
        if name in same_file:
            return same_file[name]
        if self.project is None:
            return None
        return self.project.conftest_fixture_type(Path(self.path), name)

    def _same_file_fixtures(self) -> dict[str, str]:
        if self.project is None or not self.module_name:
            return {}
        module = self.project.modules.get(self.module_name)
        return dict(module.fixtures) if module is not None else {}

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
        frame = Frame("function", node, is_async=node.asynchronous is not None)
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
        frame = Frame("class", node)
        scopes = self.scopes
        for base in node.bases:
            if base.keyword is not None:
                continue
            qualified = self.names.qualified_name(base.value, scopes)
            simple = base.value.value if isinstance(base.value, cst.Name) else None
            if qualified in UNITTEST_CASES or (simple in self.test_class_names and self.frames[-1].kind == "module"):
                frame.is_unittest_class = True
        if not frame.is_unittest_class and self.frames[-1].kind == "module" and self.is_test_file:
            frame.is_test_class = self.pytest.matches_class(node.name.value) and not _defines_init(node)
        if frame.is_unittest_class:
            self.test_class_names.add(node.name.value)
        self.frames.append(frame)

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


def _defines_init(node: cst.ClassDef) -> bool:
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    return any(isinstance(s, cst.FunctionDef) and s.name.value == "__init__" for s in body)


def is_test_path(path: Path, settings: Settings, pytest: PytestConfig) -> bool:
    from async_test_lint.config import matches_test_file

    patterns = settings.test_files or pytest.python_files
    return matches_test_file(path, tuple(patterns))
