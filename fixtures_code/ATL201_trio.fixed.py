import time

import trio


async def test_trio_module_gets_trio_sleep():
    await trio.sleep(0.01)  # ATL201:5 "await trio.sleep()"


async def helper_in_a_trio_module():
    await trio.sleep(0.01)  # ATL201:5
