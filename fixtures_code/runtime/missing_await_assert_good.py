"""ATL103, good: the assert tests the awaited result, so the unhealthy service fails the test."""

import asyncio

import pytest


async def is_healthy():
    await asyncio.sleep(0)
    return False


@pytest.mark.asyncio
@pytest.mark.timeout(5)
async def test_service_is_healthy():
    assert await is_healthy()
