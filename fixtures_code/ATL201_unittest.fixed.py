import time
import unittest

import trio
import asyncio


class TestIsolated(unittest.IsolatedAsyncioTestCase):
    async def test_runs_under_asyncio(self):
        await asyncio.sleep(0.01)  # ATL201:9 "await asyncio.sleep()"
