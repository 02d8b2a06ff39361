# enable: ATL1
# The standard library's os and os.path functions are plain functions: called bare, assigned,
# asserted, iterated or entered in a test, none of them is a coroutine. aiofiles.os wraps them in
# coroutine functions that carry the wrapped function's __wrapped__ and __module__: only those
# wrappers are async (ATL1 is enabled: no rule of the family may flag the plain ones).
import genericpath
import os
import os.path
import os.path as osp
import posix
import posixpath
from os import makedirs, removedirs, renames
from os.path import abspath, exists, isdir

import aiofiles.os
import aiofiles.ospath


async def test_os_calls_are_plain(tmp_path):
    os.makedirs(tmp_path / "a" / "b", exist_ok=True)
    os.mkdir(tmp_path / "c")
    os.renames(tmp_path / "a" / "b", tmp_path / "d" / "e")
    os.removedirs(tmp_path / "d" / "e")
    os.rmdir(tmp_path / "c")
    os.listdir(tmp_path)
    os.stat(tmp_path)
    os.access(tmp_path, os.R_OK)
    os.getcwd()


async def test_imported_names_are_plain(tmp_path):
    makedirs(tmp_path / "a" / "b")
    renames(tmp_path / "a" / "b", tmp_path / "c" / "d")
    removedirs(tmp_path / "c" / "d")
    abspath(tmp_path)
    exists(tmp_path)
    isdir(tmp_path)


async def test_os_path_calls_are_plain(tmp_path):
    os.path.exists(tmp_path)
    os.path.isdir(tmp_path)
    os.path.abspath(tmp_path)
    osp.islink(tmp_path)
    osp.ismount(tmp_path)
    osp.getsize(tmp_path)


async def test_implementation_modules_are_plain(tmp_path):
    posix.mkdir(tmp_path / "a")
    posix.stat(tmp_path / "a")
    posix.rmdir(tmp_path / "a")
    posixpath.abspath(tmp_path)
    posixpath.islink(tmp_path)
    genericpath.exists(tmp_path)
    genericpath.isfile(tmp_path)


async def test_results_are_plain_values(tmp_path):
    created = os.makedirs(tmp_path / "a")
    entries = os.listdir(tmp_path)
    info = os.stat(tmp_path)
    here = osp.abspath(tmp_path)
    assert os.path.exists(tmp_path)
    assert osp.isdir(tmp_path)
    assert posixpath.abspath(tmp_path) == here
    assert genericpath.exists(tmp_path)
    assert not os.path.islink(tmp_path)
    assert exists(tmp_path) and isdir(tmp_path)
    assert created is None and entries == ["a"] and info.st_size >= 0
    if os.path.isdir(tmp_path / "a"):
        names = sorted(os.listdir(tmp_path))
    for entry in os.scandir(tmp_path):
        assert entry.name in names
    with os.scandir(tmp_path) as it:
        assert list(it)


def test_sync_test_calls_are_plain(tmp_path):
    os.makedirs(tmp_path / "a")
    posix.stat(tmp_path / "a")
    found = genericpath.exists(tmp_path / "a")
    assert posixpath.isdir(tmp_path / "a") and found


async def test_aiofiles_awaited_is_fine(tmp_path):
    await aiofiles.os.makedirs(tmp_path / "a")
    assert await aiofiles.ospath.exists(tmp_path / "a")


async def test_aiofiles_not_awaited(tmp_path):
    # The real coroutine functions, never awaited. (No safe fix inside a comprehension, so this
    # fixture has no .fixed.py.)
    [aiofiles.os.makedirs(tmp_path / name) for name in "ab"]  # ATL101:6
