import asyncio

import pytest

SEEN = []


@pytest.mark.asyncio(loop_scope="module")
async def test_first():
    SEEN.append(asyncio.get_running_loop())


@pytest.mark.asyncio(loop_scope="module")
async def test_shares_the_module_loop():
    assert asyncio.get_running_loop() is SEEN[0]
