import asyncio

import pytest


@pytest.mark.asyncio
async def test_requests_removed_fixture(event_loop):  # ATL704:41 "`fixture 'event_loop' not found`"
    assert event_loop is asyncio.get_running_loop()


@pytest.fixture
def server(event_loop):  # ATL704:12 "`loop_scope=`"
    return event_loop.run_until_complete(asyncio.sleep(0))


class TestServer:
    def test_method(self, *, event_loop):  # ATL704:30
        assert event_loop


def test_local_variable_is_not_the_fixture():
    event_loop = asyncio.new_event_loop()
    event_loop.close()


@pytest.fixture
def event_loop_policy():
    return asyncio.DefaultEventLoopPolicy()
