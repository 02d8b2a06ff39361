# enable: ATL1
import asyncio
import inspect
import json
import unittest
from collections.abc import Coroutine
from unittest.mock import AsyncMock, MagicMock

import pytest


async def is_healthy():
    return True


async def returns_false():
    return False


async def is_done():
    return True


async def status():
    return "ok"


async def count():
    return 3


async def maybe_none():
    return None


async def check(x):
    return x > 1


async def pair():
    return ["first", "second"]


async def items():
    return [("a", 1)]


class Profile:
    def __init__(self, name):
        self.name = name


async def profile():
    return Profile("ann")


class Service:
    async def is_ready(self):
        return True


class Client:
    async def ping(self):
        return True


def is_up():
    # Not a test, and sync: still a coroutine used as a value, but `await` cannot go here.
    return bool(is_healthy())  # ATL103:17


def sync_status():
    return "ok"


# --- flagged ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_asserts_that_pass_silently():
    assert await is_healthy()  # ATL103:12 "does not test what it looks like"
    assert await returns_false() is not None  # ATL103:12
    assert await status() != "down"  # ATL103:12


@pytest.mark.asyncio
async def test_asserts_that_fail():
    assert not (await returns_false())  # ATL103:16
    assert await status() == "ok"  # ATL103:12
    assert await maybe_none() is None  # ATL103:12
    assert isinstance(await profile(), Profile)  # ATL103:23
    assert await status() in ("ok", "degraded")  # ATL103:12


@pytest.mark.asyncio
async def test_conditions():
    seen = []
    if await returns_false():  # ATL103:8
        seen.append("if")
    elif await is_healthy():  # ATL103:10
        seen.append("elif")
    while not (await is_done()):  # ATL103:15
        await asyncio.sleep(0)
    svc = Service()
    if not (await svc.is_ready()):  # ATL103:12
        seen.append("not ready")
    flag = bool(seen)
    if await is_healthy() and flag:  # ATL103:8
        seen.append("and")
    if flag or await is_healthy():  # ATL103:16
        seen.append("or")
    label = "up" if await is_healthy() else "down"  # ATL103:21
    assert label == "up"
    ready = [x for x in (1, 2, 3) if check(x)]  # ATL103:38 in a comprehension: no safe fix
    ordered = sorted([3, 1, 2], key=lambda x: not check(x))  # ATL103:51 in a lambda: no safe fix


@pytest.mark.asyncio
async def test_comparisons_and_value_sinks():
    matches = await status() == "ok"  # ATL103:15
    member = await status() in {"ok"}  # ATL103:14
    print(await status())  # ATL103:11
    text = str(await status())  # ATL103:16
    shown = repr(await status())  # ATL103:18
    truth = bool(await is_healthy())  # ATL103:18
    message = f"status={await status()}"  # ATL103:25
    formatted = "status={}".format(await status())  # ATL103:36
    percent = "status=%s" % (await status(),)  # ATL103:30
    assert (matches, member, text, shown, truth, message, formatted, percent) != ()


@pytest.mark.asyncio
async def test_sinks_that_fail_loudly():
    assert len(await pair()) == 2  # ATL103:16
    assert list(await pair()) == ["first", "second"]  # ATL103:17
    assert sorted(await pair()) == ["first", "second"]  # ATL103:19
    assert dict(await items()) == {"a": 1}  # ATL103:17
    assert int(await count()) == 3  # ATL103:16
    assert float(await count()) == 3.0  # ATL103:18
    assert json.dumps(await status()) == '"ok"'  # ATL103:23
    assert 3 == pytest.approx(await count())  # ATL103:31


@pytest.mark.asyncio
async def test_subscript_and_attribute():
    assert (await pair())[0] == "first"  # ATL103:12
    assert (await profile()).name == "ann"  # ATL103:12


@pytest.mark.asyncio
async def test_async_mock_results():
    m = AsyncMock(return_value=True)
    assert await m()  # ATL103:12
    assert await m.is_ready()  # ATL103:12


class TestClient(unittest.IsolatedAsyncioTestCase):
    async def test_unittest_assertions_that_pass_silently(self):
        client = Client()
        self.assertTrue(await client.ping())  # ATL103:25
        self.assertIsNotNone(await status())  # ATL103:30

    async def test_unittest_assertions_that_fail(self):
        self.assertFalse(await returns_false())  # ATL103:26
        self.assertIsNone(await maybe_none())  # ATL103:27
        self.assertEqual(await status(), "ok")  # ATL103:26
        self.assertIn(await status(), ["ok"])  # ATL103:23
        self.assertIsInstance(await profile(), Profile)  # ATL103:31


# --- not flagged ------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_awaited_values():
    assert await is_healthy()
    assert not await returns_false()
    assert await status() == "ok"
    if await is_healthy():
        label = "up" if await is_healthy() else "down"
        assert label == "up"
    assert (await profile()).name == "ann"
    assert (await pair())[0] == "first"
    assert [x for x in (1, 2, 3) if await check(x)] == [2, 3]
    print(await status())
    assert await asyncio.wait_for(status(), 1) == "ok"
    assert await (status() if label else count()) == "ok"
    m = AsyncMock(return_value=True)
    assert await m()


@pytest.mark.asyncio
async def test_inspecting_the_coroutine_object_deliberately():
    coro = status()
    assert inspect.iscoroutine(coro)
    assert isinstance(coro, Coroutine)
    coro.close()


@pytest.mark.asyncio
async def test_sync_callables_are_values():
    assert sync_status() == "ok"
    m = MagicMock(return_value=True)
    assert m()
    assert asyncio.iscoroutinefunction(status)


class TestClientAwaited(unittest.IsolatedAsyncioTestCase):
    async def test_unittest_assertions(self):
        client = Client()
        self.assertTrue(await client.ping())
        self.assertEqual(await status(), "ok")


@pytest.mark.asyncio
async def test_protocol_driven_by_hand():
    # From anyio's docs: entering an async context manager by calling `__aenter__` itself.
    manager = asyncio.timeout(5)
    await manager.__aenter__()
    await manager.__aexit__(None, None, None)
    await asyncio.timeout(5).__aenter__()
