import time


async def test_unclosed(:  # ATL001:24 "cannot parse"
    time.sleep(1)
