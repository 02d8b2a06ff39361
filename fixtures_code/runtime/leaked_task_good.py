"""ATL403, good: the test awaits its task, so the task's failure fails the test."""

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
    await flush
