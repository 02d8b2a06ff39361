import asyncio
import asyncio as aio
import contextlib
import unittest
from asyncio import create_task as spawn_task
from asyncio import ensure_future

import pytest
import pytest_asyncio


async def work():
    await asyncio.sleep(0)
    return "done"


# --- dropped references -----------------------------------------------------------------------


@pytest.mark.asyncio
async def test_dropped_tasks():
    asyncio.create_task(work(), name="work")  # ATL402:5 "dropped"
    aio.create_task(work(), name="work")  # ATL402:5
    spawn_task(work(), name="work")  # ATL402:5
    asyncio.ensure_future(work())  # ATL402:5 "asyncio.ensure_future"
    ensure_future(work())  # ATL402:5
    _ = asyncio.create_task(work(), name="work")  # ATL402:9 "stored in `_`"
    unused = asyncio.create_task(work(), name="work")  # ATL402:14 "never read"
    annotated: asyncio.Task = asyncio.create_task(work(), name="work")  # ATL402:31
    await asyncio.sleep(0.01)


@pytest.mark.asyncio
async def test_dropped_on_the_running_loop():
    loop = asyncio.get_running_loop()
    loop.create_task(work(), name="work")  # ATL402:5 "loop.create_task"
    await asyncio.sleep(0.01)


@pytest.mark.asyncio
async def test_assigned_in_both_branches_but_never_read(request):
    if request.node.name:
        task = asyncio.create_task(work(), name="a")  # ATL402:16
    else:
        task = asyncio.create_task(work(), name="b")  # ATL402:16
    await asyncio.sleep(0.01)


def schedule_in_sync_code(loop):
    # The rule is about the reference, not about awaiting: sync code can keep one too.
    asyncio.ensure_future(work(), loop=loop)  # ATL402:5


def test_loop_run_until_complete():
    loop = asyncio.new_event_loop()
    try:
        loop.create_task(work(), name="work")  # ATL402:9
        schedule_in_sync_code(loop)
        loop.run_until_complete(asyncio.sleep(0.01))
    finally:
        loop.close()


class TestUnittestStyle(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        asyncio.create_task(work(), name="setup")  # ATL402:9

    async def test_method(self):
        task = asyncio.create_task(work(), name="work")  # ATL402:16
        await asyncio.sleep(0.01)


# --- kept references --------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_later_use_keeps_it():
    task = asyncio.create_task(work(), name="work")
    await asyncio.sleep(0)
    assert await task == "done"


@pytest.mark.asyncio
async def test_assigned_in_both_branches_then_awaited(request):
    # ruff #9133: flagged by RUF006 before PR #9215.
    if request.node.name:
        task = asyncio.create_task(work(), name="a")
    else:
        task = asyncio.create_task(work(), name="b")
    await task


BACKGROUND = None


async def start_background():
    # ruff #9262: a global binding outlives the function.
    global BACKGROUND
    BACKGROUND = asyncio.create_task(work(), name="background")


@pytest.mark.asyncio
async def test_global_binding():
    await start_background()
    assert await BACKGROUND == "done"


@pytest.mark.asyncio
async def test_nonlocal_binding():
    task = None

    def start():
        nonlocal task
        task = asyncio.create_task(work(), name="work")

    start()
    assert await task == "done"


@pytest.mark.asyncio
async def test_container_and_attribute_stores():
    # ruff #16811: a local set or list holds its tasks strongly, whether or not it is read again.
    running = set()
    running.add(asyncio.create_task(work(), name="work"))
    pending = []
    pending.append(asyncio.create_task(work(), name="work"))
    by_name = {}
    by_name["work"] = asyncio.create_task(work(), name="work")

    class Holder:
        pass

    holder = Holder()
    holder.task = asyncio.create_task(work(), name="work")
    await asyncio.gather(*running, *pending, *by_name.values(), holder.task)


@pytest.mark.asyncio
async def test_awaited_gathered_or_returned_directly():
    assert await asyncio.create_task(work(), name="work") == "done"
    assert await asyncio.gather(asyncio.create_task(work(), name="work")) == ["done"]
    assert await asyncio.wait_for(asyncio.create_task(work(), name="work"), 1) == "done"


def start_and_return():
    return asyncio.ensure_future(work())


def start_in_sync_code_and_keep(loop, keep):
    # mypy PR 12279 (aiortc): ensure_future in sync code, where `await` is impossible.
    keep.append(asyncio.ensure_future(work(), loop=loop))


def test_ensure_future_in_sync_code_kept():
    loop = asyncio.new_event_loop()
    try:
        kept = []
        start_in_sync_code_and_keep(loop, kept)
        assert loop.run_until_complete(asyncio.gather(*kept)) == ["done"]
    finally:
        loop.close()


@pytest.mark.asyncio
async def test_read_only_in_a_closure():
    task = asyncio.create_task(work(), name="work")

    async def finish():
        return await task

    assert await finish() == "done"


@pytest.mark.asyncio
async def test_task_group_keeps_its_tasks():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(work(), name="work")
        ignored = tg.create_task(work(), name="work")


@pytest.mark.asyncio
async def test_signal_style_callback_returns_the_task():
    # A lambda hands the task back to its caller.
    loop = asyncio.get_running_loop()
    kept = []
    loop.call_soon(lambda: kept.append(asyncio.create_task(work(), name="shutdown")))
    await asyncio.sleep(0)
    assert await kept[0] == "done"


class Server:
    async def serve(self):
        await asyncio.Event().wait()


@pytest_asyncio.fixture
async def server():
    # ruff #20421: the generator's frame keeps `task` alive across the yield.
    server = Server()
    task = asyncio.create_task(server.serve(), name="serve")
    yield server
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


@pytest_asyncio.fixture
async def server_without_teardown():
    # Never read, but the generator's frame still holds it until the fixture is finalised.
    task = asyncio.create_task(Server().serve(), name="serve")
    yield


@pytest.mark.asyncio
async def test_fixtures(server, server_without_teardown):
    assert isinstance(server, Server)


def create_task(coro):
    # Not asyncio's: a local helper that happens to share the name.
    coro.close()


class Hass:
    def async_create_task(self, coro):
        # A framework spawner that tracks its own tasks (home-assistant).
        return asyncio.create_task(coro, name="hass")


@pytest.mark.asyncio
async def test_other_spawners_are_not_asyncio():
    create_task(work())
    Hass().async_create_task(work())
    await asyncio.sleep(0.01)


class TestUnittestKeeps(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.background = asyncio.create_task(work(), name="setup")

    async def asyncTearDown(self):
        await self.background

    async def test_method(self):
        self.assertEqual(await asyncio.create_task(work(), name="work"), "done")


async def test_create_task_of_a_non_coroutine_awaitable_creates_no_task():
    # `asyncio.sleep` is a coroutine function, `asyncio.gather` is not: create_task raises TypeError
    # on the gather's future, so there is no task to drop (the call itself is the bug).
    loop = asyncio.get_running_loop()
    with pytest.raises(TypeError):
        loop.create_task(asyncio.gather())
