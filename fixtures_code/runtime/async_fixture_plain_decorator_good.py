import asyncio

import pytest
import pytest_asyncio


@pytest_asyncio.fixture
async def connection():
    await asyncio.sleep(0)
    yield {"open": True}


@pytest.mark.asyncio
async def test_query(connection):
    assert connection["open"]


def test_sync_reader(connection):
    assert connection["open"]
