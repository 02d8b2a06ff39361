"""ATL706: an `async def test*` method on a plain `unittest.TestCase`, which never awaits it."""

from __future__ import annotations

import libcst as cst

from async_test_lint.model.kinds import UnittestKind
from async_test_lint.model.rule import Fix, Replace, Rule
from async_test_lint.rules.pytest_asyncio._shared import (
    decorators_transparent,
    enclosing_class,
    test_case_may_wrap_coroutines,
)
from async_test_lint.semantics.calls import name_reference
from async_test_lint.semantics.context import Frame

TEST_CASE_NAMES = frozenset({"unittest.TestCase", "unittest.case.TestCase"})


class AsyncTestOnPlainTestCase(Rule):
    """## What it does
    Flags an `async def test*` method of a class whose unittest base is the plain
    `unittest.TestCase`: written directly, through an aliased import
    (`from unittest import TestCase as TC`), or through project base classes in other files.
    Classes that derive from `IsolatedAsyncioTestCase`, aiohttp's `AioHTTPTestCase` or Django's
    test cases are not flagged: those run async tests.

    ## Why is this bad?
    `unittest.TestCase` calls the method, gets a coroutine and never awaits it: the body never
    runs, and the test passes whatever its assertions say. Python only says so in a warning:
    "RuntimeWarning: coroutine ... was never awaited" and, since 3.11, "DeprecationWarning: It is
    deprecated to return a value that is not None from a test case". pytest runs unittest classes
    through unittest, so it passes there too.

    ## Example
    ```python
    import unittest

    class TestClient(unittest.TestCase):
        async def test_fetch(self):
            self.assertEqual(await fetch(), 42)
    ```

    Use instead:
    ```python
    import unittest

    class TestClient(unittest.IsolatedAsyncioTestCase):
        async def test_fetch(self):
            self.assertEqual(await fetch(), 42)
    ```

    ## Fix safety
    Unsafe: the fix replaces the base `unittest.TestCase` (as the class writes it) with
    `unittest.IsolatedAsyncioTestCase`, and the async tests start running (they may fail). Every
    test of the class then runs inside an event loop, `setUp`/`tearDown` run in that loop's
    context, and `asyncSetUp`/`asyncTearDown` become available. No fix is offered when the base
    comes through a project class (changing that class changes all its subclasses).

    ## Known problems
    It stays silent where the coroutine may be run after all: a test with a decorator other than a
    `pytest.mark.*` or `mock.patch` one (motor's `@asyncio_test` runs it on a loop), and a class in a
    file, or with a project base class in a file, that mentions a metaclass, `__init_subclass__`,
    `iscoroutinefunction`, `_callTestMethod` or a `run` method (asyncpg's test case metaclass wraps
    every `async def test*` in `run_until_complete`). Classes defined inside a function (test
    suites that check their own test case base) are not looked at. A method whose name does not start with `test` is not a test for unittest and is not flagged.
    A class whose bases include two different async test cases is left alone.
    """

    code = "ATL706"
    name = "async-test-on-plain-testcase"
    message = "async test on a plain `unittest.TestCase` is never awaited: it passes without running"
    fix_title = "Derive from `unittest.IsolatedAsyncioTestCase` (the async tests start running)"

    def __init__(self, context) -> None:  # type: ignore[no-untyped-def]
        super().__init__(context)
        self._fixed_classes: set[int] = set()

    @classmethod
    def trigger_words(cls, settings: object) -> frozenset[str]:
        return frozenset({"async"})

    def enter_scope(self, frame: Frame) -> None:
        function = frame.node
        if not (frame.is_async and frame.is_test and isinstance(function, cst.FunctionDef)):
            return
        cls = enclosing_class(self.context)
        if cls is None or cls.unittest_kind is not UnittestKind.TEST_CASE:
            return
        if len(self.context.frames) != 3:
            return  # a class made inside a function is not collected: its runner is not known
        if not decorators_transparent(self.context, function) or not isinstance(cls.node, cst.ClassDef):
            return  # `@asyncio_test` (motor) runs the coroutine itself
        if test_case_may_wrap_coroutines(self.context, cls.node):
            return
        self.report(function.name, fix=self._isolated_base(cls.node))

    def _isolated_base(self, cls: cst.CSTNode) -> Fix | None:
        # One fix per class: the second test of the class would change the same base.
        if not isinstance(cls, cst.ClassDef) or id(cls) in self._fixed_classes:
            return None
        scopes = self.context.scopes[2:]  # the bases are evaluated around the class
        bases = [
            arg
            for arg in cls.bases
            if arg.keyword is None and self.context.names.qualified_name(arg.value, scopes) in TEST_CASE_NAMES
        ]
        if len(bases) != 1:
            return None
        reference = name_reference(self.context, "unittest", "IsolatedAsyncioTestCase")
        if reference is None:
            return None
        self._fixed_classes.add(id(cls))
        new, imports = reference
        return Fix(edits=[Replace(bases[0].value, new)], imports=imports, title=self.fix_title, safe=False)
