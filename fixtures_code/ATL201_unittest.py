import time
import unittest

import trio


class TestIsolated(unittest.IsolatedAsyncioTestCase):
    async def test_runs_under_asyncio(self):
        time.sleep(0.01)  # ATL201:9 "await asyncio.sleep()"
