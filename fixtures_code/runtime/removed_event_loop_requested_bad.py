import asyncio

import pytest


@pytest.mark.asyncio
async def test_needs_the_loop(event_loop):
    assert asyncio.get_running_loop() is event_loop
