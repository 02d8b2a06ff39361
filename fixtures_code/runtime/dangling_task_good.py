"""ATL402, good: the test keeps the task, so it survives a garbage collection and is cleaned up."""

import asyncio
import contextlib
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
    listener = asyncio.create_task(wait_for_reply(), name="listener")
    await asyncio.sleep(0)
    gc.collect()
    await asyncio.sleep(0)
    assert EVENTS == []
    listener.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await listener
    assert EVENTS == ["finally"]
