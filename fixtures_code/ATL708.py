# enable: ATL708, ATL702
import pytest
import pytest_asyncio
from pytest import fixture


@pytest.fixture  # ATL702:2
async def plain_coroutine():
    return 1


@fixture  # ATL702:2
async def plain_generator():
    yield 1


@pytest_asyncio.fixture
async def run_by_pytest_asyncio():
    return 1


@pytest.fixture
def sync_value():
    return 1


def test_sync_requests_plain(plain_coroutine, sync_value):  # ATL708:30 "sync test requests async fixture `plain_coroutine`"
    assert plain_coroutine == 1


def test_sync_requests_generator(plain_generator):  # ATL708:34
    assert plain_generator == 1


@pytest.fixture
def sync_fixture_of_async(plain_coroutine):  # ATL708:27 "sync fixture"
    return plain_coroutine


def test_sync_through_a_sync_fixture(sync_fixture_of_async):
    assert sync_fixture_of_async == 1


def test_sync_requests_pytest_asyncio_fixture(run_by_pytest_asyncio):
    # pytest-asyncio 1.x runs it and hands the value to the sync test.
    assert run_by_pytest_asyncio == 1


@pytest.mark.asyncio
async def test_async_test_is_not_this_rule(plain_coroutine):
    assert plain_coroutine == 1


@pytest.mark.parametrize("plain_coroutine", [1])
def test_parametrized_shadows_the_fixture(plain_coroutine):
    assert plain_coroutine == 1


def test_default_is_no_fixture(plain_coroutine=1):
    assert plain_coroutine == 1


class TestClass:
    @pytest.fixture
    def plain_generator(self):
        return 2

    def test_class_fixture_shadows(self, plain_generator):
        assert plain_generator == 2

    def test_method(self, plain_coroutine):  # ATL708:27
        assert plain_coroutine == 1
