"""ATL205 at run time: a listed blocking helper freezes every other task while it runs."""

import asyncio

import pytest
import slowlib


@pytest.mark.asyncio
async def test_heartbeat_continues_during_report():
    beats = 0

    async def heartbeat():
        nonlocal beats
        while True:
            beats += 1
            await asyncio.sleep(0.01)

    task = asyncio.create_task(heartbeat())
    await asyncio.sleep(0)
    before = beats
    report = slowlib.fetch_report()
    during = beats - before
    task.cancel()
    assert report == "report"
    assert during > 0, "no heartbeat while the report was fetched: the loop was blocked"
