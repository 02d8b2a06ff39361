"""ATL202 at run time: a blocking HTTP call to a server on the test's own loop can never be answered."""

import asyncio
import urllib.request

import pytest
import pytest_asyncio


async def answer(reader, writer):
    await reader.readuntil(b"\r\n\r\n")
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
    await writer.drain()
    writer.close()


@pytest_asyncio.fixture
async def live_server():
    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    host, port = server.sockets[0].getsockname()[:2]
    yield f"http://{host}:{port}/health"
    server.close()
    await server.wait_closed()


@pytest.mark.asyncio
@pytest.mark.timeout(10)
async def test_health(live_server):
    with urllib.request.urlopen(live_server, timeout=1) as response:
        assert response.read() == b"ok"
