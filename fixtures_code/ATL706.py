import unittest
import unittest as ut
from unittest import IsolatedAsyncioTestCase
from unittest import TestCase as Case


class TestPlain(unittest.TestCase):
    async def test_never_awaited(self):  # ATL706:15 "never awaited"
        self.assertTrue(False)

    async def test_second(self):  # ATL706:15
        self.assertTrue(False)

    def test_sync(self):
        self.assertTrue(True)

    async def helper(self):
        """Not a test for unittest: not flagged."""


class TestAliasedModule(ut.TestCase):
    async def test_method(self):  # ATL706:15
        pass


class TestAliasedName(Case):
    async def test_method(self):  # ATL706:15
        pass


class TestThroughALocalBase(TestPlain):
    async def test_method(self):  # ATL706:15
        pass


class TestIsolated(unittest.IsolatedAsyncioTestCase):
    async def test_method(self):
        pass


class TestIsolatedImported(IsolatedAsyncioTestCase):
    async def test_method(self):
        pass


class TestPytestStyle:
    async def test_method(self):
        """A pytest class: ATL701's."""


def test_a_case_built_inside_a_function_is_not_collected():
    class Inner(unittest.TestCase):
        async def test_method(self):
            pass

    return Inner
