"""ATL702: an `async def` fixture under plain `@pytest.fixture` in pytest-asyncio's strict mode.

It also holds the questions ATL708 asks too: which decorator of a def is plain `pytest.fixture`,
and whether another plugin (anyio, pytest-trio, aiohttp's) may run the file's async fixtures
(`_shared.other_runner`, plus the anyio/trio signs it does not look at).
"""

from __future__ import annotations

import weakref
from pathlib import Path

import libcst as cst

from async_test_lint.model.kinds import FrameKind
from async_test_lint.model.rule import Fix, Replace, Rule
from async_test_lint.project.index import ModuleInfo, ProjectIndex
from async_test_lint.rules.pytest_asyncio._shared import STRICT, other_runner
from async_test_lint.semantics.async_library import imported_packages
from async_test_lint.semantics.calls import module_reference, name_reference
from async_test_lint.semantics.context import FileContext, Frame

PLAIN_FIXTURE = "pytest.fixture"
ASYNCIO_FIXTURE = "pytest_asyncio.fixture"
# Packages whose import says the tests run through another plugin, which handles async fixtures
# decorated with plain `@pytest.fixture` itself (anyio's plugin, pytest-trio).
OTHER_RUNNER_PACKAGES = frozenset({"anyio", "trio", "pytest_trio", "trio_asyncio"})
# `pytest_plugins` entries (and their submodules) that run async fixtures themselves: aiohttp's
# own plugin wraps every coroutine fixture with its `loop`.
OTHER_RUNNER_PLUGINS = ("anyio", "trio", "pytest_trio", "aiohttp.pytest_plugin")
OTHER_RUNNER_MARKS = frozenset({"anyio", "trio"})
# anyio's plugin runs a test (and its async fixtures) when this fixture is in its closure.
ANYIO_BACKEND = "anyio_backend"


def fixture_decorator(context: FileContext, function: cst.FunctionDef, wanted: str) -> cst.Decorator | None:
    """The decorator of `function` (on the frame stack) that resolves to `wanted`, called or not."""
    # Decorators run in the scope around the def: resolve them outside the function's own frame.
    scopes = [scope for scope in context.scopes if scope is not function]
    for decorator in function.decorators:
        expr = decorator.decorator
        callee = expr.func if isinstance(expr, cst.Call) else expr
        if context.names.qualified_name(callee, scopes) == wanted:
            return decorator
    return None


def fixture_name(function: cst.FunctionDef) -> str:
    """The name tests request: a literal `name=` of the fixture decorator, else the function's."""
    for decorator in function.decorators:
        expr = decorator.decorator
        if isinstance(expr, cst.Call):
            for arg in expr.args:
                if arg.keyword is not None and arg.keyword.value == "name" and isinstance(arg.value, cst.SimpleString):
                    value = arg.value.evaluated_value
                    if isinstance(value, str):
                        return value
    return function.name.value


def enclosing_frame(context: FileContext, frame: Frame) -> Frame | None:
    position = next((i for i, f in enumerate(context.frames) if f is frame), None)
    return context.frames[position - 1] if position else None


def other_runner_evidence(context: FileContext) -> bool:
    """Whether async fixtures of this file may be run by anyio's, trio's or aiohttp's plugin: the
    file or a conftest.py it sees imports anyio/trio, uses their marks or `anyio_backend`, or a
    `pytest_plugins` of the project names one of their plugins. Conservative: any sign counts."""
    return other_runner(context) or context.remember(
        "other async fixture runner", context.module, lambda: _other_runner_evidence(context)
    )


def _other_runner_evidence(context: FileContext) -> bool:
    """What `other_runner` (shared with ATL701) does not look at: imports of anyio or trio, their
    marks and `anyio_backend` in the file, in a conftest.py it sees or in any test module."""
    if imported_packages(context.module) & OTHER_RUNNER_PACKAGES:
        return True
    finder = _OtherRunnerSigns()
    context.module.visit(finder)
    if finder.found:
        return True
    project = context.project
    if project is None:
        return False
    if any(_names_other_runner(plugin) for plugin in project.declared_plugins):
        return True
    conftests = project.conftest_modules(Path(context.path))
    if any(_module_has_signs(conftest) for conftest in conftests if conftest is not None):
        return True
    return _project_tests_use_other_runner(project)


def _names_other_runner(plugin: str) -> bool:
    return any(plugin == name or plugin.startswith(name + ".") for name in OTHER_RUNNER_PLUGINS)


def _module_has_signs(module: ModuleInfo) -> bool:
    if ANYIO_BACKEND in module.fixtures or any(_names_other_runner(p) for p in module.plugins):
        return True
    return any(target.partition(".")[0] in OTHER_RUNNER_PACKAGES for target in module.imports.values())


_PROJECT_SIGNS: weakref.WeakKeyDictionary[ProjectIndex, bool] = weakref.WeakKeyDictionary()


def _project_tests_use_other_runner(project: ProjectIndex) -> bool:
    """A conftest.py anywhere in the project imports anyio/trio or defines `anyio_backend`: a
    fixture may then serve anyio- or trio-run tests in files this one cannot see."""
    if project not in _PROJECT_SIGNS:
        _PROJECT_SIGNS[project] = any(
            _module_has_signs(module)
            for name, module in project.modules.items()
            if name.rpartition(".")[2] == "conftest"
        )
    return _PROJECT_SIGNS[project]


class _OtherRunnerSigns(cst.CSTVisitor):
    """`pytest.mark.anyio`/`trio` (by shape: `<x>.mark.anyio`), `anyio_backend` as a def or a
    parameter, and anyio/trio plugins named in a `pytest_plugins` string."""

    def __init__(self) -> None:
        self.found = False

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if (
            node.attr.value in OTHER_RUNNER_MARKS
            and isinstance(node.value, cst.Attribute)
            and node.value.attr.value == "mark"
        ):
            self.found = True

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == ANYIO_BACKEND:
            self.found = True

    def visit_Assign(self, node: cst.Assign) -> None:
        if any(isinstance(t.target, cst.Name) and t.target.value == "pytest_plugins" for t in node.targets):
            for string in _strings_in(node.value):
                if _names_other_runner(string):
                    self.found = True


def _strings_in(expr: cst.BaseExpression) -> list[str]:
    if isinstance(expr, cst.SimpleString):
        value = expr.evaluated_value
        return [value] if isinstance(value, str) else []
    if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
        return [s for element in expr.elements for s in _strings_in(element.value)]
    return []


def asyncio_fixture_reference(context: FileContext) -> tuple[cst.BaseExpression, tuple] | None:
    """How to write `pytest_asyncio.fixture` here, and the imports that needs."""
    found = name_reference(context, "pytest_asyncio", "fixture")
    if found is not None and not found[1]:
        return found  # a name or module import the file already has
    module = module_reference(context, "pytest_asyncio")
    if module is None:
        return found
    expression, imports = module
    return cst.Attribute(value=expression, attr=cst.Name("fixture")), imports


class AsyncFixtureWithoutAsyncioDecorator(Rule):
    """## What it does
    Flags an `async def` fixture decorated with plain `@pytest.fixture` (also `from pytest import
    fixture`, aliased or called with arguments) in a test module or `conftest.py`, when
    pytest-asyncio runs in strict mode, its default.

    ## Why is this bad?
    In strict mode pytest-asyncio runs only the async fixtures decorated with
    `@pytest_asyncio.fixture`. pytest itself does not run an `async def` fixture: with pytest 9
    and pytest-asyncio 1.5, every test that requests it, async or sync, errors at setup with
    `'test_x' requested an async fixture 'db', with no plugin or hook that handled it. This is an
    error, as pytest does not natively support it.` (a later requester in the same run may error
    with a bare `AssertionError` from pytest's fixture bookkeeping instead). pytest 8 only warned,
    and handed the test the coroutine or async generator object instead of the value.

    ## Example
    ```python
    import pytest

    @pytest.fixture
    async def db():
        yield await connect()
    ```

    Use instead:
    ```python
    import pytest_asyncio

    @pytest_asyncio.fixture
    async def db():
        yield await connect()
    ```

    ## Fix safety
    Unsafe. The decorator's callee becomes `pytest_asyncio.fixture`, its arguments kept
    (`scope=`, `params=`, `autouse=`, `name=`), and `pytest_asyncio` is imported when it is not.
    The fixture then really runs: its setup and teardown happen, and the tests that requested it
    start receiving its value, so they may fail in new ways (or pass where they errored).

    ## Known problems
    Which tests request the fixture is not established across files: in strict mode, an async
    fixture under plain `@pytest.fixture` is flagged wherever it is defined, unless there is a
    sign that another plugin runs the suite's async fixtures (anyio's and pytest-trio's handle a
    plain `@pytest.fixture` legitimately): the module or a conftest.py it sees imports anyio or
    trio, uses `pytest.mark.anyio`/`trio` or the `anyio_backend` fixture; any conftest.py of the
    project imports anyio or trio or defines `anyio_backend`; a `pytest_plugins` names anyio's,
    trio's or aiohttp's plugin; or ATL701's checks for another runner (pytest's config, a
    `pytest_pyfunc_call` hook) hold. A conftest.py fixture serving anyio-marked tests in a
    project with none of these signs is flagged wrongly; so is a strict-mode project that runs
    its async tests through some other plugin. Not flagged in auto mode (pytest-asyncio runs every
    async fixture there) nor when pytest-asyncio is disabled (`-p no:asyncio`).
    """

    code = "ATL702"
    name = "async-fixture-without-asyncio-decorator"
    message = (
        "async fixture `{fixture}` under plain `@pytest.fixture` is not run by pytest-asyncio in strict mode "
        "(tests requesting it error); use `@pytest_asyncio.fixture`"
    )
    fix_title = "Use `@pytest_asyncio.fixture`, keeping its arguments"

    @classmethod
    def trigger_words(cls, settings: object) -> frozenset[str]:
        return frozenset({"fixture"})

    def enter_scope(self, frame: Frame) -> None:
        context = self.context
        if not (frame.kind == FrameKind.FUNCTION and frame.is_fixture and frame.is_async):
            return
        if not context.is_test_file or context.pytest.asyncio_mode != STRICT:
            return
        function = frame.node
        assert isinstance(function, cst.FunctionDef)
        enclosing = enclosing_frame(context, frame)
        if enclosing is None or enclosing.kind not in (FrameKind.MODULE, FrameKind.CLASS):
            return
        decorator = fixture_decorator(context, function, PLAIN_FIXTURE)
        if decorator is None or fixture_decorator(context, function, ASYNCIO_FIXTURE) is not None:
            return
        if other_runner_evidence(context):
            return
        self.report(
            decorator.decorator,
            self.message.format(fixture=fixture_name(function)),
            fix=self._fix(decorator),
        )

    def _fix(self, decorator: cst.Decorator) -> Fix | None:
        reference = asyncio_fixture_reference(self.context)
        if reference is None:
            return None
        expression, imports = reference
        expr = decorator.decorator
        target = expr.func if isinstance(expr, cst.Call) else expr
        return Fix(edits=[Replace(target, expression)], title=self.fix_title, imports=imports, safe=False)
