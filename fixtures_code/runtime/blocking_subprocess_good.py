"""ATL203 fixed: asyncio's subprocess API lets the test's server answer the child."""

import asyncio
import sys

import pytest
import pytest_asyncio

# The child connects to the server the test runs, sends "ping" and prints the answer.
CHILD = (
    "import socket, sys; "
    "conn = socket.create_connection(('127.0.0.1', int(sys.argv[1]))); "
    "conn.sendall(b'ping\\n'); "
    "print(conn.makefile().readline().strip())"
)


async def pong(reader, writer):
    await reader.readline()
    writer.write(b"pong\n")
    await writer.drain()
    writer.close()


@pytest_asyncio.fixture
async def server_port():
    server = await asyncio.start_server(pong, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()


@pytest.mark.asyncio
@pytest.mark.timeout(15)
async def test_client_talks_to_server(server_port):
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CHILD, str(server_port), stdout=asyncio.subprocess.PIPE
    )
    stdout, _ = await asyncio.wait_for(proc.communicate(), timeout=10)
    assert stdout.strip() == b"pong"
