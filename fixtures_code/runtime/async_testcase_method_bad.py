"""ATL706 at run time: unittest.TestCase never awaits the coroutine: green with a false assertion."""

import unittest


class TestClient(unittest.TestCase):
    async def test_false_assertion_never_runs(self):
        self.assertEqual(1, 2, "the body ran")
