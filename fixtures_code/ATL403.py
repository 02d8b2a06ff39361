import asyncio
import asyncio as aio
import contextlib
import unittest
from asyncio import create_task as spawn_task

import pytest
import pytest_asyncio


async def work():
    await asyncio.sleep(0)
    return "done"


async def forever():
    await asyncio.Event().wait()


def finish(task):
    # Hands the task over: the receiver may await it.
    task.cancel()


# --- tasks that outlive the test --------------------------------------------------------------


@pytest.mark.asyncio
async def test_only_looked_at():
    task = asyncio.create_task(work(), name="work")  # ATL403:12 "before the test ends"
    assert not task.done()


@pytest.mark.asyncio
async def test_callbacks_do_not_wait():
    seen = []
    task = spawn_task(work(), name="work")  # ATL403:12
    task.add_done_callback(seen.append)
    task.set_name("renamed")
    task


@pytest.mark.asyncio
async def test_loop_and_ensure_future():
    loop = asyncio.get_running_loop()
    on_loop = loop.create_task(work(), name="work")  # ATL403:15 "loop.create_task"
    future: asyncio.Future = asyncio.ensure_future(work())  # ATL403:30 "ensure_future"
    assert not on_loop.done()
    future.add_done_callback(print)


@pytest.mark.asyncio
async def test_workers_from_a_comprehension_never_awaited():
    workers = [asyncio.create_task(work(), name=f"w{n}") for n in range(3)]  # ATL403:16 "tasks in `workers`"
    for worker in workers:
        assert not worker.done()


@pytest.mark.asyncio
async def test_workers_from_a_comprehension_never_read():
    workers = [asyncio.create_task(forever(), name=f"w{n}") for n in range(3)]  # ATL403:16
    await asyncio.sleep(0)


@pytest_asyncio.fixture
async def server_left_running():
    # The task is never awaited nor cancelled, so it outlives the fixture's teardown. ATL402
    # rightly keeps a generator's locals (held across the yield), so this one is ATL403's.
    task = asyncio.create_task(forever(), name="serve")  # ATL403:12 "fixture's teardown"
    yield


@pytest.mark.asyncio
async def test_uses_server(server, server_left_running):
    pass


# --- cancelled: the test ended the task's life; the loop's teardown finishes the cancellation -----


@pytest.mark.asyncio
async def test_cancel_without_awaiting():
    task = aio.create_task(forever(), name="forever")
    task.cancel()


@pytest.mark.asyncio
async def test_cancel_in_a_nested_callback():
    task = asyncio.create_task(forever(), name="forever")

    def stop():
        task.cancel()

    stop()


@pytest_asyncio.fixture
async def server():
    # ruff #20421's fixture: the teardown requests the cancellation, which pytest-asyncio's
    # runner completes when it closes the loop.
    task = asyncio.create_task(forever(), name="serve")
    yield
    task.cancel()


@pytest.mark.asyncio
async def test_workers_cancelled_in_a_loop():
    workers = [asyncio.create_task(forever(), name=f"w{n}") for n in range(3)]
    for worker in workers:
        worker.cancel()


@pytest.mark.asyncio
async def test_workers_gathered():
    workers = [asyncio.create_task(work(), name=f"w{n}") for n in range(3)]
    assert await asyncio.gather(*workers) == ["done"] * 3


class TestUnittestStyle(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        task = asyncio.create_task(work(), name="setup")  # ATL403:16 "fixture's teardown"
        task.add_done_callback(print)

    async def test_method(self):
        task = asyncio.create_task(forever(), name="forever")  # ATL403:16
        assert not task.done()


# --- awaited, gathered, waited on or handed over ----------------------------------------------


@pytest.mark.asyncio
async def test_awaited():
    task = asyncio.create_task(work(), name="work")
    assert not task.done()
    assert await task == "done"


@pytest.mark.asyncio
async def test_gathered_and_waited():
    first = asyncio.create_task(work(), name="first")
    second = asyncio.create_task(work(), name="second")
    third = asyncio.create_task(work(), name="third")
    assert await asyncio.gather(first, second) == ["done", "done"]
    done, _ = await asyncio.wait([third])
    assert done == {third}


@pytest.mark.asyncio
async def test_cancelled_and_awaited():
    task = asyncio.create_task(forever(), name="forever")
    await asyncio.sleep(0)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


@pytest.mark.asyncio
async def test_cancelled_and_gathered():
    task = asyncio.create_task(forever(), name="forever")
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


@pytest.mark.asyncio
async def test_handed_over_or_result_read():
    task = asyncio.create_task(forever(), name="forever")
    finish(task)
    other = asyncio.create_task(work(), name="work")
    await asyncio.sleep(0.01)
    assert other.result() == "done"
    with contextlib.suppress(asyncio.CancelledError):
        await task


@pytest.mark.asyncio
async def test_awaited_in_a_nested_coroutine():
    task = asyncio.create_task(work(), name="work")

    async def wait_for_it():
        return await task

    assert await wait_for_it() == "done"


@pytest.mark.asyncio
async def test_awaited_on_one_branch_only(request):
    # Not provable either way: any read that is not cancel/done/... counts as waiting.
    task = asyncio.create_task(work(), name="work")
    if request.node.name:
        await task


@pytest.mark.asyncio
async def test_nested_helper_is_not_the_tests_own_body():
    def start():
        helper_task = asyncio.create_task(forever(), name="helper")
        helper_task.cancel()

    start()
    await asyncio.sleep(0)


@pytest.mark.asyncio
async def test_never_read_and_dropped_are_atl402s():
    unused = asyncio.create_task(work(), name="unused")
    asyncio.create_task(work(), name="dropped")
    await asyncio.sleep(0.01)


@pytest.mark.asyncio
async def test_task_group_awaits_its_tasks():
    async with asyncio.TaskGroup() as tg:
        task = tg.create_task(work(), name="work")
        assert not task.done()


async def not_a_test():
    task = asyncio.create_task(forever(), name="forever")
    task.cancel()


@pytest.mark.asyncio
async def test_calls_a_helper():
    await not_a_test()


BACKGROUND = None


@pytest.mark.asyncio
async def test_global_outlives_on_purpose():
    global BACKGROUND
    BACKGROUND = asyncio.create_task(work(), name="background")
    BACKGROUND.add_done_callback(print)


@pytest_asyncio.fixture
async def returned_task():
    task = asyncio.create_task(work(), name="work")
    yield task
    task.cancel()


@pytest_asyncio.fixture
async def cancelled_and_awaited_in_teardown():
    task = asyncio.create_task(forever(), name="serve")
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


@pytest.mark.asyncio
async def test_fixtures(returned_task, cancelled_and_awaited_in_teardown):
    assert await returned_task == "done"


class TestUnittestAwaits(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        task = asyncio.create_task(work(), name="setup")
        self.assertEqual(await task, "done")
