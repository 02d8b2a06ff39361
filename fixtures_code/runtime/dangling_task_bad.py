"""ATL402, bad: the task's only reference is dropped, so the garbage collector destroys it mid-flight.

The task waits on a future that nothing else references (as a task waiting on a connection that
the test forgot does). After `gc.collect()` its `finally` has already run: the test sees the lost
work, and asyncio logs "Task was destroyed but it is pending!".
"""

import asyncio
import gc

import pytest

EVENTS = []


async def wait_for_reply():
    reply = asyncio.get_running_loop().create_future()
    try:
        await reply
        EVENTS.append("reply")
    finally:
        EVENTS.append("finally")


@pytest.mark.asyncio
@pytest.mark.timeout(5)
async def test_listener_is_still_waiting():
    asyncio.create_task(wait_for_reply(), name="listener")
    await asyncio.sleep(0)
    gc.collect()
    await asyncio.sleep(0)
    assert EVENTS == []
