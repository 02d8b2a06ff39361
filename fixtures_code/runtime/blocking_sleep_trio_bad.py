"""ATL201 under trio: `time.sleep()` blocks trio's loop too, so the worker never runs (bad).

The module imports trio only, so the linter's fix writes `await trio.sleep()` (good, byte for byte
what `fix` writes); its old fix, `asyncio.sleep`, raises `RuntimeError` under `trio.run` (the
`_asyncio_fix` twin).
"""

import time

import trio


def test_worker_runs_while_the_test_waits():
    ran = []

    async def worker():
        ran.append("worker")

    async def main():
        async with trio.open_nursery() as nursery:
            nursery.start_soon(worker)
            time.sleep(0.05)
            assert ran, "the worker never ran: the loop was blocked"

    trio.run(main)
