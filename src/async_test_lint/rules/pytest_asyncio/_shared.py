"""Shared logic of the pytest-asyncio rules (ATL7xx): which tests pytest-asyncio's strict mode
runs, and where the asyncio mark sits."""

from __future__ import annotations

import functools
from pathlib import Path

import libcst as cst

from async_test_lint.semantics.async_library import declared_libraries, mark_library, pytestmark_values
from async_test_lint.semantics.context import FileContext, Frame

STRICT = "strict"
# Fixtures through which another plugin runs a coroutine test itself: aiohttp's old plugin
# (`loop`, `aiohttp_client`...), anyio's (`anyio_backend`), pytest-trio's (`nursery`, `autojump_clock`).
OTHER_RUNNER_FIXTURES = frozenset(
    {
        "anyio_backend",
        "loop",
        "proactor_loop",
        "aiohttp_client",
        "aiohttp_server",
        "aiohttp_raw_server",
        "aiohttp_unused_port",
        "test_client",
        "test_server",
        "raw_test_server",
        "nursery",
        "autojump_clock",
        "mock_clock",
    }
)
# Text in pytest's config file that says async tests may be run by another plugin.
CONFIG_TEXTS = (
    "aiohttp.pytest_plugin",
    "pytest_aiohttp",
    "anyio.pytest_plugin",
    "pytest_trio",
    "trio_mode",
    "pytest_tornado",
    "pytest_twisted",
)
# The same in the test file or a conftest.py above it, and code that runs tests itself or changes
# the mode at run time (`config.option.asyncio_mode = "auto"` in `pytest_configure`).
CODE_TEXTS = (*CONFIG_TEXTS, "asyncio_mode", "pytest_pyfunc_call")
KNOWN_PASSIVE_PLUGINS = frozenset({"asyncio", "pytest_asyncio", "timeout", "pytest_timeout", "xdist", "cov"})
OTHER_RUNNER_PLUGINS = frozenset({"aiohttp", "anyio", "trio", "pytest_trio", "tornado", "twisted", "?"})
# Decorators that keep an `async def` test a coroutine function pytest-asyncio recognises.
TRANSPARENT_DECORATORS = ("pytest.mark.", "unittest.mock.patch", "mock.patch")


def enclosing_class(context: FileContext) -> Frame | None:
    """The class frame right around the innermost function, if any."""
    if len(context.frames) >= 2 and isinstance(context.frames[-2].node, cst.ClassDef):
        return context.frames[-2]
    return None


def is_pytest_test(context: FileContext, frame: Frame) -> bool:
    """A test pytest itself runs (a module function or a method of a pytest test class), not a
    method of a unittest class (unittest runs those its own way)."""
    if not frame.is_test or not isinstance(frame.node, cst.FunctionDef):
        return False
    return not any(f.unittest_kind is not None for f in context.frames[:-1])


def asyncio_mark_decorators(context: FileContext, function: cst.FunctionDef) -> list[cst.Decorator]:
    """The decorators of `function` that are `pytest.mark.asyncio` (called or not), through imports."""
    return [d for d in function.decorators if mark_library(context, d.decorator, function) == "asyncio"]


def unmarked_in_strict_mode(context: FileContext) -> bool:
    """The innermost frame is an async pytest test that pytest-asyncio's strict mode does not run:
    no asyncio, anyio or trio mark on it, its class or its module, no fixture of another async
    plugin, and nothing in the project that hints another runner (see `other_runner`)."""
    frame = context.frames[-1]
    if not (frame.is_async and context.pytest.asyncio_mode == STRICT and is_pytest_test(context, frame)):
        return False
    function = frame.node
    assert isinstance(function, cst.FunctionDef)
    if declared_libraries(context) or not decorators_transparent(context, function):
        return False
    if _unreadable_pytestmark(context) or _requests_other_runner(context, function):
        return False
    return not other_runner(context)


def decorators_transparent(context: FileContext, function: cst.FunctionDef) -> bool:
    # Any other decorator may wrap the test into a sync function that runs the coroutine itself
    # (`@async_test`, tornado's `gen_test`, hypothesis' `given`): not ours to judge.
    scopes = context.scopes[1:]
    for decorator in function.decorators:
        expr = decorator.decorator
        name = context.names.qualified_name(expr.func if isinstance(expr, cst.Call) else expr, scopes)
        if name is None or not name.startswith(TRANSPARENT_DECORATORS):
            return False
    return True


def _unreadable_pytestmark(context: FileContext) -> bool:
    """A `pytestmark` of the module or an enclosing class that is not a mark, a list or a tuple of
    marks (`[*BASE_MARKS]`, `marks + [...]`): it may hold the asyncio mark."""
    for frame in context.frames:
        node = frame.node
        body = node.body if isinstance(node, cst.Module) else node.body.body if isinstance(node, cst.ClassDef) else ()
        for value in pytestmark_values(body):
            elements = value.elements if isinstance(value, (cst.List, cst.Tuple)) else None
            if elements is None:
                if not isinstance(value, (cst.Call, cst.Attribute, cst.Name)):
                    return True
            elif any(isinstance(element, cst.StarredElement) for element in elements):
                return True
    return False


def _requests_other_runner(context: FileContext, function: cst.FunctionDef) -> bool:
    closure = context.fixture_closure(function)
    if closure is not None:
        return bool(closure.names & OTHER_RUNNER_FIXTURES)
    params = function.params
    return any(p.name.value in OTHER_RUNNER_FIXTURES for p in (*params.params, *params.kwonly_params))


def other_runner(context: FileContext) -> bool:
    """The file, a conftest.py above it, a `pytest_plugins` module of the project or pytest's
    config shows another plugin that runs async tests (aiohttp's, anyio's, pytest-trio's), a
    `pytest_pyfunc_call` hook, or code that sets `asyncio_mode`: then strict mode's verdict on an
    unmarked test cannot be trusted."""
    return context.remember("other async runner", context.module, lambda: _other_runner(context))


def _other_runner(context: FileContext) -> bool:
    if any(text in context.source for text in CODE_TEXTS):
        return True
    pytest = context.pytest
    plugins = {arg.strip() for flag, arg in zip(pytest.addopts, pytest.addopts[1:]) if flag == "-p"}
    plugins.update(arg[2:].strip() for arg in pytest.addopts if arg.startswith("-p") and len(arg) > 2)
    # Any plugin loaded with `-p` may run coroutine tests (trio's own suite: `-p
    # trio._tests.pytest_plugin` with a `pytest_pyfunc_call`); only blocking one says nothing.
    if any(not plugin.startswith("no:") and plugin not in KNOWN_PASSIVE_PLUGINS for plugin in plugins):
        return True
    if pytest.path is not None and _mentions(pytest.path, CONFIG_TEXTS):
        return True
    project = context.project
    if project is not None and any(
        plugin.split(".")[0] in OTHER_RUNNER_PLUGINS or "aiohttp" in plugin or "trio" in plugin
        for plugin in project.declared_plugins
    ):
        return True
    top = pytest.rootdir or (project.root if project is not None else None)
    return any(_mentions(conftest, CODE_TEXTS) for conftest in _conftests_above(Path(context.path), top))


def _conftests_above(path: Path, top: Path | None) -> list[Path]:
    found = []
    directory = path.resolve().parent
    top = top.resolve() if top is not None else None
    for candidate in (directory, *directory.parents):
        conftest = candidate / "conftest.py"
        if conftest != path and conftest.is_file():
            found.append(conftest)
        if top is None or candidate == top:
            break
    return found


@functools.lru_cache(maxsize=256)
def _mentions(path: Path, texts: tuple[str, ...]) -> bool:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True  # cannot be read: cannot be trusted
    return any(marker in text for marker in texts)


# Text of a test case module (or of a project base class's module) that says its coroutine methods
# may be wrapped to run on a loop: a metaclass, a subclass hook, a test-method runner.
WRAPPING_TEXTS = ("metaclass", "__init_subclass__", "iscoroutinefunction", "_callTestMethod", "def run(")


def test_case_may_wrap_coroutines(context: FileContext, cls: cst.ClassDef) -> bool:
    """The class or one of its project bases may turn coroutine methods into sync ones (asyncpg's
    test case metaclass wraps every `async def test*` in `run_until_complete`)."""
    if any(text in context.source for text in WRAPPING_TEXTS):
        return True
    project = context.project
    if project is None:
        return False
    scopes = context.scopes[2:]
    pending = [context.names.qualified_name(arg.value, scopes) for arg in cls.bases if arg.keyword is None]
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name is None or name in seen or name.startswith("unittest."):
            continue
        seen.add(name)
        info = project.lookup(name)
        if info is None or not hasattr(info, "bases"):
            continue
        if getattr(info, "opaque_bases", False):
            return True
        module = info.qualified_name.rsplit(".", 1)[0]
        if any(_mentions(path, WRAPPING_TEXTS) for path in project.files_of(module)):
            return True
        pending.extend(info.bases)
    return False
