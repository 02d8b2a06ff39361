import asyncio

import pytest


@pytest.fixture(scope="module")
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.mark.asyncio
async def test_runs_on_the_overriding_loop(event_loop):
    assert asyncio.get_running_loop() is event_loop
