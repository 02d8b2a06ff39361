import time

import anyio
import pytest


@pytest.mark.anyio
async def test_anyio_mark_gets_anyio_sleep():
    await anyio.sleep(0.01)  # ATL201:5 "await anyio.sleep()"


async def test_anyio_backend_fixture(anyio_backend):
    await anyio.sleep(0.01)  # ATL201:5 "await anyio.sleep()"


async def test_module_imports_anyio():
    await anyio.sleep(0.01)  # ATL201:5
