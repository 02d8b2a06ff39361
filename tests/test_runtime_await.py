"""The missing-await rules (ATL101-ATL109) are about real failures, shown under real pytest-asyncio.

Each case has a bad test module in fixtures_code/runtime/ that misbehaves the way rule_specs.md B.1
and B.4 say, and a good one, the same test with the `await` (or `async for`, or the asyncio marker)
in place:
- ATL101: a bare call never runs the coroutine; the test passes, and the only trace is
  "coroutine 'save' was never awaited" in the warnings summary.
- ATL102: `result = save("row")` is the same bug with a name: nothing saved, the test passes, and
  the warning comes when the test returns and drops `result`.
- ATL103: `assert is_healthy()` passes although it returns False (a coroutine is truthy); awaited,
  the assert fails as it should.
- ATL107: `pytest.raises` around the un-awaited call fails with "DID NOT RAISE".
- ATL108: a sync test calling an async function passes; the email is never sent.
- ATL106: an un-awaited `asyncio.gather` does not make the test wait, and the child's exception is
  only logged ("_GatheringFuture exception was never retrieved").
- ATL105: an async generator that is never iterated leaves no trace at all: no warning, no body.
- ATL104: a plain `for` over a coroutine is a TypeError ("'coroutine' object is not iterable"), and
  the coroutine is dropped un-awaited.
- ATL109: `return fetch_price(sku)` leaves the `try` around it before the coroutine runs, so its
  `except` never sees the error: the caller gets a coroutine, and awaiting that raises the error
  the wrapper was meant to handle.
The linter must flag each bad module's call with the case's code, and nothing in the good one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from runtime_harness import RUNTIME, Outcome, Run, check, lint_runtime_module, run_bad_and_good

from async_test_lint.engine.fixer import fix_text
from async_test_lint.engine.registry import select_rules
from async_test_lint.settings.config import Settings

NEVER_AWAITED = "was never awaited"



@dataclass(frozen=True)
class Case:
    code: str
    stem: str
    flagged: str  # the bad module's flagged line, stripped; the finding is on its call
    call: str  # where in that line the call starts (the finding's column)
    fixed: str | None  # the flagged line after `fix` (None: the rule offers no safe fix)
    bad: Outcome
    good: Outcome


CASES = [
    Case(
        "ATL101",
        "missing_await_statement",
        flagged='save("row")',
        call='save("row")',
        fixed='await save("row")',
        bad=Outcome(
            {"passed": 1},
            says=("RuntimeWarning: coroutine 'save' was never awaited", "saved after the call: []"),
        ),
        good=Outcome({"passed": 1}, says=("saved after the call: ['row']",), never_says=(NEVER_AWAITED,)),
    ),
    Case(
        "ATL102",
        "missing_await_assigned",
        flagged='result = save("row")',
        call='save("row")',
        fixed='result = await save("row")',
        bad=Outcome(
            {"passed": 1},
            says=("RuntimeWarning: coroutine 'save' was never awaited", "saved after the call: []"),
        ),
        good=Outcome({"passed": 1}, says=("saved after the call: ['row']",), never_says=(NEVER_AWAITED,)),
    ),
    Case(
        "ATL103",
        "missing_await_assert",
        flagged="assert is_healthy()",
        call="is_healthy()",
        fixed="assert await is_healthy()",
        # Green although is_healthy() returns False: the coroutine object is truthy.
        bad=Outcome({"passed": 1}, says=("RuntimeWarning: coroutine 'is_healthy' was never awaited",)),
        # Awaited, the assert tests the result, and the unhealthy service fails the test.
        good=Outcome({"failed": 1}, says=("assert False",), never_says=(NEVER_AWAITED,)),
    ),
    Case(
        "ATL107",
        "missing_await_raises",
        flagged='parse("garbage")',
        call='parse("garbage")',
        fixed='await parse("garbage")',
        bad=Outcome(
            {"failed": 1},
            says=("Failed: DID NOT RAISE ValueError", "RuntimeWarning: coroutine 'parse' was never awaited"),
        ),
        good=Outcome({"passed": 1}, never_says=(NEVER_AWAITED, "DID NOT RAISE")),
    ),
    Case(
        "ATL108",
        "missing_await_sync_test",
        flagged='send_email("ann@example.com")',
        call='send_email("ann@example.com")',
        fixed=None,
        bad=Outcome(
            {"passed": 1},
            says=("RuntimeWarning: coroutine 'send_email' was never awaited", "sent after the call: []"),
        ),
        good=Outcome(
            {"passed": 1}, says=("sent after the call: ['ann@example.com']",), never_says=(NEVER_AWAITED,)
        ),
    ),
    Case(
        "ATL106",
        "missing_await_gather",
        flagged="asyncio.gather(work(1), work(2))",
        call="asyncio.gather(",
        fixed=None,
        # Green: the test went on before the children ran, and child 2's failure is only a log line.
        bad=Outcome(
            {"passed": 1},
            says=(
                "children done when the test went on: []",
                "_GatheringFuture exception was never retrieved",
                "ValueError: child 2 failed",
            ),
        ),
        good=Outcome(
            {"passed": 1},
            says=("children done when the test went on: [1, 2]",),
            never_says=("never retrieved", NEVER_AWAITED),
        ),
    ),
    Case(
        "ATL105",
        "missing_await_agen",
        flagged="stream_events()",
        call="stream_events()",
        fixed=None,
        # No trace at all: no RuntimeWarning exists for a never-started async generator.
        bad=Outcome({"passed": 1}, says=("events after the call: []",), never_says=("warning", NEVER_AWAITED)),
        good=Outcome({"passed": 1}, says=("events after the call: ['subscribed']",), never_says=("warning",)),
    ),
    Case(
        "ATL104",
        "missing_await_sync_iteration",
        flagged="for row in fetch_rows():",
        call="fetch_rows()",
        fixed=None,
        bad=Outcome(
            {"failed": 1},
            says=(
                "TypeError: 'coroutine' object is not iterable",
                "RuntimeWarning: coroutine 'fetch_rows' was never awaited",
                "queries run: []",
            ),
        ),
        good=Outcome({"passed": 1}, says=("queries run: ['select']",), never_says=(NEVER_AWAITED, "TypeError")),
    ),
    Case(
        "ATL109",
        "missing_await_return",
        flagged="return fetch_price(sku)",
        call="fetch_price(sku)",
        fixed=None,
        # The wrapper's `except LookupError` never ran: the error reaches the test, raised by the
        # second await, outside the wrapper.
        bad=Outcome(
            {"failed": 1},
            says=("the wrapper returned: <coroutine object fetch_price", "LookupError: no price for 'nope'"),
        ),
        good=Outcome(
            {"passed": 1},
            says=("the wrapper returned: 0",),
            never_says=("LookupError: no price", "coroutine object", NEVER_AWAITED),
        ),
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


def test_the_never_awaited_warning_points_at_the_call(runs: dict[tuple[str, str], Run]) -> None:
    # The only trace of the bug is a warning in the summary, located on the call's own line.
    output = runs[("missing_await_statement", "bad")].output
    line = flagged_line(CASES[0])
    assert re.search(rf"missing_await_statement_bad\.py:{line}: RuntimeWarning: coroutine 'save'", output), output


# --- the linter's side: these need the ATL1xx rules ----------------------------------------------


def flagged_line(case: Case) -> int:
    lines = (RUNTIME / f"{case.stem}_bad.py").read_text().splitlines()
    numbers = [number for number, line in enumerate(lines, start=1) if line.strip() == case.flagged]
    assert len(numbers) == 1, "the flagged line is exactly one line of the bad module"
    return numbers[0]


def lint_module(name: str) -> list:
    # The whole family runs: each bad module shows its own code's problem and no other.
    return lint_runtime_module(name, Settings(select=("ATL1",)))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_rule_flags_bad_module(case: Case) -> None:
    line = flagged_line(case)
    text = (RUNTIME / f"{case.stem}_bad.py").read_text().splitlines()[line - 1]
    column = text.index(case.call) + 1
    found = lint_module(f"{case.stem}_bad.py")
    assert [(d.code, d.line, d.column) for d in found] == [(case.code, line, column)]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_rule_is_silent_on_good_module(case: Case) -> None:
    assert lint_module(f"{case.stem}_good.py") == []


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_fix_inserts_await_only_where_safe(case: Case) -> None:
    # B.7: `await` is inserted for ATL101/ATL102/ATL103/ATL107 in an `async def`; ATL104, ATL105,
    # ATL106, ATL108 and ATL109 are suggestions only, so `fix` leaves those modules as they are.
    bad = RUNTIME / f"{case.stem}_bad.py"
    source = bad.read_text()
    settings = Settings(select=("ATL1",))
    fixed = fix_text(source, str(bad), settings, select_rules(settings), is_test_file=True).text
    if case.fixed is None:
        assert fixed == source
    else:
        line = flagged_line(case)
        lines = source.splitlines(keepends=True)
        lines[line - 1] = lines[line - 1].replace(case.flagged, case.fixed, 1)
        assert fixed == "".join(lines)
