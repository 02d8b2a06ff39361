import asyncio
import contextlib

import pytest


async def work(n=0):
    await asyncio.sleep(0)
    return n


async def serve_forever():
    await asyncio.Event().wait()


class Conn:
    async def connect(self):
        await asyncio.sleep(0)


# --- tasks that live on: flagged ----------------------------------------------------------------


@pytest.mark.asyncio
async def test_left_running_until_the_loop_closes():
    server = asyncio.create_task(serve_forever())  # ATL401:14 "asyncio.create_task"
    await asyncio.sleep(0)
    assert not server.done()


class TestStoredOnSelf:
    @pytest.mark.asyncio
    async def test_stored(self):
        self.worker = asyncio.create_task(work())  # ATL401:23
        await asyncio.sleep(0)


@pytest.fixture
async def background():
    task = asyncio.create_task(serve_forever())  # ATL401:12
    yield task
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


@pytest.mark.asyncio
async def test_many_connections_get_distinct_names():
    conn = Conn()
    first = asyncio.create_task(conn.connect())  # ATL401:13
    second = asyncio.create_task(conn.connect())  # ATL401:14
    registry = {"a": first, "b": second}
    assert len(registry) == 2
    await asyncio.gather(*registry.values())


@pytest.mark.asyncio
async def test_handed_to_other_code():
    keep = []
    keep.extend([asyncio.create_task(work(1))])  # ATL401:18
    await asyncio.gather(*keep)


@pytest.mark.asyncio
async def test_waited_with_a_timeout_may_still_run():
    consumer = asyncio.create_task(serve_forever())  # ATL401:16
    done, pending = await asyncio.wait({consumer}, timeout=0.01)
    assert pending == {consumer}


@pytest.mark.asyncio
async def test_loop_task_left_running():
    loop = asyncio.get_running_loop()
    ticker = loop.create_task(serve_forever())  # ATL401:14 "loop.create_task"
    assert not ticker.done()


@pytest.mark.asyncio
async def test_end_observed_through_a_done_callback():
    finished = asyncio.Event()
    task = asyncio.ensure_future(work(7))
    task.add_done_callback(lambda _: finished.set())
    await finished.wait()


# --- waited for by the same function: not flagged -----------------------------------------------


@pytest.mark.asyncio
async def test_awaited_later_through_its_variable():
    task = asyncio.create_task(work(1))
    assert await task == 1


@pytest.mark.asyncio
async def test_awaited_where_created():
    assert await asyncio.create_task(work(2)) == 2
    loop = asyncio.get_running_loop()
    assert await loop.create_task(work(3)) == 3


@pytest.mark.asyncio
async def test_gathered_list_comprehension():
    tasks = [asyncio.create_task(work(n)) for n in range(3)]
    assert await asyncio.gather(*tasks) == [0, 1, 2]


@pytest.mark.asyncio
async def test_gathered_inline():
    results = await asyncio.gather(asyncio.create_task(work(1)), *[asyncio.create_task(work(n)) for n in range(2)])
    assert results == [1, 0, 1]


@pytest.mark.asyncio
async def test_waited_on_and_wait_for():
    first = asyncio.create_task(work(1))
    second = asyncio.create_task(work(2))
    done, _ = await asyncio.wait([first])
    assert done == {first}
    assert await asyncio.wait_for(second, timeout=5) == 2


@pytest.mark.asyncio
async def test_appended_then_awaited_in_a_loop():
    tasks = []
    for n in range(3):
        tasks.append(asyncio.create_task(work(n)))
    for task in tasks:
        await task


@pytest.mark.asyncio
async def test_task_group_waits_for_its_tasks():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(work())


@pytest.mark.asyncio
async def test_cancelled_then_awaited():
    task = asyncio.create_task(serve_forever())
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


@pytest.mark.asyncio
async def test_cancelled_without_awaiting_ends_it():
    task = asyncio.create_task(serve_forever())
    await asyncio.sleep(0)
    task.cancel()


@pytest.mark.asyncio
async def test_outcome_read_after_it_ended():
    first = asyncio.create_task(work(1))
    second = asyncio.create_task(work(2))
    for _ in range(3):
        await asyncio.sleep(0)
    assert first.result() == 1
    assert second.exception() is None


TASKS = {}


@pytest.mark.asyncio
async def test_handed_over_then_asserted_ended():
    task = asyncio.create_task(work(3))
    TASKS["t"] = task
    await asyncio.sleep(0.01)
    assert task.done()


@pytest.mark.asyncio
async def test_nonlocal_task_awaited_in_the_same_function():
    task = None

    async def start():
        nonlocal task
        task = asyncio.create_task(work(4))
        await task

    await start()
    assert task is not None


@pytest.mark.asyncio
async def test_dropped_ensure_future_is_atl402s_alone():
    asyncio.ensure_future(work(5))
    await asyncio.sleep(0.01)


@pytest.mark.asyncio
async def test_named_task_left_running():
    server = asyncio.create_task(serve_forever(), name="server")
    server.cancel()
