import asyncio

import pytest


@pytest.fixture(scope="session")
def event_loop():  # ATL704:5 "override is ignored"
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(name="event_loop")
def renamed_override():  # ATL704:5
    return asyncio.new_event_loop()


@pytest.mark.asyncio
async def test_requests_the_project_override(event_loop):
    assert event_loop is not None


def test_local_variable_is_not_the_fixture():
    event_loop = asyncio.new_event_loop()
    event_loop.close()


def helper(event_loop):
    return event_loop


@pytest.mark.parametrize("event_loop", [None])
def test_parametrized_name_is_not_a_fixture(event_loop):
    assert event_loop is None


def test_default_is_not_a_fixture(event_loop=None):
    assert event_loop is None
