"""ATL203 at run time: a child that talks to the test's server deadlocks with a blocking wait."""

import asyncio
import subprocess
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
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(server_port)],
        capture_output=True,
        timeout=2,
    )
    assert result.stdout.strip() == b"pong"
