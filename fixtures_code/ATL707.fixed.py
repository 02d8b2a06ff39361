import pytest
from pytest import mark


def test_sync_marked():  # ATL707:5 "sync test"
    pass


def test_sync_marked_through_alias():  # ATL707:5
    pass


@pytest.mark.asyncio
async def test_async_marked():
    pass


@pytest.mark.anyio
def test_anyio_mark_is_not_asyncio():
    pass


def asyncio(function):
    return function


@asyncio
def test_project_decorator_named_like_the_mark():
    pass


@pytest.mark.asyncio
def helper_not_a_test():
    pass


class TestMethods:
    def test_sync_method(self):  # ATL707:9
        pass

    @pytest.mark.asyncio
    async def test_async_method(self):
        pass


@pytest.mark.asyncio  # a comment here would be lost: reported without a fix
def test_commented_mark():  # ATL707:5
    pass
