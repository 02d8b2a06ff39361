import pytest
import pytest as pt
import pytest_asyncio
from pytest import fixture
from pytest import fixture as fx


@pytest.fixture  # ATL702:2 "async fixture `db`"
async def db():
    yield {"rows": []}


@pytest.fixture(scope="module", params=[1, 2])  # ATL702:2
async def numbered(request):
    return request.param


@fixture  # ATL702:2
async def from_import():
    return 1


@fx(autouse=False)  # ATL702:2
async def aliased():
    return 1


@pt.fixture(name="renamed")  # ATL702:2
async def module_alias():
    return 1


class TestInAClass:
    @pytest.fixture  # ATL702:6
    async def method_fixture(self):
        return 1


@pytest_asyncio.fixture
async def already_asyncio():
    yield 1


@pytest.fixture
def sync_fixture():
    return 1


async def helper_not_a_fixture():
    return 1


def make_fixture():
    def fixture(function):
        return function

    @fixture
    async def local_decorator_named_fixture():
        return 1

    return local_decorator_named_fixture


@pytest.mark.asyncio
async def test_uses(db, numbered, from_import, aliased, renamed, already_asyncio):
    assert db == {"rows": []}
