# option: name-awaited-tasks = true
import asyncio
import asyncio as aio
import contextlib
import unittest
from asyncio import create_task as spawn_task
from asyncio import ensure_future

import pytest


async def work():
    await asyncio.sleep(0)
    return "done"


class Server:
    async def serve(self):
        await asyncio.sleep(0)


@pytest.mark.asyncio
async def test_unnamed_tasks():
    task = asyncio.create_task(work())  # ATL401:12 "asyncio.create_task"
    assert await task == "done"
    assert await aio.create_task(work()) == "done"  # ATL401:18
    assert await spawn_task(work()) == "done"  # ATL401:18


@pytest.mark.asyncio
async def test_name_none_is_no_name():
    task = asyncio.create_task(work(), name=None)  # ATL401:12
    assert await task == "done"


@pytest.mark.asyncio
async def test_method_coroutine_is_named_after_its_callee():
    server = Server()
    await asyncio.create_task(server.serve())  # ATL401:11


@pytest.mark.asyncio
async def test_running_loop_and_task_group():
    loop = asyncio.get_running_loop()
    await loop.create_task(work())  # ATL401:11 "loop.create_task"
    async with asyncio.TaskGroup() as tg:
        tg.create_task(work())  # ATL401:9 "TaskGroup.create_task"


@pytest.mark.asyncio
async def test_named_tasks_are_fine():
    await asyncio.create_task(work(), name="work")
    await aio.create_task(work(), name=f"work-{1}")
    loop = asyncio.get_running_loop()
    await loop.create_task(work(), name="work")
    async with asyncio.TaskGroup() as tg:
        tg.create_task(work(), name="work")


@pytest.mark.asyncio
async def test_keyword_splat_may_carry_the_name():
    opts = {"name": "work"}
    task = asyncio.create_task(work(), **opts)
    assert task.get_name() == "work"
    await task


@pytest.mark.asyncio
async def test_positional_second_argument_is_never_a_name():
    coro = work()
    with pytest.raises(TypeError):
        asyncio.create_task(coro, "worker")  # ATL401:9
    coro.close()


@pytest.mark.asyncio
async def test_not_fixable_shapes():
    coro = work()
    await asyncio.create_task(coro)  # ATL401:11
    await asyncio.create_task(coro=work())  # ATL401:11
    # A comment inside the call (here the annotation itself) would be lost by a rewrite.
    await asyncio.create_task(  # ATL401:11
        work(),
    )


@pytest.mark.asyncio
async def test_ensure_future_cannot_name_its_task():
    assert await asyncio.ensure_future(work()) == "done"  # ATL401:18 "ensure_future"
    assert await ensure_future(work()) == "done"  # ATL401:18
    task = asyncio.create_task(work(), name="work")
    assert asyncio.ensure_future(task) is task


def start_in_sync_code(loop):
    return asyncio.ensure_future(work(), loop=loop)  # ATL401:12


def test_ensure_future_in_sync_code():
    loop = asyncio.new_event_loop()
    try:
        assert loop.run_until_complete(start_in_sync_code(loop)) == "done"
    finally:
        loop.close()


def create_task(coro):
    # Not asyncio's: a local helper that happens to share the name.
    coro.close()


class Scheduler:
    def create_task(self, coro):
        coro.close()


@pytest.mark.asyncio
async def test_other_create_tasks_are_not_asyncio():
    create_task(work())
    Scheduler().create_task(work())


async def start_on(loop):
    # Known problems: a loop handed in from outside has no type fact.
    return await loop.create_task(work())


@pytest.mark.asyncio
async def test_loop_from_a_parameter_is_not_known():
    assert await start_on(asyncio.get_running_loop()) == "done"


class TestUnittestStyle(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.background = asyncio.create_task(work())  # ATL401:27

    async def asyncTearDown(self):
        await self.background

    async def test_method(self):
        self.assertEqual(await asyncio.create_task(work()), "done")  # ATL401:32


@pytest.mark.asyncio
async def test_cancelled_helper():
    task = asyncio.create_task(asyncio.sleep(10), name="sleeper")
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
