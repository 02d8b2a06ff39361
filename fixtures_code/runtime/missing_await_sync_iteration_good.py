"""ATL104, good: the coroutine is awaited and its result is iterated."""

import asyncio

import pytest

QUERIES = []


async def fetch_rows():
    await asyncio.sleep(0)
    QUERIES.append("select")
    return [1, 2]


@pytest.mark.asyncio
@pytest.mark.timeout(5)
async def test_rows_are_positive():
    try:
        for row in await fetch_rows():
            assert row > 0
    finally:
        print("queries run:", QUERIES)
