import time

import pytest
import trio

pytestmark = pytest.mark.trio


async def test_module_pytestmark_trio():
    time.sleep(0.01)  # ATL201:5 "await trio.sleep()"


@pytest.mark.asyncio
async def test_own_asyncio_mark_wins_over_the_module():
    time.sleep(0.01)  # ATL201:5 "await asyncio.sleep()"


class TestMarkedClass:
    pytestmark = [pytest.mark.anyio]

    async def test_class_pytestmark(self):
        time.sleep(0.01)  # ATL201:9 "await anyio.sleep()"


@pytest.mark.asyncio
@pytest.mark.trio
async def test_two_libraries_cannot_be_told():
    time.sleep(0.01)  # ATL201:5 "the sleep of the async library"
