"""The pytest-asyncio rules ATL701 and ATL706 are about tests that never run, shown under real
pytest + pytest-asyncio in strict mode; and the conditions under which ATL701 must stay silent,
which need a whole project (auto mode, another plugin, a project base class).

Each rule has a bad module in fixtures_code/runtime/ whose false assertion never runs (pytest 9
fails the unmarked async test without running it; unittest passes the never-awaited one), and a good one, the `fix --unsafe-fixes` of the bad one, that runs it and fails.
The unsafe fixes of fixtures_code/ATL701.py and ATL706.py are checked byte for byte against
their `.unsafe_fixed.py` (the fixture harness checks safe fixes only).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_run import run_cli, write
from runtime_harness import RUNTIME, Outcome, Run, check, lint_runtime_module, run_bad_and_good

from async_test_lint.engine.fixer import fix_text
from async_test_lint.engine.registry import select_rules
from async_test_lint.settings.config import Settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures_code"


@dataclass(frozen=True)
class Case:
    code: str
    stem: str
    flagged: str  # a substring of the line the rule flags
    bad: Outcome
    good: Outcome


CASES = [
    Case(
        "ATL701",
        "unmarked_async_test",
        flagged="async def test_false_assertion_never_runs",
        # pytest >= 8.4 fails it without running it (older pytest skipped it with a warning: green).
        bad=Outcome({"failed": 1}, says=("async def functions are not natively supported",), never_says=("the body ran",)),
        good=Outcome({"failed": 1}, says=("the body ran",)),
    ),
    Case(
        "ATL706",
        "async_testcase_method",
        flagged="async def test_false_assertion_never_runs",
        bad=Outcome({"passed": 1}, says=("was never awaited",), never_says=("the body ran",)),
        good=Outcome({"failed": 1}, says=("the body ran",)),
    ),
]
IDS = [case.code for case in CASES]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Run]:
    return run_bad_and_good([case.stem for case in CASES], tmp_path_factory.mktemp("runtime"))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_bad_module_does_not_run_its_body(case: Case, runs: dict[tuple[str, str], Run]) -> None:
    check(runs[(case.stem, "bad")], case.bad)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_good_module_runs_its_body(case: Case, runs: dict[tuple[str, str], Run]) -> None:
    check(runs[(case.stem, "good")], case.good)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_linter_flags_bad_and_its_unsafe_fix_is_good(case: Case) -> None:
    settings = Settings(select=(case.code,))
    bad = RUNTIME / f"{case.stem}_bad.py"
    [finding] = lint_runtime_module(bad.name, settings)
    assert case.flagged in bad.read_text().splitlines()[finding.line - 1]
    assert lint_runtime_module(f"{case.stem}_good.py", settings) == []
    fixed = fix_text(bad.read_text(), str(bad), settings, select_rules(settings), unsafe=True, is_test_file=True)
    good = (RUNTIME / f"{case.stem}_good.py").read_text()
    assert _body(fixed.text) == _body(good)


def _body(text: str) -> str:
    return text.split('"""', 2)[2].strip()  # past the module docstring, which says which file it is


@pytest.mark.parametrize("code", ["ATL701", "ATL706"])
def test_unsafe_fix_of_the_fixture_matches_its_unsafe_fixed_file(code: str) -> None:
    path = FIXTURES / f"{code}.py"
    settings = Settings(select=(code,))
    rules = select_rules(settings)
    outcome = fix_text(path.read_text(), str(path), settings, rules, unsafe=True, is_test_file=True)
    assert outcome.messages == []
    assert outcome.text == (FIXTURES / f"{code}.unsafe_fixed.py").read_text()
    assert fix_text(outcome.text, str(path), settings, rules, unsafe=True, is_test_file=True).text == outcome.text
    assert fix_text(path.read_text(), str(path), settings, rules, unsafe=False, is_test_file=True).text == path.read_text()


UNMARKED = "async def test_x():\n    assert False\n"


def _atl701(tmp_path: Path, files: dict[str, str]) -> list[str]:
    for name, text in files.items():
        write(tmp_path / name, text)
    result = run_cli("check", "--select", "ATL701,ATL706", "--no-cache", ".", cwd=tmp_path)
    return [line for line in result.stdout.splitlines() if "ATL70" in line]


def test_strict_mode_by_default_is_flagged(tmp_path: Path) -> None:
    assert len(_atl701(tmp_path, {"pyproject.toml": "", "tests/test_a.py": UNMARKED})) == 1


@pytest.mark.parametrize(
    "files",
    [
        {"pytest.ini": "[pytest]\nasyncio_mode = auto\n"},
        {"pytest.ini": "[pytest]\naddopts = --asyncio-mode=auto\n"},
        {"pytest.ini": "[pytest]\naddopts = -p no:asyncio\n"},
        {"pytest.ini": "[pytest]\ntrio_mode = true\n"},
        {"pytest.ini": "[pytest]\n", "tests/conftest.py": 'pytest_plugins = ["aiohttp.pytest_plugin"]\n'},
        {"pytest.ini": "[pytest]\n", "tests/conftest.py": 'pytest_plugins = "anyio"\n'},
        {"pytest.ini": "[pytest]\n", "conftest.py": "def pytest_pyfunc_call(pyfuncitem):\n    pass\n"},
        {"pytest.ini": "[pytest]\n", "conftest.py": "def pytest_configure(config):\n    config.option.asyncio_mode = 'auto'\n"},
    ],
    ids=["auto", "auto-addopts", "plugin-disabled", "trio-mode", "aiohttp-plugin", "anyio-plugin", "pyfunc-call-hook", "mode-set-at-run-time"],
)
def test_another_runner_or_mode_silences_atl701(tmp_path: Path, files: dict[str, str]) -> None:
    assert _atl701(tmp_path, {**files, "tests/test_a.py": UNMARKED}) == []


@pytest.mark.parametrize(
    "test",
    [
        "import pytest\n\npytestmark = (pytest.mark.asyncio, pytest.mark.slow)\n\n\n" + UNMARKED,
        "import pytest\n\npytestmark = [pytest.mark.asyncio(loop_scope='module')]\n\n\n" + UNMARKED,
        "import pytest\n\npytestmark = pytest.mark.anyio\n\n\n" + UNMARKED,
        "async def test_x(aiohttp_client):\n    pass\n",
    ],
    ids=["module-tuple", "module-list-loop-scope", "module-anyio", "aiohttp-fixture"],
)
def test_module_marks_and_plugin_fixtures_silence_atl701(tmp_path: Path, test: str) -> None:
    assert _atl701(tmp_path, {"pyproject.toml": "", "tests/test_a.py": test}) == []


def test_atl706_through_a_project_base_in_another_file_has_no_fix(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "",
        "tests/helpers/__init__.py": "",
        "tests/helpers/base.py": "import unittest\n\n\nclass Base(unittest.TestCase):\n    pass\n",
        "tests/test_a.py": "from helpers.base import Base\n\n\nclass TestA(Base):\n    async def test_x(self):\n        pass\n",
    }
    [line] = _atl706_lines = _atl701(tmp_path, files)
    assert "ATL706" in line and "[*]" not in line
