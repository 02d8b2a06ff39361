import asyncio
import os
import subprocess
import subprocess as sp
import sys
from subprocess import Popen
from subprocess import run as sh
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from subprocess import CompletedProcess

VERSION = [sys.executable, "--version"]


@pytest.mark.asyncio
async def test_waiting_for_a_child_blocks_the_loop():
    subprocess.run(VERSION, check=True)  # ATL203:5 "subprocess.run"
    sp.check_call(VERSION)  # ATL203:5 "subprocess.check_call"
    sh(VERSION, check=True)  # ATL203:5
    output = subprocess.check_output(VERSION)  # ATL203:14
    assert output.startswith(b"Python")
    assert subprocess.call(VERSION) == 0  # ATL203:12
    subprocess.getoutput("echo hi")  # ATL203:5 "subprocess.getoutput"
    subprocess.getstatusoutput("echo hi")  # ATL203:5
    os.system("true")  # ATL203:5 "os.system"
    os.popen("echo hi").read()  # ATL203:5 "os.popen"


@pytest.mark.asyncio
async def test_popen_starts_the_child_and_wait_blocks():
    child = subprocess.Popen(VERSION, stdout=subprocess.PIPE)
    child.poll()
    child.communicate()  # ATL203:5 "subprocess.Popen.communicate"
    child.wait()  # ATL203:5 "subprocess.Popen.wait"
    subprocess.Popen(VERSION).wait()  # ATL203:5
    with Popen(VERSION) as proc:
        proc.wait(timeout=5)  # ATL203:9


async def wait_for(proc: subprocess.Popen) -> int:
    return proc.wait()  # ATL203:12


@pytest.mark.asyncio
async def test_import_inside_function():
    from subprocess import check_output as out

    out(VERSION)  # ATL203:5


# --- negatives ---------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_asyncio_subprocess_is_the_fix():
    proc = await asyncio.create_subprocess_exec(*VERSION, stdout=asyncio.subprocess.PIPE)
    await proc.communicate()
    assert await proc.wait() == 0
    shell = await asyncio.create_subprocess_shell("true")
    await shell.wait()


@pytest.mark.asyncio
async def test_popen_alone_does_not_wait():
    child = subprocess.Popen(VERSION)
    child.kill()
    child.poll()


@pytest.mark.asyncio
async def test_thread_and_executor_are_the_fix():
    loop = asyncio.get_running_loop()
    await asyncio.to_thread(subprocess.run, VERSION, check=True)
    await asyncio.to_thread(lambda: subprocess.run(VERSION, check=True))
    await loop.run_in_executor(None, sp.check_call, VERSION)

    def build():
        return subprocess.check_output(VERSION)

    await asyncio.to_thread(build)


@pytest.mark.asyncio
async def test_parameter_named_subprocess_is_not_the_module(subprocess={"run": None}):
    subprocess.get("run")


class FakeRunner:
    def run(self, args):
        return args

    def wait(self):
        return 0


@pytest.mark.asyncio
async def test_local_named_subprocess_is_not_the_module():
    subprocess = FakeRunner()
    subprocess.run(VERSION)
    subprocess.wait()


@pytest.fixture
def proc():
    with subprocess.Popen(VERSION) as child:
        yield child


@pytest.mark.asyncio
async def test_untyped_receivers_are_not_resolved(proc):
    proc.wait()
    proc.communicate()


@pytest.mark.asyncio
async def test_os_functions_that_do_not_wait():
    assert os.path.join("a", "b") == os.path.join("a", "b")
    assert os.getpid() > 0


@pytest.mark.asyncio
async def test_code_in_strings_is_not_code():
    script = "import subprocess; subprocess.run(['true'])"
    assert "run" in script


def completed() -> "CompletedProcess[bytes]":
    return subprocess.run(VERSION, capture_output=True)


def test_sync_test_may_wait():
    subprocess.run(VERSION, check=True)
    Popen(VERSION).wait()
    assert completed().returncode == 0
