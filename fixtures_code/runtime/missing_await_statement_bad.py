"""ATL101, bad: a bare call of a coroutine function creates the coroutine and drops it.

The body never runs, and the test passes: the only trace is a RuntimeWarning ("coroutine 'save'
was never awaited") in pytest's warnings summary, which CI logs rarely show.
"""

import asyncio

import pytest

SAVED = []


async def save(row):
    await asyncio.sleep(0)
    SAVED.append(row)


@pytest.mark.asyncio
@pytest.mark.timeout(5)
async def test_save_row():
    save("row")
    print("saved after the call:", SAVED)
