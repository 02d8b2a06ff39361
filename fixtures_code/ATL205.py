# option: blocking-calls = mylib.block, mylib.db.query
# Lint-only: `mylib` stands for the project's own blocking helpers.
import asyncio
import functools

import mylib
import mylib as lib
import pytest
from mylib import block
from mylib import block as stall
from mylib.db import query


@pytest.mark.asyncio
async def test_listed_functions_block_the_loop():
    mylib.block(0.1)  # ATL205:5 "mylib.block"
    lib.block(0.1)  # ATL205:5
    block(0.1)  # ATL205:5
    stall(0.1)  # ATL205:5
    rows = query("select 1")  # ATL205:12 "mylib.db.query"
    assert rows
    assert mylib.db.query("select 1")  # ATL205:12


async def helper_with_local_import():
    from mylib.db import query as q

    return q("select 1")  # ATL205:12


# --- negatives ---------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_unlisted_functions_are_fine():
    mylib.blocker(0.1)
    mylib.db.query_async("select 1")
    mylib.other.block(0.1)


@pytest.mark.asyncio
async def test_thread_and_executor_are_the_fix():
    loop = asyncio.get_running_loop()
    await asyncio.to_thread(mylib.block, 0.1)
    await asyncio.to_thread(lambda: query("select 1"))
    await loop.run_in_executor(None, functools.partial(block, 0.1))

    def nested():
        return query("select 1")

    await asyncio.to_thread(nested)


@pytest.mark.asyncio
async def test_methods_are_not_resolved_by_name():
    conn = mylib.connect()
    conn.query("select 1")
    conn.block(0.1)


@pytest.mark.asyncio
async def test_shadowing_names_are_not_the_listed_function(block=print):
    block(0.1)

    def query(sql):
        return sql

    query("select 1")


def test_sync_test_may_call_them():
    mylib.block(0.1)
    query("select 1")
