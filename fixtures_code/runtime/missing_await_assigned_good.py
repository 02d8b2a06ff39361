"""ATL102, good: the assigned call is awaited, so `result` is the saved row and the save happened."""

import asyncio

import pytest

SAVED = []


async def save(row):
    await asyncio.sleep(0)
    SAVED.append(row)
    return row


@pytest.mark.asyncio
@pytest.mark.timeout(5)
async def test_save_row():
    result = await save("row")
    print("saved after the call:", SAVED)
    assert result == "row"
    assert SAVED == ["row"]
