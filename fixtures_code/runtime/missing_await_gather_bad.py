"""ATL106, bad: `asyncio.gather(...)` is not awaited.

The children are scheduled, but the test does not wait for them: they have not run when it goes on.
When one fails, nobody retrieves the exception; asyncio only logs "_GatheringFuture exception was
never retrieved" once the future is collected, and the test passes.
"""

import asyncio
import gc

import pytest

RAN = []


async def work(i):
    await asyncio.sleep(0.01 * i)
    RAN.append(i)
    if i == 2:
        raise ValueError("child 2 failed")


@pytest.mark.asyncio
@pytest.mark.timeout(5)
async def test_children_run():
    asyncio.gather(work(1), work(2))
    print("children done when the test went on:", RAN)
    await asyncio.sleep(0.1)  # the rest of the test: the children finish meanwhile
    gc.collect()
