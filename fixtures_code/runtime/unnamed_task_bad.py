"""ATL401, bad: a hung task is reported as `Task-N`; nothing says which of the test's tasks it is.

The producer forgets the sentinel, so the consumer never stops. The test's own check lists the
pending task, and the report reads `name='Task-2'`.
"""

import asyncio

import pytest


async def consume(queue):
    while await queue.get() is not None:
        pass


@pytest.mark.asyncio
@pytest.mark.timeout(5)
async def test_consumer_stops():
    queue = asyncio.Queue()
    consumer = asyncio.create_task(consume(queue))
    await queue.put("item")
    done, pending = await asyncio.wait({consumer}, timeout=0.05)
    assert not pending
