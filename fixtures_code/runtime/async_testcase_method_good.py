"""ATL706 fixed (`fix --unsafe-fixes` of async_testcase_method_bad.py): the body runs and fails."""

import unittest


class TestClient(unittest.IsolatedAsyncioTestCase):
    async def test_false_assertion_never_runs(self):
        self.assertEqual(1, 2, "the body ran")
