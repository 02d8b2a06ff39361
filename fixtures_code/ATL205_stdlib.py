# option: blocking-calls = sqlite3.connect, shutil.rmtree, builtins.input
import asyncio
import shutil
import sqlite3
from sqlite3 import connect as open_db

import pytest


@pytest.mark.asyncio
async def test_listed_stdlib_calls(tmp_path):
    db = sqlite3.connect(tmp_path / "a.db")  # ATL205:10 "sqlite3.connect"
    db.execute("create table t (x)")
    db.close()
    open_db(":memory:").close()  # ATL205:5
    (tmp_path / "tree").mkdir()
    shutil.rmtree(tmp_path / "tree")  # ATL205:5 "shutil.rmtree"


async def ask() -> str:
    return input("name? ")  # ATL205:12 "builtins.input"


# --- negatives ---------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_thread_is_the_fix(tmp_path):
    db = await asyncio.to_thread(sqlite3.connect, ":memory:", check_same_thread=False)
    db.execute("select 1")
    db.close()
    await asyncio.to_thread(lambda: input)
    assert shutil.which("definitely-not-a-command") is None


@pytest.mark.asyncio
async def test_parameter_named_input_is_not_the_builtin(input=str):
    assert input("x") == "x"


@pytest.mark.asyncio
async def test_unlisted_module_functions():
    assert sqlite3.complete_statement("select 1;")


def test_sync_test_may_connect():
    sqlite3.connect(":memory:").close()
