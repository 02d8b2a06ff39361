"""ATL201 at run time: the test waits for a worker task; blocking_sleep_good.py is `fix` of this file."""

import asyncio
import time

import pytest


@pytest.mark.asyncio
async def test_worker_finishes_while_the_test_waits():
    finished = asyncio.Event()

    async def worker():
        await asyncio.sleep(0)
        finished.set()

    task = asyncio.create_task(worker())
    time.sleep(0.05)
    assert finished.is_set(), "the worker never ran: the loop was blocked"
    await task
