"""The managers stack: the classified `with` items around each statement (semantics/managers.py)."""

from __future__ import annotations

import textwrap

import libcst as cst

from async_test_lint.engine.runner import _Walk
from async_test_lint.model.rule import Rule
from async_test_lint.semantics.context import FileContext
from async_test_lint.settings.config import PytestConfig, Settings
from async_test_lint.syntax.traversal import walk as traverse


class ManagersRecorder(Rule):
    """Records the managers around each call of `here()` (and of `probe(...)`'s arguments)."""

    code = "ATL999"
    name = "managers-recorder"
    message = "recorded"

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.seen: list[list[tuple[str, str | None, bool]]] = []

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "here":
            self.seen.append([(m.kind, m.qualified_name, m.is_async) for m in self.context.managers])


def managers_at_here(source: str) -> list[list[tuple[str, str | None, bool]]]:
    module = cst.parse_module(textwrap.dedent(source))
    context = FileContext(
        path="test_x.py", source=module.code, module=module, settings=Settings(), pytest=PytestConfig(), is_test_file=True
    )
    recorder = ManagersRecorder(context)
    traverse(module, _Walk(context, [recorder]))
    return recorder.seen


def kinds(source: str) -> list[list[str]]:
    return [[kind for kind, _, _ in found] for found in managers_at_here(source)]


def test_deadlines_resolved_through_imports():
    assert managers_at_here(
        """
        import asyncio
        import async_timeout
        import anyio
        import trio as t
        from asyncio import timeout_at as until

        async def test_x(loop):
            async with asyncio.timeout(1):
                here()
            async with until(loop.time() + 1), async_timeout.timeout(1):
                here()
            with anyio.fail_after(1), anyio.move_on_after(1):
                here()
            with t.fail_after(1), t.move_on_after(1), t.fail_at(1), t.move_on_at(1):
                here()
        """
    ) == [
        [("deadline", "asyncio.timeout", True)],
        [("deadline", "asyncio.timeout_at", True), ("deadline", "async_timeout.timeout", True)],
        [("deadline", "anyio.fail_after", False), ("deadline", "anyio.move_on_after", False)],
        [
            ("deadline", "trio.fail_after", False),
            ("deadline", "trio.move_on_after", False),
            ("deadline", "trio.fail_at", False),
            ("deadline", "trio.move_on_at", False),
        ],
    ]


def test_a_look_alike_name_is_not_a_deadline():
    assert kinds(
        """
        from mylib import timeout

        async def test_x():
            async with timeout(1):
                here()
        """
    ) == [["other"]]


def test_transactions_through_receiver_types():
    assert managers_at_here(
        """
        import asyncpg
        from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
        from django.db import transaction
        from tortoise.transactions import in_transaction
        import databases

        async def test_x(session: AsyncSession):
            conn = await asyncpg.connect("postgres://")
            async with conn.transaction():
                here()
            async with session.begin():
                here()
            engine = create_async_engine("sqlite+aiosqlite://")
            async with engine.begin() as connection:
                here()
            with transaction.atomic():
                here()
            async with in_transaction():
                here()
            database = databases.Database("sqlite://")
            async with database.transaction():
                here()
        """
    ) == [
        [("transaction", "asyncpg.Connection.transaction", True)],
        [("transaction", "sqlalchemy.ext.asyncio.AsyncSession.begin", True)],
        [("transaction", "sqlalchemy.ext.asyncio.AsyncEngine.begin", True)],
        [("transaction", "django.db.transaction.atomic", False)],
        [("transaction", "tortoise.transactions.in_transaction", True)],
        [("transaction", "databases.Database.transaction", True)],
    ]


def test_a_receiver_of_unknown_type_is_other():
    assert kinds(
        """
        async def test_x(conn, r):
            async with conn.transaction():
                here()
            async with r.pipeline():
                here()
        """
    ) == [["other"], ["other"]]


def test_locks_entered_as_objects():
    assert managers_at_here(
        """
        import asyncio
        import anyio
        import trio

        class Worker:
            def __init__(self):
                self.lock = asyncio.Lock()

            async def run(self, cond: anyio.Condition):
                sem = asyncio.Semaphore(2)
                async with self.lock, sem, cond:
                    here()
                async with trio.Lock():
                    here()
        """
    ) == [
        [("lock", "asyncio.Lock", True), ("lock", "asyncio.Semaphore", True), ("lock", "anyio.Condition", True)],
        [("lock", "trio.Lock", True)],
    ]


def test_redis_pipelines():
    assert kinds(
        """
        import redis.asyncio as redis

        async def test_x():
            r = redis.Redis()
            async with r.pipeline(transaction=True) as pipe:
                here()
        """
    ) == [["pipeline"]]


def test_expectations():
    assert managers_at_here(
        """
        import contextlib
        import unittest
        import pytest

        async def test_x():
            with pytest.raises(ValueError), pytest.warns(UserWarning), contextlib.suppress(KeyError):
                here()

        class TestCase(unittest.TestCase):
            def test_y(self):
                with self.assertRaisesRegex(ValueError, "x"):
                    here()

        def not_a_method(self):
            with self.assertRaises(ValueError):
                here()
        """
    ) == [
        [
            ("expectation", "pytest.raises", False),
            ("expectation", "pytest.warns", False),
            ("expectation", "contextlib.suppress", False),
        ],
        [("expectation", "unittest.TestCase.assertRaisesRegex", False)],
        [("other", None, False)],  # `self` is not a method's instance here
    ]


def test_nesting_innermost_last_and_items_are_outside_their_own_with():
    assert kinds(
        """
        import asyncio
        import pytest

        async def test_x():
            async with asyncio.timeout(here()):
                with pytest.raises(ValueError):
                    here()
                here()
            here()
        """
    ) == [[], ["deadline", "expectation"], ["deadline"], []]


def test_nested_def_lambda_and_class_bodies_start_fresh_comprehensions_inherit():
    assert kinds(
        """
        import asyncio

        async def test_x():
            async with asyncio.timeout(1):
                def inner():
                    here()
                callback = lambda: here()
                class Local:
                    value = here()
                values = [here() for _ in range(2)]
                lazy = (here() for _ in range(2))
                here()
        """
    ) == [[], [], [], ["deadline"], ["deadline"], ["deadline"]]


def test_a_nested_def_inside_a_with_has_its_own_stack_and_the_outer_resumes():
    assert kinds(
        """
        import asyncio

        async def test_x():
            async with asyncio.timeout(1):
                async def inner():
                    async with asyncio.timeout(2):
                        here()
                    here()
                here()
        """
    ) == [["deadline"], [], ["deadline"]]


def test_module_level_with():
    assert kinds(
        """
        import contextlib

        with contextlib.suppress(ImportError):
            here()
        """
    ) == [["expectation"]]
