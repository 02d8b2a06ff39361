"""ATL702, ATL704 and ATL708 are about real failures, shown under real pytest 9 + pytest-asyncio 1.x
in strict mode (tests/runtime_harness.py):
- ATL702/ATL708: an async fixture under plain `@pytest.fixture` is run by nothing; every test that
  requests it, async or sync, errors at setup ("requested an async fixture ... with no plugin or
  hook that handled it"). Under `@pytest_asyncio.fixture` (the unsafe fix) both pass: pytest-asyncio
  also hands a sync test the value.
- ATL704: an `event_loop` override is ignored (the test runs on another loop); requesting
  `event_loop` errors ("fixture 'event_loop' not found"); `loop_scope` shares a loop instead.
The linter flags the bad modules on the lines that misbehave and stays silent on the good ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from runtime_harness import RUNTIME, Outcome, Run, check, lint_runtime_module, run_module

from async_test_lint.engine.fixer import fix_text
from async_test_lint.engine.registry import select_rules
from async_test_lint.engine.runner import lint_text
from async_test_lint.settings.config import Settings

RULES = ("ATL702", "ATL704", "ATL708")
NOT_HANDLED = "requested an async fixture 'connection', with no plugin or hook that handled it"

EXPECTED = {
    # The first requester gets pytest's message; the next one in the same run trips pytest's own
    # fixture bookkeeping (a bare AssertionError): both are setup errors, neither test runs.
    "async_fixture_plain_decorator_bad.py": Outcome(
        {"error": 2}, says=(f"'test_query' {NOT_HANDLED}", "ERROR async_fixture_plain_decorator_bad.py::test_sync_reader")
    ),
    "async_fixture_plain_decorator_good.py": Outcome({"passed": 2}, never_says=("requested an async fixture",)),
    # The override is ignored: the test runs on pytest-asyncio's loop, not on `event_loop`.
    "removed_event_loop_bad.py": Outcome({"failed": 1}, says=("assert asyncio.get_running_loop() is event_loop",)),
    "removed_event_loop_requested_bad.py": Outcome({"error": 1}, says=("fixture 'event_loop' not found",)),
    "removed_event_loop_good.py": Outcome({"passed": 2}),
}
# Module -> (code, a substring of the one line flagged) for every finding expected.
FLAGGED = {
    "async_fixture_plain_decorator_bad.py": [("ATL702", "@pytest.fixture"), ("ATL708", "def test_sync_reader")],
    "async_fixture_plain_decorator_good.py": [],
    "removed_event_loop_bad.py": [("ATL704", "def event_loop")],
    "removed_event_loop_requested_bad.py": [("ATL704", "async def test_needs_the_loop")],
    "removed_event_loop_good.py": [],
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    from concurrent.futures import ThreadPoolExecutor

    base = tmp_path_factory.mktemp("runtime")
    with ThreadPoolExecutor(max_workers=len(EXPECTED)) as pool:
        futures = {name: pool.submit(run_module, name, base / name[:-3]) for name in EXPECTED}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("module", sorted(EXPECTED))
def test_module_behaves_under_real_pytest_asyncio(module: str, runs: dict[str, Run]) -> None:
    check(runs[module], EXPECTED[module])


@pytest.mark.parametrize("module", sorted(FLAGGED))
def test_rules_flag_the_lines_that_misbehave(module: str) -> None:
    lines = (RUNTIME / module).read_text().splitlines()
    expected = []
    for code, text in FLAGGED[module]:
        numbers = [number for number, line in enumerate(lines, start=1) if text in line]
        assert len(numbers) == 1, f"{text!r} names exactly one line"
        expected.append((code, numbers[0]))
    found = lint_runtime_module(module, Settings(select=RULES))
    assert sorted((d.code, d.line) for d in found) == sorted(expected)


def test_unsafe_fix_turns_the_bad_fixture_module_into_the_good_one() -> None:
    bad = RUNTIME / "async_fixture_plain_decorator_bad.py"
    settings = Settings(select=("ATL702",))
    rules = select_rules(settings)
    safe = fix_text(bad.read_text(), str(bad), settings, rules, is_test_file=True)
    assert safe.text == bad.read_text(), "the fix is unsafe: not applied without --unsafe-fixes"
    fixed = fix_text(bad.read_text(), str(bad), settings, rules, is_test_file=True, unsafe=True)
    assert fixed.text == (RUNTIME / "async_fixture_plain_decorator_good.py").read_text()


# --- negatives that need their own file or project ------------------------------------------------

PLAIN_ASYNC_FIXTURE = """\
import pytest
{extra}

@pytest.fixture
async def client():
    yield 1


def test_sync(client):
    assert client
"""


def codes(tmp_path: Path, source: str, name: str = "test_x.py", ini: str | None = None) -> list[str]:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    if ini is not None:
        (tmp_path / "pytest.ini").write_text(ini)
    path = tmp_path / name
    path.write_text(source)
    settings = Settings(select=RULES)
    return sorted(d.code for d in lint_text(source, str(path), settings, select_rules(settings)))


def test_strict_mode_flags_definition_and_sync_requester(tmp_path: Path) -> None:
    assert codes(tmp_path, PLAIN_ASYNC_FIXTURE.format(extra="")) == ["ATL702", "ATL708"]


@pytest.mark.parametrize(
    "extra",
    [
        "import anyio",
        "import trio",
        "pytestmark = pytest.mark.anyio",
        "pytest_plugins = ['aiohttp.pytest_plugin']",
        "\n@pytest.fixture\ndef anyio_backend():\n    return 'asyncio'",
    ],
    ids=["anyio-import", "trio-import", "anyio-mark", "aiohttp-plugin", "anyio-backend"],
)
def test_signs_of_another_runner_in_the_module_silence_both(tmp_path: Path, extra: str) -> None:
    assert codes(tmp_path, PLAIN_ASYNC_FIXTURE.format(extra=extra)) == []


def test_a_conftest_with_anyio_backend_silences_both(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text("import pytest\n\n\n@pytest.fixture\ndef anyio_backend():\n    return 'asyncio'\n")
    assert codes(tmp_path, PLAIN_ASYNC_FIXTURE.format(extra="")) == []


def test_conftest_fixture_is_flagged_and_requested_across_files(tmp_path: Path) -> None:
    conftest = "import pytest\n\n\n@pytest.fixture\nasync def client():\n    yield 1\n"
    (tmp_path / "conftest.py").write_text(conftest)
    assert codes(tmp_path, conftest, name="conftest.py") == ["ATL702"]
    assert codes(tmp_path, "def test_sync(client):\n    assert client\n") == ["ATL708"]


@pytest.mark.parametrize("mode", ["auto", "strict"])
def test_auto_mode_runs_every_async_fixture(tmp_path: Path, mode: str) -> None:
    ini = f"[pytest]\nasyncio_mode = {mode}\n"
    found = codes(tmp_path, PLAIN_ASYNC_FIXTURE.format(extra=""), ini=ini)
    assert found == ([] if mode == "auto" else ["ATL702", "ATL708"])


def test_disabled_plugin_flags_nothing(tmp_path: Path) -> None:
    ini = "[pytest]\naddopts = -p no:asyncio\n"
    source = PLAIN_ASYNC_FIXTURE.format(extra="") + "\n\ndef test_loop(event_loop):\n    pass\n"
    assert codes(tmp_path, source, ini=ini) == []


def test_event_loop_of_the_projects_conftest_is_flagged_there_only(tmp_path: Path) -> None:
    conftest = "import asyncio\nimport pytest\n\n\n@pytest.fixture\ndef event_loop():\n    return asyncio.new_event_loop()\n"
    (tmp_path / "conftest.py").write_text(conftest)
    assert codes(tmp_path, conftest, name="conftest.py") == ["ATL704"]
    assert codes(tmp_path, "def test_uses(event_loop):\n    assert event_loop\n") == []


def test_non_test_module_is_not_judged(tmp_path: Path) -> None:
    assert codes(tmp_path, PLAIN_ASYNC_FIXTURE.format(extra=""), name="helpers.py") == []
