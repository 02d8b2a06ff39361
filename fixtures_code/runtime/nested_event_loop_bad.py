"""ATL204 at run time: a coroutine cannot start a second event loop in the loop's thread."""

import asyncio

import pytest


async def create_schema():
    await asyncio.sleep(0)
    return "schema"


@pytest.mark.asyncio
async def test_setup_with_asyncio_run():
    assert asyncio.run(create_schema()) == "schema"


@pytest.mark.asyncio
async def test_setup_with_a_new_loop():
    loop = asyncio.new_event_loop()
    try:
        assert loop.run_until_complete(create_schema()) == "schema"
    finally:
        loop.close()
