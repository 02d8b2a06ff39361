"""ATL107, good: awaited inside the block, the coroutine runs and its ValueError is caught."""

import asyncio

import pytest


async def parse(text):
    await asyncio.sleep(0)
    raise ValueError(f"cannot parse {text!r}")


@pytest.mark.asyncio
@pytest.mark.timeout(5)
async def test_parse_rejects_garbage():
    with pytest.raises(ValueError, match="cannot parse"):
        await parse("garbage")
