"""ATL701: an async test pytest-asyncio's strict mode does not run (no asyncio mark)."""

from __future__ import annotations

import libcst as cst

from async_test_lint.model.rule import AddDecorator, Fix, Rule
from async_test_lint.rules.pytest_asyncio._shared import unmarked_in_strict_mode
from async_test_lint.semantics.calls import module_reference
from async_test_lint.semantics.context import Frame


class AsyncTestNotRunInStrictMode(Rule):
    """## What it does
    Flags an `async def` test (a module function or a method of a pytest test class) that has no
    asyncio mark where pytest-asyncio runs in strict mode (its default): no `@pytest.mark.asyncio`
    (with or without `loop_scope=`) on the test, in its class's `pytestmark` or decorators, or in
    the module's `pytestmark` (one mark, a list or a tuple). The mode is read from pytest's own
    configuration (`asyncio_mode`, `--asyncio-mode=` and `-o asyncio_mode=` in `addopts`).

    ## Why is this bad?
    In strict mode pytest-asyncio only runs the coroutine tests it is told to. pytest calls the
    unmarked one, gets a coroutine and never awaits it: the body never runs. pytest before 8.4
    reported it as skipped with a `PytestUnhandledCoroutineWarning` ("async def functions are not
    natively supported"), so a suite of such tests was green while testing nothing; pytest 8.4 and
    later fail it with that message, without running it either.

    ## Example
    ```python
    async def test_fetch():
        assert await fetch() == 42
    ```

    Use instead:
    ```python
    import pytest

    @pytest.mark.asyncio
    async def test_fetch():
        assert await fetch() == 42
    ```

    ## Fix safety
    Unsafe: the fix adds `@pytest.mark.asyncio` (importing `pytest` when needed), and the test
    starts running: it may fail, hang, or need fixtures that never ran before. No fix is offered
    where the name `pytest` means something else.

    ## Known problems
    It stays silent where another plugin may run the test, or the mode may differ at run time:
    in auto mode or with `-p no:asyncio`; on anyio- or trio-marked tests and tests whose fixtures
    include `anyio_backend`, aiohttp's `loop`/`aiohttp_client` or pytest-trio's fixtures; when the
    file, a `conftest.py` above it or a `pytest_plugins` module names aiohttp's, anyio's,
    pytest-trio's, tornado's or twisted's plugin, defines `pytest_pyfunc_call` or mentions
    `asyncio_mode`, or the config file sets `trio_mode` or loads any plugin with `-p` in `addopts`
    (trio's own suite runs its tests through `-p trio._tests.pytest_plugin`); on a test with any decorator other than a
    `pytest.mark.*` or `mock.patch` one (`@async_test` wrappers run the coroutine themselves); under
    a `pytestmark` that is not a literal mark, list or tuple. Methods of unittest classes are
    ATL706's. A mark added at run time (`pytest_collection_modifyitems`) is not seen. The fix marks
    each test; it does not write a module-level `pytestmark`.

    ## Options
    Opt-in for now: enable it with `--extend-select ATL701`. Its first version gave 946 false
    findings on 14 real projects' suites, all from other ways of running async tests (trio's own
    `-p` plugin, asyncpg's metaclass, motor's decorator); the version here gives none there, but
    those suites hold no true case either, so its precision is not yet shown on real code.
    """

    code = "ATL701"
    name = "async-test-not-run-in-strict-mode"
    message = "async test has no asyncio mark: pytest-asyncio's strict mode does not run it (its body never runs)"
    fix_title = "Add `@pytest.mark.asyncio` (the test starts running)"
    default_enabled = False

    @classmethod
    def trigger_words(cls, settings: object) -> frozenset[str]:
        return frozenset({"async"})

    def enter_scope(self, frame: Frame) -> None:
        if not isinstance(frame.node, cst.FunctionDef) or not unmarked_in_strict_mode(self.context):
            return
        self.report(frame.node.name, fix=self._add_mark(frame.node))

    def _add_mark(self, function: cst.FunctionDef) -> Fix | None:
        reference = module_reference(self.context, "pytest")
        if reference is None:
            return None
        pytest_name, imports = reference
        mark = cst.Attribute(value=cst.Attribute(value=pytest_name, attr=cst.Name("mark")), attr=cst.Name("asyncio"))
        return Fix(edits=[AddDecorator(function, mark)], imports=imports, title=self.fix_title, safe=False)
