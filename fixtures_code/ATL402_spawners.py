# enable: ATL401, ATL402, ATL403
# option: task-spawners = myapp.tasks.spawn, myapp.background
"""Registered spawner helpers keep their tasks: ATL401 and ATL402 stay silent, ATL403 still follows
the task the test holds. `myapp` stands for the project's own module: this file is not runnable."""

import asyncio

import myapp
import myapp.tasks as tasks_module
from myapp.tasks import spawn


async def work():
    await asyncio.sleep(0)


class Bot:
    async def close(self):
        await asyncio.sleep(0)


def on_sigterm(bot):
    # A shutdown from a signal handler, tracked by the spawner (ruff RUF006 noqa shape).
    spawn(bot.close())


async def test_spawners_keep_their_tasks():
    spawn(work())
    tasks_module.spawn(work())
    myapp.background(work())
    asyncio.create_task(work(), name="work")  # ATL402:5


async def test_spawned_task_held_but_never_awaited():
    held = spawn(work())  # ATL403:12 "myapp.tasks.spawn"
    cancelled = myapp.background(work())
    cancelled.cancel()


async def test_spawned_task_awaited():
    task = spawn(work())
    await task


def spawn_soon(coro):
    # Not registered: a local helper of the same last name is not the spawner.
    return asyncio.ensure_future(coro)


async def test_unregistered_helper():
    await spawn_soon(work())
