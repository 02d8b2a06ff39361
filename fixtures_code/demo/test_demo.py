"""A small test module with the mistakes async-test-lint catches (see README: "Set up in two commands")."""

import asyncio
import subprocess
import time


async def produce(queue: asyncio.Queue) -> None:
    await queue.put("item")


async def test_waits_by_blocking_the_loop():
    queue: asyncio.Queue = asyncio.Queue()
    worker = asyncio.create_task(produce(queue))
    time.sleep(0.1)
    assert queue.qsize() == 1
    worker.cancel()


async def test_leaves_a_worker_running():
    worker = asyncio.create_task(produce(asyncio.Queue()))
    assert not worker.done()


async def test_fires_and_forgets():
    asyncio.create_task(produce(asyncio.Queue()))


async def test_runs_a_tool():
    subprocess.run(["true"], check=True)
