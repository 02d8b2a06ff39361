"""ATL401's fix lays `name=` out as a person would, in every shape of the call (issue: trailing
whitespace and a dedented `name=` on multi-line calls without a trailing comma)."""

from __future__ import annotations

import pytest

from async_test_lint.engine.fixer import fix_text
from async_test_lint.engine.registry import select_rules
from async_test_lint.settings.config import Settings

HEAD = "import asyncio\n\nRUNNING = set()\n\n\nasync def work(*args): ...\n\n\nasync def test_shapes():\n"

CASES = {
    "one line": (
        "    RUNNING.add(asyncio.create_task(work(1)))\n",
        '    RUNNING.add(asyncio.create_task(work(1), name="test_shapes:work"))\n',
    ),
    "one line, trailing comma": (
        "    RUNNING.add(asyncio.create_task(work(1),))\n",
        '    RUNNING.add(asyncio.create_task(work(1), name="test_shapes:work",))\n',
    ),
    "multi-line, no trailing comma": (
        "    RUNNING.add(\n        asyncio.create_task(\n            work(1)\n        )\n    )\n",
        '    RUNNING.add(\n        asyncio.create_task(\n            work(1),\n            name="test_shapes:work"\n'
        "        )\n    )\n",
    ),
    "multi-line, trailing comma": (
        "    RUNNING.add(\n        asyncio.create_task(\n            work(1),\n        )\n    )\n",
        '    RUNNING.add(\n        asyncio.create_task(\n            work(1),\n            name="test_shapes:work",\n'
        "        )\n    )\n",
    ),
    "closing parenthesis on the argument's line": (
        "    RUNNING.add(asyncio.create_task(\n        work(1)))\n",
        '    RUNNING.add(asyncio.create_task(\n        work(1),\n        name="test_shapes:work"))\n',
    ),
    "hanging arguments": (
        "    RUNNING.add(asyncio.create_task(work(1),\n                                    context=None))\n",
        "    RUNNING.add(asyncio.create_task(work(1),\n                                    context=None,\n"
        '                                    name="test_shapes:work"))\n',
    ),
    "a comment inside: no fix": (
        "    RUNNING.add(asyncio.create_task(  # keep me\n        work(1)\n    ))\n",
        "    RUNNING.add(asyncio.create_task(  # keep me\n        work(1)\n    ))\n",
    ),
}


@pytest.mark.parametrize(("before", "after"), CASES.values(), ids=CASES.keys())
def test_name_is_laid_out_like_the_other_arguments(before: str, after: str) -> None:
    settings = Settings(select=("ATL401",))
    fixed = fix_text(HEAD + before, "test_shapes.py", settings, select_rules(settings), is_test_file=True).text
    assert fixed == HEAD + after
    assert not any(line != line.rstrip() for line in fixed.splitlines()), "no trailing whitespace"
