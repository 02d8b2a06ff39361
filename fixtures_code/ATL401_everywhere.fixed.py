# test-file: no
# option: task-names-everywhere = true
"""Library code: unnamed tasks are flagged here only because task-names-everywhere is set."""

import asyncio


async def poll():
    await asyncio.sleep(0)


class Poller:
    def __init__(self):
        self.tasks = set()

    def start(self):
        task = asyncio.create_task(poll(), name="Poller.start:poll")  # ATL401:16
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    def start_named(self):
        return asyncio.create_task(poll(), name="poll")

    def start_legacy(self):
        return asyncio.ensure_future(poll())  # ATL401:16 "ensure_future"


async def main():
    poller = Poller()
    await poller.start()
    await poller.start_named()
    await poller.start_legacy()


if __name__ == "__main__":
    asyncio.run(main())
