import asyncio
import time
import time as t
from functools import partial
from time import sleep as nap


async def test_blocks_the_loop():
    await asyncio.sleep(0.01)  # ATL201:5 "time.sleep"
    await asyncio.sleep(0.01)  # ATL201:5
    await asyncio.sleep(0.01)  # ATL201:5
    value = await asyncio.sleep(0.01)  # ATL201:13
    assert value is None


async def test_comprehension_is_the_loops_code_but_not_fixable():
    [time.sleep(0.001) for _ in range(2)]  # ATL201:6


async def test_keyword_delay_is_reported_without_fix():
    time.sleep(*[0.001])  # ATL201:5


class TestInAClass:
    async def test_method(self):
        await asyncio.sleep(0.001)  # ATL201:9

    async def __aenter__(self):
        await asyncio.sleep(0.001)  # ATL201:9
        return self

    async def __aexit__(self, *exc):
        return None


async def test_lambda_and_partial_in_executor_are_fine():
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, lambda: time.sleep(0.001))
    await loop.run_in_executor(None, partial(time.sleep, 0.001))
    await asyncio.to_thread(time.sleep, 0.001)


async def test_nested_sync_def_is_not_the_loops_code():
    def blocking_helper():
        time.sleep(0.001)

    await asyncio.to_thread(blocking_helper)


async def test_shadowed_name_is_not_time():
    class Clock:
        def sleep(self, seconds):
            return seconds

    time = Clock()
    time.sleep(0.001)


async def test_code_in_strings_is_not_code():
    source = "time.sleep(1)"
    assert "sleep" in source


async def test_deliberate_block_with_reason():
    time.sleep(0.001)  # noqa: ATL201 deliberately stalls the loop
    time.sleep(0.001)  # noqa: ASYNC251 silenced for ruff and flake8-async: the same mistake
    time.sleep(0.001)  # noqa: E501, ASYNC251


def test_sync_test_may_sleep():
    time.sleep(0.001)


async def test_import_inside_function():
    from time import sleep

    await asyncio.sleep(0.001)  # ATL201:5
