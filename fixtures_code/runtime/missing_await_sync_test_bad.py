"""ATL108, bad: a sync test calls an async function. Nothing runs it, and the test passes.

The email is never sent; the only trace is a RuntimeWarning in the warnings summary.
"""

import asyncio

import pytest

SENT = []


async def send_email(to):
    await asyncio.sleep(0)
    SENT.append(to)


@pytest.mark.timeout(5)
def test_send_welcome_email():
    send_email("ann@example.com")
    print("sent after the call:", SENT)
