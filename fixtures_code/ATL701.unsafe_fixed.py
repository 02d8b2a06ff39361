import unittest
from unittest import mock

import pytest
from pytest import mark as m


@pytest.mark.asyncio
async def test_unmarked():  # ATL701:11 "strict mode"
    assert False


@pytest.mark.asyncio
@pytest.mark.parametrize("x", [1, 2])
async def test_only_parametrized(x):  # ATL701:11
    assert x


@pytest.mark.asyncio
@mock.patch("os.getcwd")
async def test_patched(getcwd):  # ATL701:11
    assert getcwd


def asyncio(function):
    return function


@asyncio
async def test_project_decorator_named_like_the_mark():
    """Any other decorator may run the coroutine itself: not flagged."""


@pytest.mark.asyncio
async def test_marked():
    pass


@m.asyncio(loop_scope="module")
async def test_marked_through_alias_with_loop_scope():
    pass


@pytest.mark.anyio
async def test_anyio():
    pass


@pytest.mark.trio
async def test_trio():
    pass


async def test_requests_anyio_backend(anyio_backend):
    pass


def test_sync():
    pass


async def helper_not_a_test():
    pass


class TestUnmarked:
    @pytest.mark.asyncio
    async def test_method(self):  # ATL701:15
        pass

    def test_sync_method(self):
        pass


class TestClassMarkedAsList:
    pytestmark = [pytest.mark.asyncio(loop_scope="class"), pytest.mark.slow]

    async def test_method(self):
        pass


@pytest.mark.asyncio
class TestClassDecorated:
    async def test_method(self):
        pass


class TestUnreadablePytestmark:
    pytestmark = [*[pytest.mark.asyncio]]

    async def test_method(self):
        pass


class TestCaseIsUnittests(unittest.TestCase):
    async def test_method(self):
        pass


class TestIsolated(unittest.IsolatedAsyncioTestCase):
    async def test_method(self):
        pass


class NotCollected:
    async def test_method(self):
        pass
