"""ATL403, bad: the test ends without awaiting its task, so the task's failure is never reported.

The flush fails while a fixture's teardown is still running on the loop, after the test body has
returned. Nobody awaits the task: the test passes, and the error shows up at best as a logged
"Task exception was never retrieved".
"""

import asyncio

import pytest
import pytest_asyncio


async def flush_later():
    await asyncio.sleep(0.01)
    raise RuntimeError("flush failed")


@pytest_asyncio.fixture
async def graceful_shutdown():
    yield
    await asyncio.sleep(0.05)  # e.g. a server closing its connections


@pytest.mark.asyncio
@pytest.mark.timeout(5)
async def test_flush(graceful_shutdown):
    flush = asyncio.create_task(flush_later(), name="flush")
    assert not flush.done()
