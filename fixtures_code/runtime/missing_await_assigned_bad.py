"""ATL102, bad: the coroutine is assigned and never awaited, so `result` holds a coroutine object.

Assigning it silences nothing at run time and saves nothing: the body never runs, the test passes,
and the only trace is a RuntimeWarning ("coroutine 'save' was never awaited") in the warnings
summary, raised when the test returns and `result` is dropped.
"""

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
    result = save("row")
    print("saved after the call:", SAVED)
