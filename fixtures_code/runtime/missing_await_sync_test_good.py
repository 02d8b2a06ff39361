"""ATL108, good: the test is `async def` with the asyncio marker, so it awaits the function."""

import asyncio

import pytest

SENT = []


async def send_email(to):
    await asyncio.sleep(0)
    SENT.append(to)


@pytest.mark.asyncio
@pytest.mark.timeout(5)
async def test_send_welcome_email():
    await send_email("ann@example.com")
    print("sent after the call:", SENT)
    assert SENT == ["ann@example.com"]
