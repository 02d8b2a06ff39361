# enable: ATL1
import asyncio
import unittest
from unittest.mock import Mock

import pytest

SAVED = []


async def save(x):
    await asyncio.sleep(0)
    SAVED.append(x)
    return x


async def add(a, b):
    return a + b


async def warm():
    return "warm"


class Repo:
    async def flush(self):
        return ["flushed"]


def make():
    # AWAITABLE_RETURNING: a sync def that hands its caller a coroutine.
    return save("made")


def deferred():
    coro = save("deferred")
    return coro


# A module-level coroutine (B.3: skipped); a test below awaits it.
PRELOAD = save("preload")


# --- flagged ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_never_used():
    _ = await save(1)  # ATL102:9 "never awaited"
    result = await save(2)  # ATL102:14
    total: int = await add(1, 2)  # ATL102:18


@pytest.mark.asyncio
async def test_used_only_as_a_value():
    # The misleading use is reported too: this assert cannot fail.
    r = await save(1)  # ATL102:9
    assert r is not None  # ATL103:12
    state = await Repo().flush()  # ATL102:13
    print(state)  # ATL103:11


@pytest.mark.asyncio
async def test_in_a_conditional_expression(request):
    on = bool(request.node.name)
    p = await warm() if on else None  # ATL102:9


@pytest.mark.asyncio
async def test_reported_without_a_safe_fix():
    made = make()  # ATL102:12 AWAITABLE_RETURNING
    batch = [save(i) for i in range(2)]  # ATL102:14 inside a comprehension


@pytest.mark.asyncio
async def test_awaited_only_before_the_rebinding():
    # The `await step` above the second assignment cannot see it.
    step = save("one")
    await step
    step = await save("two")  # ATL102:12


@pytest.mark.asyncio
async def test_replaced_before_any_use():
    # The only read sees the second assignment: the first coroutine is dropped.
    job = await save("dropped")  # ATL102:11
    job = save("kept")
    await job


@pytest.mark.asyncio
async def test_read_before_the_assignment(request):
    pending = None
    if pending is not None:
        await pending
    pending = await save("late")  # ATL102:15


class TestUnittestStyle(unittest.IsolatedAsyncioTestCase):
    async def test_assert_is_not_none(self):
        reply = await save("reply")  # ATL102:17
        self.assertIsNotNone(reply)  # ATL103:30


# --- not flagged ------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_names_used_in_consuming_contexts():
    c = add(1, 2)
    assert await c == 3
    t1 = save(1)
    t2 = save(2)
    assert await asyncio.gather(t1, t2) == [1, 2]
    coro = save(3)
    task = asyncio.create_task(coro)
    await task
    later = save(4)
    assert await asyncio.wait_for(later, 1) == 4
    stored = save(5)
    holder = Mock()
    holder.pending = stored
    assert await holder.pending == 5
    returned = save(6)
    m = Mock(return_value=returned)
    assert await m() == 6
    listed = save(7)
    pending = [listed]
    assert await pending[0] == 7


@pytest.mark.asyncio
async def test_assigned_in_both_branches_then_awaited(request):
    if request.node.name:
        branch = save("a")
    else:
        branch = save("b")
    await branch


@pytest.mark.asyncio
async def test_rebound_after_awaiting():
    step = save("one")
    await step
    step = save("two")
    await step


@pytest.mark.asyncio
async def test_awaited_on_the_next_round_of_the_loop():
    # The read comes first in the loop body, but sees the assignment of the round before.
    pending = None
    while True:
        if pending is not None:
            await pending
            break
        pending = save("loop")


@pytest.mark.asyncio
async def test_awaited_in_finally():
    task = None
    try:
        task = save("in try")
    finally:
        if task is not None:
            await task


@pytest.mark.asyncio
async def test_deliberately_closed():
    before = len(SAVED)
    closed = save("closed")
    closed.close()
    assert len(SAVED) == before


@pytest.mark.asyncio
async def test_read_by_a_closure():
    c = add(2, 2)

    async def finish():
        return await c

    assert await finish() == 4


@pytest.mark.asyncio
async def test_returned_from_a_sync_function():
    assert await deferred() == "deferred"


@pytest.mark.asyncio
async def test_module_level_coroutine():
    assert await PRELOAD == "preload"


def test_driving_a_coroutine_by_hand():
    c = add(1, 2)
    with pytest.raises(StopIteration) as stop:
        c.send(None)
    assert stop.value.value == 3


def test_throwing_into_a_coroutine():
    c = save("x")
    with pytest.raises(KeyError):
        c.throw(KeyError("k"))
