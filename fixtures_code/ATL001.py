import time


async def test_unclosed(:  # ATL001:25 "cannot parse"
    time.sleep(1)
