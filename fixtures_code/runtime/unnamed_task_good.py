"""ATL401, good: the same hang, but the report names the task that hung."""

import asyncio

import pytest


async def consume(queue):
    while await queue.get() is not None:
        pass


@pytest.mark.asyncio
@pytest.mark.timeout(5)
async def test_consumer_stops():
    queue = asyncio.Queue()
    consumer = asyncio.create_task(consume(queue), name="consume")
    await queue.put("item")
    done, pending = await asyncio.wait({consumer}, timeout=0.05)
    assert not pending
