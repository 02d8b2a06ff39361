"""Which async library runs a piece of code: asyncio, trio, anyio, or "cannot tell".

Every fix that writes a library call (`await asyncio.sleep(...)`, a timeout, a task) asks this one
question, because a call of the wrong library breaks correct code: `asyncio.sleep` under
`trio.run` raises `RuntimeError: no running event loop`, and `trio.sleep` under asyncio raises too.

The answer comes from the innermost place that declares a library, then from the module:
1. The enclosing functions and classes, innermost first: a pytest mark (`@pytest.mark.asyncio`,
   `@pytest.mark.anyio`, `@pytest.mark.trio`, also in a class's `pytestmark`), a fixture
   decorator of one library (`pytest_asyncio.fixture`, `pytest_trio.trio_fixture`), anyio's
   `anyio_backend` fixture requested as a parameter, or an asyncio-only unittest base
   (`IsolatedAsyncioTestCase`, aiohttp's `AioHTTPTestCase`).
2. The module's `pytestmark`.
3. The libraries the module imports (anywhere in it), and the package it belongs to (trio's and
   anyio's own modules): anyio when it imports anyio (`anyio.sleep` works under both of anyio's
   backends and under any asyncio loop), trio when trio is the only one, asyncio when asyncio is
   the only one.
4. pytest-asyncio's auto mode, for a module that imports none of the three: every unmarked async
   test runs under asyncio there.

Two different libraries declared at one level, or a module that imports trio and asyncio, is
"cannot tell" (None): the caller reports without a fix.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import libcst as cst

from async_test_lint.model.kinds import UnittestKind
from async_test_lint.syntax.traversal import Visitor, walk

if TYPE_CHECKING:
    from async_test_lint.semantics.context import FileContext, Frame

AsyncLibrary = Literal["asyncio", "trio", "anyio"]

MARKS: dict[str, AsyncLibrary] = {
    "pytest.mark.asyncio": "asyncio",
    "pytest.mark.anyio": "anyio",
    "pytest.mark.trio": "trio",
}
FIXTURE_DECORATORS: dict[str, AsyncLibrary] = {
    "pytest_asyncio.fixture": "asyncio",
    "pytest_trio.trio_fixture": "trio",
}
# Requesting this fixture makes anyio's pytest plugin run the test, under every backend it lists.
BACKEND_FIXTURES: dict[str, AsyncLibrary] = {"anyio_backend": "anyio"}
UNITTEST_LIBRARIES: dict[UnittestKind, AsyncLibrary] = {
    UnittestKind.ISOLATED_ASYNCIO: "asyncio",
    UnittestKind.AIOHTTP: "asyncio",
}
# Top-level packages whose import says which library the module's code runs under.
IMPORTED_PACKAGES: dict[str, AsyncLibrary] = {
    "asyncio": "asyncio",
    "pytest_asyncio": "asyncio",
    "trio": "trio",
    "pytest_trio": "trio",
    "anyio": "anyio",
}
# Packages whose own modules run under their library without importing it by that name.
OWN_PACKAGES: dict[str, AsyncLibrary] = {"trio": "trio", "anyio": "anyio"}
# Bridges that run one library inside another: their modules are "cannot tell".
BRIDGES = frozenset({"trio_asyncio", "sniffio"})

_UNDECIDED = "undecided"


def running_library(context: FileContext) -> AsyncLibrary | None:
    """The async library the code being visited runs under; None when it cannot be told."""
    for frame in reversed(context.frames):
        declared = _declared_by_frame(context, frame)
        if declared != _UNDECIDED:
            return declared  # type: ignore[return-value]
    return context.remember("module-library", context.module, lambda: _module_library(context))


def _declared_by_frame(context: FileContext, frame: Frame) -> AsyncLibrary | None | str:
    """What one frame declares: a library, None (a conflict), or _UNDECIDED (nothing said)."""
    found = _frame_libraries(context, frame)
    if found is None:
        return _UNDECIDED
    return _only(found) if found else _UNDECIDED


def _frame_libraries(context: FileContext, frame: Frame) -> set[AsyncLibrary] | None:
    """The libraries one function, class or module frame declares; None for other frames."""
    node = frame.node
    if isinstance(node, cst.FunctionDef):
        return _decorator_libraries(context, node) | _parameter_libraries(node)
    if isinstance(node, cst.ClassDef):
        found = _decorator_libraries(context, node) | _pytestmark_libraries(context, node.body.body)
        return found | _base_libraries(context, node)
    if isinstance(node, cst.Module):
        return _pytestmark_libraries(context, node.body)
    return None


def declared_libraries(context: FileContext) -> set[AsyncLibrary]:
    """Every library the enclosing functions, classes and the module declare (marks, `pytestmark`,
    library fixture decorators, `anyio_backend`, an asyncio unittest base), innermost or not; not
    what the module imports nor the mode."""
    found: set[AsyncLibrary] = set()
    for frame in context.frames:
        declared = _frame_libraries(context, frame)
        if declared is not None:
            found |= declared
    return found


def mark_library(context: FileContext, expr: cst.BaseExpression, scope_of: cst.CSTNode) -> AsyncLibrary | None:
    """The library a mark or fixture decorator declares (`pytest.mark.asyncio(loop_scope=...)` too),
    resolved in the scopes around `scope_of` (the decorated def or class); None for anything else."""
    return _mark_library(context, expr, scope_of)


def _only(found: set[AsyncLibrary]) -> AsyncLibrary | None:
    return next(iter(found)) if len(found) == 1 else None


def _mark_library(context: FileContext, expr: cst.BaseExpression, scope_of: cst.CSTNode) -> AsyncLibrary | None:
    if isinstance(expr, cst.Call):
        expr = expr.func
    name = context.names.qualified_name(expr, _enclosing_scopes(context, scope_of))
    if name is None:
        return None
    return MARKS.get(name) or FIXTURE_DECORATORS.get(name)


def _enclosing_scopes(context: FileContext, node: cst.CSTNode) -> list:
    # Decorators, bases and a class's `pytestmark` are evaluated in the scope around the def or
    # class, so they are resolved in the scopes outside its frame.
    scopes = context.scopes
    for index, scope in enumerate(scopes):
        if scope is node:
            return scopes[index + 1 :] if not isinstance(node, cst.Module) else scopes[index:]
    return scopes


def _decorator_libraries(context: FileContext, node: cst.FunctionDef | cst.ClassDef) -> set[AsyncLibrary]:
    found = (_mark_library(context, decorator.decorator, node) for decorator in node.decorators)
    return {library for library in found if library is not None}


def _parameter_libraries(node: cst.FunctionDef) -> set[AsyncLibrary]:
    params = node.params
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    return {BACKEND_FIXTURES[p.name.value] for p in every if p.name.value in BACKEND_FIXTURES}


def _base_libraries(context: FileContext, node: cst.ClassDef) -> set[AsyncLibrary]:
    """asyncio for a class whose unittest base (directly or through project classes, as the
    context resolved it when the walk entered the class) runs its tests on an asyncio loop."""
    frame = next((frame for frame in context.frames if frame.node is node), None)
    kind = frame.unittest_kind if frame is not None else None
    return {UNITTEST_LIBRARIES[kind]} if kind in UNITTEST_LIBRARIES else set()


def _pytestmark_libraries(context: FileContext, body: object) -> set[AsyncLibrary]:
    found: set[AsyncLibrary] = set()
    for statement in body:  # type: ignore[attr-defined]
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            value = _pytestmark_value(small)
            if value is None:
                continue
            marks = value.elements if isinstance(value, (cst.List, cst.Tuple)) else ()
            expressions = [element.value for element in marks] or [value]
            for expr in expressions:
                library = _mark_library(context, expr, context.module)
                if library is not None:
                    found.add(library)
    return found


def pytestmark_values(body: object) -> list[cst.BaseExpression]:
    """The values assigned to `pytestmark` by the statements of a module's or class's body."""
    values = []
    for statement in body:  # type: ignore[attr-defined]
        if isinstance(statement, cst.SimpleStatementLine):
            values.extend(v for small in statement.body if (v := _pytestmark_value(small)) is not None)
    return values


def _pytestmark_value(statement: cst.BaseSmallStatement) -> cst.BaseExpression | None:
    if isinstance(statement, cst.Assign) and any(
        isinstance(target.target, cst.Name) and target.target.value == "pytestmark" for target in statement.targets
    ):
        return statement.value
    if (
        isinstance(statement, cst.AnnAssign)
        and isinstance(statement.target, cst.Name)
        and statement.target.value == "pytestmark"
    ):
        return statement.value
    return None


class _ImportedPackages(Visitor):
    def __init__(self) -> None:
        self.packages: set[str] = set()

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.Import):
            for alias in node.names:
                self.packages.add(_top_package(alias.name))
            return False
        if isinstance(node, cst.ImportFrom):
            if not node.relative and node.module is not None:
                self.packages.add(_top_package(node.module))
            return False
        return not isinstance(node, (cst.BaseExpression,))


def _top_package(name: cst.BaseExpression) -> str:
    while isinstance(name, cst.Attribute):
        name = name.value
    return name.value if isinstance(name, cst.Name) else ""


def imported_packages(module: cst.Module) -> frozenset[str]:
    """The top-level package of every absolute import in the module, at any depth."""
    collector = _ImportedPackages()
    walk(module, collector)
    return frozenset(collector.packages)


def _module_library(context: FileContext) -> AsyncLibrary | None:
    packages = imported_packages(context.module)
    if packages & BRIDGES:
        return None
    libraries = {IMPORTED_PACKAGES[package] for package in packages if package in IMPORTED_PACKAGES}
    own = OWN_PACKAGES.get((context.module_name or "").partition(".")[0])
    if own is not None:
        libraries.add(own)
    if "anyio" in libraries:
        return "anyio"
    if libraries:
        return _only(libraries)
    if context.pytest.asyncio_mode == "auto":
        return "asyncio"
    return None
