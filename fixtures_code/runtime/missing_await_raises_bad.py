"""ATL107, bad: `pytest.raises` around an un-awaited call. The coroutine never runs, so it cannot raise.

The test fails with a confusing "DID NOT RAISE", although `parse()` does raise when it runs.
"""

import asyncio

import pytest


async def parse(text):
    await asyncio.sleep(0)
    raise ValueError(f"cannot parse {text!r}")


@pytest.mark.asyncio
@pytest.mark.timeout(5)
async def test_parse_rejects_garbage():
    with pytest.raises(ValueError, match="cannot parse"):
        parse("garbage")
