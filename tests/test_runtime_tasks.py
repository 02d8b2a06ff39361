"""The task rules (ATL401-ATL403) are about real failures, shown under real pytest-asyncio.

Each rule has a bad test module in fixtures_code/runtime/ that misbehaves the way the rule's docstring
says, and a good one that does not:
- ATL402: a dropped task is garbage-collected mid-flight ("Task was destroyed but it is pending!",
  its `finally` runs early); the kept one survives.
- ATL403: a task that fails after the test body returned leaves the test green; awaiting it makes the
  failure fail the test.
- ATL401: a hung task is reported as `Task-N`; the named one is reported by its name.
The linter must flag the bad module on the line that misbehaves and stay silent on the good one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from runtime_harness import RUNTIME, Outcome, Run, check, lint_runtime_module, run_bad_and_good

from async_test_lint.engine.fixer import fix_text
from async_test_lint.engine.registry import select_rules
from async_test_lint.engine.runner import lint_text
from async_test_lint.settings.config import Settings

TASK_RULES = ("ATL401", "ATL402", "ATL403")



@dataclass(frozen=True)
class Case:
    code: str
    stem: str
    flagged: str  # a substring of the one line of the bad module the rule flags
    bad: Outcome
    good: Outcome


CASES = [
    Case(
        "ATL402",
        "dangling_task",
        flagged="asyncio.create_task(wait_for_reply()",
        # The collector destroyed the task: its `finally` ran, and asyncio logged it.
        bad=Outcome({"failed": 1}, says=("Task was destroyed but it is pending!", "assert ['finally'] == []")),
        good=Outcome({"passed": 1}, never_says=("Task was destroyed",)),
    ),
    Case(
        "ATL403",
        "leaked_task",
        flagged="flush = asyncio.create_task(",
        # Green, although the task failed: the error is only a log line of the teardown.
        bad=Outcome(
            {"passed": 1},
            says=("Captured log teardown", "Task exception was never retrieved", "RuntimeError: flush failed"),
        ),
        # Behaving: the failure surfaces as the test's own.
        good=Outcome({"failed": 1}, says=("FAILED leaked_task_good.py::test_flush - RuntimeError: flush failed",)),
    ),
    Case(
        "ATL401",
        "unnamed_task",
        flagged="consumer = asyncio.create_task(",
        # Both hang (that is the scenario); only the named one says which task did.
        bad=Outcome({"failed": 1}, says=("coro=<consume()",), never_says=("name='consume'",)),
        good=Outcome({"failed": 1}, says=("<Task pending name='consume' coro=<consume()",), never_says=("name='Task-",)),
    ),
]
IDS = [case.code for case in CASES]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Run]:
    return run_bad_and_good([case.stem for case in CASES], tmp_path_factory.mktemp("runtime"))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_bad_module_misbehaves_as_the_rule_says(case: Case, runs: dict[tuple[str, str], Run]) -> None:
    check(runs[(case.stem, "bad")], case.bad)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_good_module_behaves(case: Case, runs: dict[tuple[str, str], Run]) -> None:
    check(runs[(case.stem, "good")], case.good)


def test_unnamed_task_is_reported_by_number(runs: dict[tuple[str, str], Run]) -> None:
    assert re.search(r"<Task pending name='Task-\d+' coro=<consume\(\)", runs[("unnamed_task", "bad")].output)


def lint_module(name: str, select: tuple[str, ...] = TASK_RULES) -> list:
    return lint_runtime_module(name, Settings(select=select))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_rule_flags_the_bad_module_and_not_the_good_one(case: Case) -> None:
    lines = (RUNTIME / f"{case.stem}_bad.py").read_text().splitlines()
    expected = [number for number, line in enumerate(lines, start=1) if case.flagged in line]
    assert len(expected) == 1, "the flagged substring names exactly one line"
    # All three task rules run: each bad module shows its own rule's problem and no other.
    found = lint_module(f"{case.stem}_bad.py")
    assert [(d.code, d.line) for d in found] == [(case.code, expected[0])]
    assert lint_module(f"{case.stem}_good.py") == []


def test_unnamed_task_fix_names_it_as_the_good_module_does() -> None:
    bad = RUNTIME / "unnamed_task_bad.py"
    settings = Settings(select=("ATL401",))
    source = bad.read_text()
    fixed = fix_text(source, str(bad), settings, select_rules(settings), is_test_file=True).text
    # The name says the test and the coroutine: enough to tell the tasks of one file apart.
    named = 'create_task(consume(queue), name="test_consumer_stops:consume")'
    assert fixed == source.replace("create_task(consume(queue))", named)


def test_unnamed_task_is_flagged_in_test_files_and_conftest_only(tmp_path: Path) -> None:
    source = (RUNTIME / "unnamed_task_bad.py").read_text()
    settings = Settings(select=("ATL401",))
    rules = select_rules(settings)

    def codes(name: str, settings: Settings = settings) -> list[str]:
        return [d.code for d in lint_text(source, str(tmp_path / name), settings, rules)]

    assert codes("test_consumer.py") == ["ATL401"]
    assert codes("conftest.py") == ["ATL401"]
    assert codes("consumer.py") == []
    assert codes("consumer.py", settings.updated({"task_names_everywhere": "true"})) == ["ATL401"]
