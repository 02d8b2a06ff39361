"""ATL106, good: the gather is awaited: the test waits for both children and sees the failure."""

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
    with pytest.raises(ValueError, match="child 2 failed"):
        await asyncio.gather(work(1), work(2))
    print("children done when the test went on:", RAN)
    assert RAN == [1, 2]
    gc.collect()
