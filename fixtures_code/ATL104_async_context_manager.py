# enable: ATL101, ATL102, ATL104
import contextlib
from contextlib import asynccontextmanager

import pytest


@asynccontextmanager
async def opened():
    yield 1


@contextlib.asynccontextmanager
async def connection():
    yield "conn"


@pytest.mark.asyncio
async def test_awaiting_a_manager_raises_type_error():
    with pytest.raises(TypeError):
        await opened()  # ATL104:15 "async with opened()"
    with pytest.raises(TypeError):
        value = await connection()  # ATL104:23 "cannot await"
        assert value


@pytest.mark.asyncio
async def test_dropped_manager_advice_is_async_with_not_await():
    opened()  # ATL101:5 "use `async with opened():`"


@pytest.mark.asyncio
async def test_stored_and_never_entered():
    manager = connection()  # ATL102:15 "never entered; use `async with connection() as manager:`"
    assert manager is not None


@pytest.mark.asyncio
async def test_entered_is_fine():
    async with opened() as value:
        assert value == 1
    manager = connection()
    async with manager as conn:
        assert conn == "conn"
    async with contextlib.AsyncExitStack() as stack:
        assert await stack.enter_async_context(opened()) == 1
