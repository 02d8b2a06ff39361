"""ATL204 fixed: the test awaits the coroutine on the loop that is already running."""

import asyncio

import pytest


async def create_schema():
    await asyncio.sleep(0)
    return "schema"


@pytest.mark.asyncio
async def test_setup_with_asyncio_run():
    assert await create_schema() == "schema"


@pytest.mark.asyncio
async def test_setup_with_a_new_loop():
    assert await create_schema() == "schema"
