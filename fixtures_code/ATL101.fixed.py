# enable: ATL1
import asyncio
import asyncio as aio
import concurrent.futures
import functools
import queue
import sqlite3
import unittest
from asyncio import sleep as nap
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, assert_type, reveal_type
from unittest import mock
from unittest.mock import AsyncMock, Mock, create_autospec

import pytest
import requests
import wrapt

SAVED = []


async def save(x):
    await asyncio.sleep(0)
    SAVED.append(x)
    return x


async def fetch(i: int) -> int:
    await asyncio.sleep(0)
    return i


async def parse(text):
    raise ValueError(text)


async def numbers(n):
    for i in range(n):
        yield i


async def with_deadline(coro, seconds=1):
    return await asyncio.wait_for(coro, seconds)


def make():
    # AWAITABLE_RETURNING: a sync def that hands its caller a coroutine.
    return fetch(1)


def timed(fn):
    # Proven async-preserving: the wrapper is `async def` and returns `await fn(...)`.
    @functools.wraps(fn)
    async def inner(*args, **kwargs):
        return await fn(*args, **kwargs)

    return inner


def traced(fn):
    # A sync pass-through: the decorated function returns whatever fn returns, a coroutine.
    @functools.wraps(fn)
    def inner(*args, **kwargs):
        return fn(*args, **kwargs)

    return inner


@timed
async def timed_save(x):
    return await save(x)


@traced
async def traced_save(x):
    return await save(x)


@functools.lru_cache(maxsize=None)
async def settings():
    return {"debug": True}


@wrapt.decorator
def run_in_fresh_loop(wrapped, instance, args, kwargs):
    # The index cannot see through this decorator (its own decorator comes from outside the
    # project). It runs the coroutine to the end on a private loop: the call is synchronous.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, wrapped(*args, **kwargs)).result()


@run_in_fresh_loop
async def compute_offline(x):
    return x * 2


class Repo:
    def __init__(self):
        self.flushed = 0

    async def flush(self):
        await asyncio.sleep(0)
        self.flushed += 1
        return self.flushed

    def size(self):
        return self.flushed

    @classmethod
    async def create(cls):
        return cls()

    @staticmethod
    async def ping():
        return "pong"

    @classmethod
    async def warmed(cls):
        await cls.ping()  # ATL101:9
        return cls()

    async def flush_twice(self):
        await self.flush()  # ATL101:9
        return await self.flush()


class CachedRepo(Repo):
    async def flush(self):
        await super().flush()  # ATL101:9
        return self.flushed


class LocalStore:
    """A sync `fetch`: a receiver of this type must not resolve to the module's async `fetch`."""

    def __init__(self):
        self.data = {"k": 1}

    def fetch(self, key):
        return self.data[key]


class Ticket:
    """Awaitable, but not a coroutine: a custom `__await__` (mypy #14795)."""

    def __init__(self):
        self.done = False

    def __await__(self):
        yield  # one trip through the event loop, as asyncio.sleep(0) makes
        self.done = True
        return "ticket"


class Connector:
    async def connect(self):
        return "connected"

    async def start(self):
        # Stored on self and awaited in finish(): a store is a hand-off.
        self._pending = self.connect()

    async def finish(self):
        return await self._pending


async def put_one(q: asyncio.Queue) -> None:
    await q.put(1)  # ATL101:5


async def seed_helper():
    # Not a test: ATL101 holds in every `async def`.
    await save("helper")  # ATL101:5


async def apply_statement(conn, sql):
    # `conn` has no type fact: `execute` is an asyncpg method name too, but nothing says this is asyncpg.
    conn.execute(sql)
    return conn


def pending_saves():
    yield save("a")
    yield save("b")


def start_in_sync_code(loop, keep):
    # mypy PR 12279 (aiortc): ensure_future in sync code, where `await` is impossible.
    keep.append(asyncio.ensure_future(fetch(1), loop=loop))


@pytest.fixture
def repo():
    return Repo()


if TYPE_CHECKING:

    async def typed_only() -> None:
        save("never runs")


# --- flagged ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_same_module_functions():
    await save(1)  # ATL101:5 "never awaited"
    await timed_save(2)  # ATL101:5
    await settings()  # ATL101:5
    traced_save(3)  # ATL101:5 AWAITABLE_RETURNING: reported, no safe fix
    make()  # ATL101:5 AWAITABLE_RETURNING: reported, no safe fix


@pytest.mark.asyncio
async def test_known_asyncio_api():
    await asyncio.sleep(0)  # ATL101:5
    await aio.sleep(0)  # ATL101:5
    await nap(0)  # ATL101:5
    await asyncio.wait_for(fetch(1), 1)  # ATL101:5


@pytest.mark.asyncio
async def test_receiver_types_from_constructors():
    q = asyncio.Queue()
    await q.put(1)  # ATL101:5
    await q.get()  # ATL101:5
    ev = asyncio.Event()
    ev.set()
    await ev.wait()  # ATL101:5
    sem = asyncio.Semaphore(1)
    await sem.acquire()  # ATL101:5
    sem.release()


@pytest.mark.asyncio
async def test_annotated_parameter_and_running_loop():
    await put_one(asyncio.Queue())
    await seed_helper()
    loop = asyncio.get_running_loop()
    await loop.getaddrinfo("127.0.0.1", 80)  # ATL101:5


@pytest.mark.asyncio
async def test_stream_writer_from_open_connection():
    async def echo(reader, writer):
        writer.write(await reader.read(100))
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"ping")
    await writer.drain()  # ATL101:5
    assert await reader.read(100) == b"ping"
    writer.close()
    await writer.wait_closed()  # ATL101:5
    server.close()
    await server.wait_closed()


class TestRepo:
    @pytest.mark.asyncio
    async def test_project_class_receivers(self):
        repo = Repo()
        await repo.flush()  # ATL101:9
        await Repo().flush()  # ATL101:9
        await Repo.create()  # ATL101:9
        await Repo.ping()  # ATL101:9
        await repo.flush_twice()
        await CachedRepo().flush()
        await Repo.warmed()


@pytest.mark.asyncio
async def test_fixture_type_fact(repo):
    await repo.flush()  # ATL101:5


class TestRepoCase(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.repo = Repo()

    async def test_self_attribute_from_setup(self):
        await self.repo.flush()  # ATL101:9

    async def test_self_attribute_in_the_method(self):
        self.other = Repo()
        await self.other.flush()  # ATL101:9


@pytest.mark.asyncio
async def test_async_mock_calls():
    m = AsyncMock()
    await m(1)  # ATL101:5
    await m.child()  # ATL101:5
    nested = mock.AsyncMock(return_value=3)
    await nested.method.sub()  # ATL101:5
    spec = create_autospec(save)
    await spec(1)  # ATL101:5
    m.assert_called_once_with(1)


@pytest.mark.asyncio
async def test_comprehension_statement_is_reported_without_fix():
    [save(i) for i in range(2)]  # ATL101:6


@pytest.mark.asyncio
async def test_inside_blocks_and_nested_defs(request):
    async def inner():
        await save("inner")  # ATL101:9

    await inner()
    if request.node.name:
        await save("if")  # ATL101:9
    try:
        pass
    finally:
        await save("finally")  # ATL101:9
    async with asyncio.timeout(1):
        await save("async with")  # ATL101:9
    async for _ in numbers(1):
        await save("async for")  # ATL101:9


# --- not flagged ------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_awaited_scheduled_or_handed_off():
    await save(1)
    task = asyncio.create_task(fetch(1))
    await task
    assert await asyncio.gather(*[fetch(i) for i in range(3)]) == [0, 1, 2]
    c = fetch(1)
    assert await c == 1
    assert await asyncio.wait_for(fetch(1), 5) == 1
    async with asyncio.TaskGroup() as tg:
        tg.create_task(fetch(1))
    assert await make() == 1
    assert await with_deadline(fetch(1)) == 1
    with pytest.raises(ValueError):
        await parse("x")
    f = lambda: fetch(1)  # noqa: E731
    assert await f() == 1
    assert [x async for x in numbers(3)] == [0, 1, 2]
    assert await anext(numbers(1)) == 0
    pending = []
    pending.append(save(1))
    await asyncio.gather(*pending)


@pytest.mark.asyncio
async def test_created_first_then_gathered():
    # ruff #9833: legal asyncio.
    t1 = fetch(1)
    t2 = fetch(2)
    assert await asyncio.gather(t1, t2) == [1, 2]


@pytest.mark.asyncio
async def test_stored_on_self_and_awaited_elsewhere():
    connector = Connector()
    await connector.start()
    assert await connector.finish() == "connected"


@pytest.mark.asyncio
async def test_same_names_on_other_types():
    store = LocalStore()
    assert store.fetch("k") == 1
    assert getattr(LocalStore(), "fetch")("k") == 1
    assert {"k": 1}.get("k") == 1
    sync_queue = queue.Queue()
    sync_queue.put(1)
    assert sync_queue.get() == 1
    assert queue.Queue().qsize() == 0


@pytest.mark.asyncio
async def test_sync_methods_of_async_types():
    q = asyncio.Queue()
    q.put_nowait(1)
    assert q.get_nowait() == 1
    q.task_done()
    ev = asyncio.Event()
    ev.set()
    assert ev.is_set()
    ev.clear()
    lock = asyncio.Lock()
    assert not lock.locked()


@pytest.mark.asyncio
async def test_async_mock_awaited():
    m = AsyncMock()
    await m(1)
    m.assert_awaited_once_with(1)


@pytest.mark.asyncio
async def test_custom_awaitable():
    assert await Ticket() == "ticket"
    ticket = Ticket()
    assert not ticket.done
    assert await ticket == "ticket"
    assert ticket.done


@pytest.mark.asyncio
async def test_reveal_type_and_assert_type():
    coro = fetch(1)
    reveal_type(coro)
    assert_type(coro, Coroutine[Any, Any, int])
    assert await coro == 1


@pytest.mark.asyncio
async def test_coroutines_handed_to_mocks():
    m = Mock(return_value=fetch(1))
    assert await m() == 1
    n = Mock()
    n.side_effect = [fetch(2)]
    assert await n() == 2
    stored = Mock()
    stored.side_effect = fetch(3)
    assert await stored.side_effect == 3


@pytest.mark.asyncio
async def test_deliberately_closed_coroutine_checks_laziness():
    before = len(SAVED)
    c = save("lazy")
    c.close()
    assert len(SAVED) == before


@pytest.mark.asyncio
async def test_coroutines_yielded_by_a_sync_generator():
    for coro in pending_saves():
        await coro


@pytest.mark.asyncio
async def test_type_checking_block():
    if TYPE_CHECKING:
        save("never runs")


@pytest.mark.asyncio
async def test_unresolvable_callees():
    assert compute_offline(2) == 4
    conn = sqlite3.connect(":memory:")
    try:
        await apply_statement(conn, "create table t (x)")
    finally:
        conn.close()


def test_ensure_future_in_sync_code():
    loop = asyncio.new_event_loop()
    try:
        kept = []
        start_in_sync_code(loop, kept)
        assert loop.run_until_complete(asyncio.gather(*kept)) == [1]
        assert loop.run_until_complete(fetch(2)) == 2
    finally:
        loop.close()
    assert asyncio.run(fetch(3)) == 3


def test_requests_get_is_not_asyncio():
    responses = pytest.importorskip("responses")
    with responses.RequestsMock() as mocked:
        mocked.add(responses.GET, "http://example.invalid/health", json={"ok": True})
        assert requests.get("http://example.invalid/health").json() == {"ok": True}
