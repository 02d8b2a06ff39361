# enable: ATL1
import asyncio
import functools
import unittest
from unittest.mock import AsyncMock

import pytest

SENT = []
LOG = []


async def send_email(to):
    SENT.append(to)
    return True


async def is_healthy():
    return True


async def add(a, b):
    return a + b


async def seed_db():
    LOG.append("seeded")


async def dangerous():
    LOG.append("ran")


def run_sync(fn):
    # A project decorator that runs the coroutine to the end: the decorated name is not a coroutine function.
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


@run_sync
async def seed_now():
    return "seeded"


def email_later(to):
    # Not a test: sync code handing the coroutine to its caller.
    return send_email(to)


class Mailer:
    async def send(self, to):
        SENT.append(to)

    def outbox(self):
        return list(SENT)


# --- flagged ----------------------------------------------------------------------------------


def test_sync_test_calls_async():
    send_email("a@b")  # ATL108:5 "asyncio.run"
    assert SENT == []


def test_sync_test_uses_the_coroutine_as_a_value():
    assert is_healthy()  # ATL108:12
    assert add(1, 2) != 4  # ATL108:12


def test_sync_test_assigns_the_coroutine():
    sent = send_email("c@d")  # ATL108:12


def test_known_api_and_async_mock():
    asyncio.sleep(0.1)  # ATL108:5
    m = AsyncMock()
    m("x")  # ATL108:5
    m.assert_called_once_with("x")


def test_comprehension_statement():
    [send_email(to) for to in ("a", "b")]  # ATL108:6


class TestMailer:
    def test_method(self):
        mailer = Mailer()
        mailer.send("x")  # ATL108:9
        assert mailer.outbox() == []


@pytest.fixture
def seeded():
    seed_db()  # ATL108:5
    return "db"


@pytest.fixture
def connection():
    seed_db()  # ATL108:5
    yield "conn"


def test_uses_sync_fixtures(seeded, connection):
    assert (seeded, connection) == ("db", "conn")


class TestUnittestSync(unittest.TestCase):
    def setUp(self):
        seed_db()  # ATL108:9

    def test_method(self):
        self.assertTrue(is_healthy())  # ATL108:25


# --- not flagged ------------------------------------------------------------------------------


def test_asyncio_run():
    assert asyncio.run(add(1, 2)) == 3


def test_run_until_complete():
    loop = asyncio.new_event_loop()
    try:
        assert loop.run_until_complete(add(1, 2)) == 3
    finally:
        loop.close()


def test_deliberately_closed():
    before = list(LOG)
    c = dangerous()
    assert LOG == before
    c.close()


def test_project_decorator_that_runs_the_coroutine():
    assert seed_now() == "seeded"


def test_sync_methods_of_async_types():
    q = asyncio.Queue()
    q.put_nowait(1)
    assert q.get_nowait() == 1
    ev = asyncio.Event()
    ev.set()
    assert ev.is_set()


def test_coroutine_from_a_sync_helper_is_run():
    coro = email_later("later")
    assert asyncio.run(coro) is True


def test_async_mock_awaited_by_asyncio_run():
    m = AsyncMock(return_value=1)
    assert asyncio.run(m()) == 1
    m.assert_awaited_once()


@pytest.fixture
def private_loop():
    loop = asyncio.new_event_loop()
    loop.run_until_complete(seed_db())
    yield loop
    loop.close()


def test_sync_fixture_running_its_coroutine(private_loop):
    assert private_loop.run_until_complete(add(2, 2)) == 4
