"""ATL109, bad: `return fetch_price(sku)` inside a `try` returns the coroutine unstarted.

The `try` ends with the return, before the coroutine runs, so its `except LookupError` can never
catch what `fetch_price` raises. The caller awaits the wrapper and gets a coroutine instead of a
price; a caller that awaits that coroutine too gets the LookupError the wrapper was meant to handle.
"""

import asyncio
import inspect

import pytest


async def fetch_price(sku):
    await asyncio.sleep(0)
    raise LookupError(f"no price for {sku!r}")


async def price_or_zero(sku):
    try:
        return fetch_price(sku)
    except LookupError:
        return 0


@pytest.mark.asyncio
@pytest.mark.timeout(5)
async def test_unknown_sku_costs_nothing():
    price = await price_or_zero("nope")
    print("the wrapper returned:", price)
    if inspect.iscoroutine(price):  # a caller that knows it got a coroutine awaits it too
        price = await price
    assert price == 0
