"""The kinds the layers hand each other, as enums instead of free strings.

They are `str` enums: a member equals its value (`CallKind.COROUTINE == "coroutine"`), so data read
from TOML and pickled index entries compare with them directly, and `str()`/f-strings give the value.
"""

from __future__ import annotations

from enum import Enum


class _TextEnum(str, Enum):
    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class CallKind(_TextEnum):
    """What calling a function gives (defs.classify, the known API table, callees)."""

    COROUTINE = "coroutine"  # a coroutine function: the call only creates a coroutine
    AWAITABLE = "awaitable"  # a plain def returning something that must be awaited
    ASYNC_GEN = "async_gen"  # an async generator function: iterate with `async for`
    ASYNC_CM = "async_cm"  # returns an async context manager that is not awaitable
    FUTURE = "future"  # returns an asyncio future that already runs (`gather`)
    SYNCIFIED = "syncified"  # an async def wrapped into a sync callable (`async_to_sync`)
    SYNC = "sync"  # does its work when called
    CLASS = "class"  # a class: the call constructs an instance
    UNKNOWN = "unknown"  # a decorator or shape we cannot see through


class FrameKind(_TextEnum):
    """The scopes the walk's context stack holds."""

    MODULE = "module"
    CLASS = "class"
    FUNCTION = "function"
    LAMBDA = "lambda"
    COMPREHENSION = "comprehension"


class TaskKind(_TextEnum):
    """How a task-creating call creates its task (the ATL4xx rules)."""

    CREATE_TASK = "create_task"  # asyncio.create_task
    ENSURE_FUTURE = "ensure_future"  # asyncio.ensure_future
    LOOP = "loop"  # loop.create_task
    TASK_GROUP = "task_group"  # TaskGroup.create_task
    SPAWNER = "spawner"  # a helper listed under `task-spawners`


class UnittestKind(_TextEnum):
    """Which unittest-style base a test class derives from: it decides how its methods run."""

    TEST_CASE = "test_case"  # unittest.TestCase: an `async def test_*` is never awaited
    ISOLATED_ASYNCIO = "isolated_asyncio"  # unittest.IsolatedAsyncioTestCase: on an asyncio loop
    AIOHTTP = "aiohttp"  # aiohttp.test_utils.AioHTTPTestCase (an IsolatedAsyncioTestCase)
    DJANGO = "django"  # django.test's cases: async tests run through async_to_sync
