# enable: ATL1
"""ATL109 is opt-in: a coroutine function returning another coroutine un-awaited (double-await smell)."""

import asyncio

import pytest


async def fetch_user(uid):
    await asyncio.sleep(0)
    return {"id": uid}


async def numbers():
    yield 1


class Repo:
    async def load(self):
        return "loaded"

    async def load_via_self(self):
        return self.load()  # ATL109:16


async def get_user(uid):
    return fetch_user(uid)  # ATL109:12


async def nap():
    return asyncio.sleep(0, result="slept")  # ATL109:12


# --- not flagged ------------------------------------------------------------------------------


async def get_user_awaited(uid):
    return await fetch_user(uid)


def get_user_sync(uid):
    # A sync def handing the coroutine to its caller.
    return fetch_user(uid)


async def stream():
    # An async generator object, not a coroutine-function call.
    return numbers()


async def spawn(uid):
    # A task: already scheduled.
    return asyncio.create_task(fetch_user(uid))


async def both():
    # A future from gather(): ATL109 is about coroutine-function calls only.
    return asyncio.gather(fetch_user(1), fetch_user(2))


async def factory_maker():
    def factory():
        return fetch_user(3)

    return factory


@pytest.mark.asyncio
async def test_callers_await_twice():
    assert await (await get_user(1)) == {"id": 1}
    assert await (await Repo().load_via_self()) == "loaded"
    assert await (await nap()) == "slept"
    assert await get_user_awaited(2) == {"id": 2}
    assert await get_user_sync(3) == {"id": 3}
    assert [x async for x in await stream()] == [1]
    assert await (await spawn(4)) == {"id": 4}
    assert await (await both()) == [{"id": 1}, {"id": 2}]
    factory = await factory_maker()
    assert await factory() == {"id": 3}
