import asyncio

import pytest


@pytest.fixture
async def connection():
    await asyncio.sleep(0)
    yield {"open": True}


@pytest.mark.asyncio
async def test_query(connection):
    assert connection["open"]


def test_sync_reader(connection):
    assert connection["open"]
