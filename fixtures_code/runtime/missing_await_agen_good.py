"""ATL105, good: the async generator is iterated with `async for`, so its body runs."""

import asyncio

import pytest

EVENTS = []


async def stream_events():
    EVENTS.append("subscribed")
    await asyncio.sleep(0)
    yield "event"


@pytest.mark.asyncio
@pytest.mark.timeout(5)
async def test_stream_events():
    received = [event async for event in stream_events()]
    print("events after the call:", EVENTS)
    assert received == ["event"]
