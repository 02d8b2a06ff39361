"""ATL109, good: `return await fetch_price(sku)` runs the coroutine inside the `try`, so the
wrapper's `except LookupError` handles the error and the caller gets the fallback price."""

import asyncio
import inspect

import pytest


async def fetch_price(sku):
    await asyncio.sleep(0)
    raise LookupError(f"no price for {sku!r}")


async def price_or_zero(sku):
    try:
        return await fetch_price(sku)
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
