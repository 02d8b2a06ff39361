import asyncio
import asyncio as aio
from asyncio import new_event_loop
from asyncio import run as run_main

import pytest


async def create_schema():
    await asyncio.sleep(0)
    return "schema"


@pytest.mark.asyncio
async def test_asyncio_run_inside_a_running_loop():
    coro = create_schema()
    with pytest.raises(RuntimeError, match="cannot be called from a running event loop"):
        asyncio.run(coro)  # ATL204:9 "asyncio.run"
    with pytest.raises(RuntimeError):
        aio.run(coro)  # ATL204:9
    with pytest.raises(RuntimeError):
        run_main(coro)  # ATL204:9
    coro.close()


@pytest.mark.asyncio
async def test_a_second_loop_cannot_run_in_the_same_thread():
    coro = create_schema()
    loop = asyncio.new_event_loop()
    with pytest.raises(RuntimeError, match="another loop is running"):
        loop.run_until_complete(coro)  # ATL204:9 "run_until_complete"
    loop.close()
    other = new_event_loop()
    with pytest.raises(RuntimeError, match="another loop is running"):
        other.run_forever()  # ATL204:9 "run_forever"
    other.close()
    coro.close()


@pytest.mark.asyncio
async def test_running_loop_cannot_be_run_again():
    coro = create_schema()
    with pytest.raises(RuntimeError, match="already running"):
        asyncio.get_running_loop().run_until_complete(coro)  # ATL204:9
    with pytest.raises(RuntimeError, match="already running"):
        asyncio.get_event_loop().run_until_complete(coro)  # ATL204:9
    assert await coro == "schema"


@pytest.mark.asyncio
async def test_runner_inside_a_running_loop():
    coro = create_schema()
    runner = asyncio.Runner()
    with pytest.raises(RuntimeError, match="cannot be called from a running event loop"):
        runner.run(coro)  # ATL204:9 "asyncio.Runner.run"
    runner.close()
    coro.close()


async def run_in_runner() -> str:
    with asyncio.Runner() as runner:
        return runner.run(create_schema())  # ATL204:16


async def drive(loop: asyncio.AbstractEventLoop) -> str:
    return loop.run_until_complete(create_schema())  # ATL204:12


# --- negatives ---------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_awaiting_is_the_fix():
    assert await create_schema() == "schema"


@pytest.mark.asyncio
async def test_other_loop_methods_are_fine():
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sum, [1, 2])
    loop.call_soon(print)
    assert loop.is_running()


@pytest.mark.asyncio
async def test_a_new_loop_in_a_thread_is_fine():
    await asyncio.to_thread(asyncio.run, create_schema())
    await asyncio.to_thread(lambda: asyncio.run(create_schema()))

    def in_thread():
        with asyncio.Runner() as runner:
            return runner.run(create_schema())

    assert await asyncio.to_thread(in_thread) == "schema"


@pytest.mark.asyncio
async def test_loop_from_a_fixture_has_no_type_fact(loop_from_fixture):
    # Not reported: the fixture's loop has no type fact (see Known problems); it is not run here.
    assert not loop_from_fixture.is_running()


@pytest.fixture
def loop_from_fixture():
    loop = asyncio.new_event_loop()
    loop.run_until_complete(create_schema())
    yield loop
    loop.close()


@pytest.mark.asyncio
async def test_local_named_asyncio_is_not_the_module():
    class Stub:
        def run(self, coro):
            coro.close()

    asyncio = Stub()
    asyncio.run(create_schema())


@pytest.mark.asyncio
async def test_code_in_strings_is_not_code():
    assert "asyncio.run(main())".startswith("asyncio")


def test_sync_test_may_run_a_loop():
    assert asyncio.run(create_schema()) == "schema"
    loop = asyncio.new_event_loop()
    try:
        assert loop.run_until_complete(create_schema()) == "schema"
    finally:
        loop.close()


def main():
    return asyncio.run(create_schema())


if __name__ == "__main__":
    asyncio.run(create_schema())
