"""A test class's unittest kind is resolved through its bases, also project classes in other files."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_run import run_cli, write

BASES = (
    "import unittest\n\n\n"
    "class AsyncCase(unittest.IsolatedAsyncioTestCase):\n    pass\n\n\n"
    "class SyncCase(unittest.TestCase):\n    pass\n\n\n"
    "class Deeper(AsyncCase):\n    pass\n"
)
TEST = "import time\n\nfrom helpers.base import {base}\n\n\nclass TestA({base}):\n    async def test_x(self):\n        time.sleep(1)\n"


@pytest.mark.parametrize(
    ("base", "library"),
    [("AsyncCase", "await asyncio.sleep()"), ("Deeper", "await asyncio.sleep()"), ("SyncCase", None)],
)
def test_an_asyncio_case_through_a_project_base_runs_under_asyncio(tmp_path: Path, base: str, library: str | None) -> None:
    write(tmp_path / "pyproject.toml", "")
    write(tmp_path / "tests" / "helpers" / "__init__.py", "")
    write(tmp_path / "tests" / "helpers" / "base.py", BASES)
    write(tmp_path / "tests" / "test_a.py", TEST.format(base=base))
    result = run_cli("check", "--select", "ATL201", ".", cwd=tmp_path)
    [line] = [line for line in result.stdout.splitlines() if "ATL201" in line]
    if library is None:
        # A plain TestCase says nothing about the loop: reported without a fix.
        assert "[*]" not in line and "the sleep of the async library" in line
    else:
        assert "ATL201 [*]" in line and library in line
