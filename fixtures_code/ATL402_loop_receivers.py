"""`loop.create_task(...)` dropped, where the loop comes from a well-known plugin fixture or test
case attribute (src/async_test_lint/data/plugin_facts.toml). Not runnable: `loop` and `event_loop`
come from pytest-aiohttp and pytest-asyncio < 1.0, which this project does not install."""

import asyncio
import unittest
from unittest import IsolatedAsyncioTestCase

import pytest
from aiohttp.test_utils import AioHTTPTestCase


async def work():
    await asyncio.sleep(0)


# --- flagged: the receiver is a plugin's loop ------------------------------------------------


async def test_loop_fixture_of_pytest_aiohttp(loop):
    loop.create_task(work(), name="work")  # ATL402:5 "loop.create_task"


async def test_event_loop_fixture_of_pytest_asyncio(event_loop):
    event_loop.create_task(work(), name="work")  # ATL402:5


@pytest.fixture
async def background(event_loop):
    event_loop.create_task(work(), name="work")  # ATL402:5
    return None


class TestClassUsesTheModuleLoop:
    async def test_method(self, loop):
        loop.create_task(work(), name="work")  # ATL402:9


class TestAioHTTP(AioHTTPTestCase):
    async def get_application(self):
        return None

    async def test_self_loop(self):
        self.loop.create_task(work(), name="work")  # ATL402:9


class AppTestCase(AioHTTPTestCase):
    """A project base class between the test and aiohttp's."""

    async def get_application(self):
        return None


class TestThroughAProjectBase(AppTestCase):
    async def test_self_loop(self):
        self.loop.create_task(work(), name="work")  # ATL402:9


# --- not flagged -----------------------------------------------------------------------------


class TestOwnLoopFixture:
    # A class fixture of the same name shadows the plugin's for the class's tests.
    @pytest.fixture
    def loop(self):
        return Scheduler()

    async def test_method(self, loop):
        loop.create_task(work(), name="work")


class Scheduler:
    def create_task(self, coro, name=None):
        coro.close()


@pytest.fixture
def proactor_loop():
    # A module fixture overriding the plugin's `proactor_loop`: not a loop here.
    return Scheduler()


async def test_module_fixture_shadows_the_plugin(proactor_loop):
    proactor_loop.create_task(work(), name="work")


@pytest.mark.parametrize("loop", [Scheduler()])
async def test_parametrized_name_is_not_the_fixture(loop):
    loop.create_task(work(), name="work")


async def test_parameter_with_a_default_is_not_a_fixture(loop=Scheduler()):
    loop.create_task(work(), name="work")


async def test_unknown_parameter(scheduler):
    scheduler.create_task(work(), name="work")


def helper(loop):
    # Not a test or fixture: `loop` is whatever the caller passes.
    loop.create_task(work(), name="work")


async def test_loop_of_unknown_origin():
    loop = make_loop()
    loop.create_task(work(), name="work")


def make_loop():
    return Scheduler()


class PlainClass:
    def __init__(self):
        self.loop = Scheduler()

    async def run(self):
        self.loop.create_task(work(), name="work")


class NoLoopAttribute:
    async def run(self):
        # `self.loop` of a class that is no test case: unknown.
        self.loop.create_task(work(), name="work")


class TestIsolated(IsolatedAsyncioTestCase):
    async def test_self_loop(self):
        # CPython's IsolatedAsyncioTestCase has no `loop` attribute: AttributeError, no task.
        self.loop.create_task(work(), name="work")


class TestIsolatedQualified(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.loop = Scheduler()

    async def test_self_loop(self):
        self.loop.create_task(work(), name="work")


class TestAioHTTPRebindsLoop(AioHTTPTestCase):
    async def asyncSetUp(self):
        await super().asyncSetUp()
        self.loop = Scheduler()

    async def test_self_loop(self):
        self.loop.create_task(work(), name="work")


class TestAioHTTPStaticMethod(AioHTTPTestCase):
    @staticmethod
    async def helper(other):
        other.loop.create_task(work(), name="work")


class TestAioHTTPKeepsTheTask(AioHTTPTestCase):
    async def test_kept(self):
        task = self.loop.create_task(work(), name="work")
        await task


async def test_loop_kept(loop):
    task = loop.create_task(work(), name="work")
    await task
