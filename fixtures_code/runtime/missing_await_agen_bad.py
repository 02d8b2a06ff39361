"""ATL105, bad: an async generator is called and never iterated.

Its body never runs, and unlike a never-awaited coroutine this leaves no trace at all: CPython
emits no RuntimeWarning for an async generator that was never started.
"""

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
    stream_events()
    print("events after the call:", EVENTS)
