"""ATL104, bad: a plain `for` over a coroutine. The coroutine is not iterable.

The test fails with "TypeError: 'coroutine' object is not iterable" before any row is checked, and
the coroutine is dropped un-awaited: its body never runs.
"""

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
        for row in fetch_rows():
            assert row > 0
    finally:
        print("queries run:", QUERIES)
