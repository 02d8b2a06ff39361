# enable: ATL1
import asyncio
import contextlib

import pytest

EVENTS = []


async def stream_events(n=2):
    for i in range(n):
        await asyncio.sleep(0)
        EVENTS.append(i)
        yield i


async def consume(agen):
    return [item async for item in agen]


def events_for_caller():
    # Sync code handing the async generator to its caller.
    return stream_events(1)


class Feed:
    async def tail(self):
        yield "line"

    async def start(self):
        self.tail()  # ATL105:9


# --- flagged ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_created_and_dropped():
    before = len(EVENTS)
    stream_events()  # ATL105:5 "no warning is emitted"
    await Feed().start()
    assert len(EVENTS) == before


@pytest.mark.asyncio
async def test_assigned_and_never_iterated():
    before = len(EVENTS)
    events = stream_events()  # ATL105:14
    feed = Feed()
    lines = feed.tail()  # ATL105:13
    assert len(EVENTS) == before


@pytest.mark.asyncio
async def test_awaited_instead_of_iterated():
    await stream_events()  # ATL105:11


def test_sync_test_creating_one():
    # Not ATL108: ATL105 is the more precise code for an async generator.
    stream_events()  # ATL105:5


# --- not flagged ------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_iterated():
    async for _ in stream_events(1):
        pass
    assert [i async for i in stream_events()] == [0, 1]
    agen = stream_events()
    async for _ in agen:
        pass
    async with contextlib.aclosing(stream_events()) as events:
        assert [i async for i in events] == [0, 1]


@pytest.mark.asyncio
async def test_stepped_by_hand_and_closed():
    agen = stream_events()
    assert await anext(agen) == 0
    assert await agen.asend(None) == 1
    await agen.aclose()
    never_started = stream_events()
    await never_started.aclose()


@pytest.mark.asyncio
async def test_handed_off():
    assert await consume(stream_events()) == [0, 1]
    assert await consume(events_for_caller()) == [0]
    assert await asyncio.wait_for(anext(stream_events(1)), 1) == 0
