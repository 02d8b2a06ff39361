# enable: ATL1
import asyncio
import asyncio as aio
import time
from asyncio import gather

import pytest

RAN = []


async def work(i):
    await asyncio.sleep(0)
    RAN.append(i)
    return i


def blocking(i):
    time.sleep(0)
    return i


def all_work():
    # Sync code handing the future to its caller.
    return asyncio.gather(work(1), work(2))


# --- flagged ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_gather_as_a_statement():
    asyncio.gather(work(1), work(2))  # ATL106:5 "only logged"
    aio.gather(work(3))  # ATL106:5
    gather(work(4))  # ATL106:5
    await asyncio.sleep(0.01)


@pytest.mark.asyncio
async def test_shield_and_executor_as_statements():
    task = asyncio.create_task(work(5))
    asyncio.shield(task)  # ATL106:5
    await task
    loop = asyncio.get_running_loop()
    loop.run_in_executor(None, blocking, 6)  # ATL106:5


@pytest.mark.asyncio
async def test_assigned_and_unused():
    results = asyncio.gather(work(7), work(8))  # ATL106:15
    _ = asyncio.gather(work(9))  # ATL106:9
    await asyncio.sleep(0.01)


# --- not flagged ------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_awaited():
    assert await asyncio.gather(work(1), work(2)) == [1, 2]
    results = await gather(work(3), return_exceptions=True)
    assert results == [3]
    pending = asyncio.gather(work(4))
    pending.add_done_callback(lambda fut: None)
    assert await pending == [4]
    assert await asyncio.wait_for(asyncio.gather(work(5)), 1) == [5]
    assert await asyncio.shield(asyncio.create_task(work(6))) == 6
    loop = asyncio.get_running_loop()
    assert await loop.run_in_executor(None, blocking, 7) == 7
    future = loop.run_in_executor(None, blocking, 8)
    assert await future == 8
    assert await all_work() == [1, 2]


def test_run_until_complete_in_sync_code():
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)  # gather() outside a running loop takes the current one
    try:
        assert loop.run_until_complete(asyncio.gather(work(1), work(2))) == [1, 2]
    finally:
        asyncio.set_event_loop(None)
        loop.close()


@pytest.mark.asyncio
async def test_task_scheduling_is_not_this_rule():
    # ensure_future/create_task results are tasks, already scheduled (B.2): the task rules' business.
    future = asyncio.ensure_future(work(9))
    assert await future == 9
