"""ATL101, good: the coroutine is awaited, so its body runs before the test goes on."""

import asyncio

import pytest

SAVED = []


async def save(row):
    await asyncio.sleep(0)
    SAVED.append(row)


@pytest.mark.asyncio
@pytest.mark.timeout(5)
async def test_save_row():
    await save("row")
    print("saved after the call:", SAVED)
    assert SAVED == ["row"]
