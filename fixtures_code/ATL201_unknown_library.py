import asyncio
import time

import trio


async def test_trio_and_asyncio_imported_gets_no_fix():
    time.sleep(0.01)  # ATL201:5 "the sleep of the async library it runs under"
    await trio.sleep(0)
    await asyncio.sleep(0)
