# enable: ATL1
import asyncio
import contextlib
import types
from contextlib import asynccontextmanager

import pytest


async def list_tags(n):
    for i in range(n):
        yield f"tag{i}"


async def fetch_all():
    return [1, 2]


async def pair():
    return (1, 2)


@asynccontextmanager
async def open_session():
    yield "session"


def sync_tags(n):
    for i in range(n):
        yield f"tag{i}"


def relay_tags():
    yield from list_tags(2)  # ATL104:16 "async for"


def relay_result():
    yield from fetch_all()  # ATL104:16


def relay_sync_tags():
    yield from sync_tags(2)


# --- flagged ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_for_over_an_async_generator():
    for tag in list_tags(2):  # ATL104:16
        assert tag


@pytest.mark.asyncio
async def test_for_over_a_coroutine():
    for x in fetch_all():  # ATL104:14
        assert x


@pytest.mark.asyncio
async def test_sync_consumers_of_an_async_generator():
    assert list(list_tags(2)) == ["tag0", "tag1"]  # ATL104:17
    assert sorted(list_tags(2)) == ["tag0", "tag1"]  # ATL104:19
    assert [t for t in list_tags(2)] == ["tag0", "tag1"]  # ATL104:24


@pytest.mark.asyncio
async def test_with_over_an_async_context_manager():
    with open_session() as session:  # ATL104:10
        assert session == "session"


@pytest.mark.asyncio
async def test_with_over_a_coroutine():
    with fetch_all():  # ATL104:10
        pass


@pytest.mark.asyncio
async def test_unpacking():
    print(*list_tags(2))  # ATL104:12
    assert [*fetch_all()] == [1, 2]  # ATL104:14
    first, second = pair()  # ATL104:21
    assert (first, second) == (1, 2)


def test_sync_test_iterating_an_async_generator():
    # Not ATL108: that code is for the call-statement, assignment and value forms.
    for tag in list_tags(2):  # ATL104:16
        assert tag


def test_sync_generators_delegating():
    assert list(relay_tags()) == ["tag0", "tag1"]
    assert list(relay_result()) == [1, 2]


# --- not flagged ------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_async_protocols():
    assert [t async for t in list_tags(2)] == ["tag0", "tag1"]
    async for tag in list_tags(1):
        assert tag == "tag0"
    async with open_session() as session:
        assert session == "session"
    for x in await fetch_all():
        assert x
    assert list(await fetch_all()) == [1, 2]
    first, second = await pair()
    assert (first, second) == (1, 2)
    print(*await fetch_all())


@pytest.mark.asyncio
async def test_sync_protocols_over_sync_values():
    assert list(sync_tags(2)) == ["tag0", "tag1"]
    assert list(relay_sync_tags()) == ["tag0", "tag1"]
    with contextlib.suppress(KeyError):
        {}["missing"]
    for coro in [fetch_all(), pair()]:
        assert await coro
    for next_done in asyncio.as_completed([fetch_all()]):
        assert await next_done == [1, 2]


@types.coroutine
def generator_based_coroutine():
    # From anyio's test suite: a generator-based coroutine may `yield from` a coroutine.
    yield from asyncio.sleep(0)


@pytest.mark.asyncio
async def test_generator_based_coroutine_is_awaited():
    await generator_based_coroutine()
