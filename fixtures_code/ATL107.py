# enable: ATL1
import asyncio
import contextlib
import unittest
import warnings

import pytest


async def raiser():
    raise ValueError("boom")


async def parse(text):
    raise ValueError(f"bad: {text}")


async def warner():
    warnings.warn("old", DeprecationWarning)


async def wait_ready():
    raise TimeoutError


def sync_raiser():
    raise ValueError("sync")


def make_raiser():
    # AWAITABLE_RETURNING: a sync def that hands its caller a coroutine.
    return raiser()


# --- flagged ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_pytest_raises_block():
    # Fails with "DID NOT RAISE": the coroutine never runs.
    with pytest.raises(ValueError):
        raiser()  # ATL107:9 "the expected exception can never be raised"


@pytest.mark.asyncio
async def test_pytest_raises_with_match_and_more_statements():
    with pytest.raises(ValueError, match="bad"):
        text = "x"
        parse(text)  # ATL107:9


@pytest.mark.asyncio
async def test_result_assigned_inside_the_block():
    with pytest.raises(ValueError):
        result = raiser()  # ATL107:18


@pytest.mark.asyncio
async def test_pytest_warns_block():
    with pytest.warns(DeprecationWarning):
        warner()  # ATL107:9


@pytest.mark.asyncio
async def test_suppress_passes_silently():
    with contextlib.suppress(TimeoutError):
        wait_ready()  # ATL107:9


@pytest.mark.asyncio
async def test_try_around_only_the_call_passes_silently():
    try:
        raiser()  # ATL107:9
    except ValueError:
        pass


@pytest.mark.asyncio
async def test_try_with_more_statements_is_a_plain_missing_await():
    try:
        text = "x"
        parse(text)  # ATL101:9
    except ValueError:
        pass


@pytest.mark.asyncio
async def test_callable_forms():
    pytest.raises(ValueError, raiser)  # ATL107:5
    pytest.raises(ValueError, parse, "x")  # ATL107:5
    pytest.raises(ValueError, parse, text="x")  # ATL107:5


@pytest.mark.xfail(strict=True, reason="no safe fix: still DID NOT RAISE after `fix`")
@pytest.mark.asyncio
async def test_reported_without_a_safe_fix():
    with pytest.raises(ValueError):
        make_raiser()  # ATL107:9 AWAITABLE_RETURNING
    excinfo = pytest.raises(ValueError, raiser)  # ATL107:15 not a statement
    pytest.warns(DeprecationWarning, warner)  # ATL107:5 only the pytest.raises callable form is rewritten


class TestUnittestStyle(unittest.IsolatedAsyncioTestCase):
    async def test_assert_raises_block(self):
        with self.assertRaises(ValueError):
            raiser()  # ATL107:13

    @unittest.expectedFailure  # no safe fix: still fails after `fix`
    async def test_assert_raises_callable_form(self):
        self.assertRaises(ValueError, raiser)  # ATL107:9 only the pytest.raises callable form is rewritten


@pytest.mark.xfail(strict=True, reason="no safe fix: still DID NOT RAISE after `fix`")
def test_sync_test_with_a_block():
    # ATL107 ranks above ATL108; a sync def gets no fix.
    with pytest.raises(ValueError):
        raiser()  # ATL107:9


@pytest.mark.xfail(strict=True, reason="no safe fix: still DID NOT RAISE after `fix`")
def test_sync_test_with_the_callable_form():
    pytest.raises(ValueError, raiser)  # ATL107:5


# --- not flagged ------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_awaited_inside_the_block():
    with pytest.raises(ValueError):
        await raiser()
    with pytest.raises(ValueError, match="bad"):
        await parse("x")
    with pytest.warns(DeprecationWarning):
        await warner()
    with contextlib.suppress(TimeoutError):
        await wait_ready()
    try:
        await raiser()
    except ValueError:
        pass
    with pytest.raises(ValueError):
        await asyncio.wait_for(raiser(), 1)
    with pytest.raises(ValueError):
        await make_raiser()


@pytest.mark.asyncio
async def test_sync_callees():
    with pytest.raises(ValueError):
        sync_raiser()
    pytest.raises(ValueError, sync_raiser)


def test_sync_test_running_the_coroutine():
    with pytest.raises(ValueError):
        asyncio.run(raiser())
    pytest.raises(ValueError, asyncio.run, parse("x"))


class TestUnittestAwaited(unittest.IsolatedAsyncioTestCase):
    async def test_assert_raises_block(self):
        with self.assertRaises(ValueError):
            await raiser()
