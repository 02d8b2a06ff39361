"""ATL103, bad: `assert` on a coroutine object. A coroutine is always truthy, so this cannot fail.

`is_healthy()` returns False, and the test passes.
"""

import asyncio

import pytest


async def is_healthy():
    await asyncio.sleep(0)
    return False


@pytest.mark.asyncio
@pytest.mark.timeout(5)
async def test_service_is_healthy():
    assert is_healthy()
