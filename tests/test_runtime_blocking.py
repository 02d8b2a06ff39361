"""The blocking-call rules (ATL201-ATL205) are about real failures, shown under real pytest-asyncio.

Each rule has a bad test module in fixtures_code/runtime/ that misbehaves the way the rule's docstring
says (a worker that never ran, an HTTP call that times out, a child process that deadlocks, a nested
loop that raises) and a good one, the fixed code, that passes. The linter must flag the bad module on
the lines that misbehave and stay silent on the good one, so the proof is tied to the rule.
"""

from __future__ import annotations

import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from runtime_harness import RUNTIME, lint_runtime_module, run_real_pytest

from async_test_lint.engine.fixer import fix_text
from async_test_lint.engine.registry import select_rules
from async_test_lint.settings.config import Settings

OUTCOME_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)\b")


@dataclass(frozen=True)
class Case:
    code: str
    stem: str
    # Substrings of the bad module's lines the rule must flag (one finding per line).
    flagged: tuple[str, ...]
    # How the bad module fails: pytest's counts, and texts its report must contain.
    bad_outcome: dict[str, int]
    bad_says: tuple[str, ...]
    good_passed: int = 1
    options: dict[str, str] = field(default_factory=dict)
    helpers: tuple[str, ...] = ()

    def settings(self) -> Settings:
        return Settings(select=(self.code,)).updated(self.options)


CASES = [
    Case(
        "ATL201",
        "blocking_sleep",
        flagged=("time.sleep(0.05)",),
        bad_outcome={"failed": 1},
        bad_says=("AssertionError: the worker never ran: the loop was blocked",),
    ),
    Case(
        "ATL202",
        "blocking_http",
        flagged=("urllib.request.urlopen(live_server, timeout=1)",),
        bad_outcome={"failed": 1},
        bad_says=("TimeoutError: timed out",),
    ),
    Case(
        "ATL203",
        "blocking_subprocess",
        flagged=("subprocess.run(",),
        bad_outcome={"failed": 1},
        bad_says=("subprocess.TimeoutExpired", "timed out after 2 seconds"),
    ),
    Case(
        "ATL204",
        "nested_event_loop",
        flagged=("asyncio.run(create_schema())", "loop.run_until_complete(create_schema())"),
        bad_outcome={"failed": 2},
        bad_says=(
            "RuntimeError: asyncio.run() cannot be called from a running event loop",
            "RuntimeError: Cannot run the event loop while another loop is running",
        ),
        good_passed=2,
    ),
    Case(
        "ATL205",
        "configured_blocking_call",
        flagged=("slowlib.fetch_report()",),
        bad_outcome={"failed": 1},
        bad_says=("AssertionError: no heartbeat while the report was fetched: the loop was blocked",),
        options={"blocking_calls": "slowlib.fetch_report"},
        helpers=("slowlib.py",),
    ),
]
IDS = [case.code for case in CASES]


# `FAILED blocking_http_bad.py::test_health - TimeoutError: timed out`, as printed by `-rA`.
SUMMARY_LINE = re.compile(r"^(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS) ([^:\s]+)::(\S+)(?: - (.*))?$")


def normalized(outcome: str) -> str:
    """`FAILED` (a summary line) and `errors` (the tally) as `failed` and `error`."""
    outcome = outcome.lower()
    return "error" if outcome.startswith("error") else outcome


@dataclass
class Session:
    """One pytest run: what it printed, and each test's outcome and message by module."""

    stdout: str
    stderr: str
    outcomes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def tally(self) -> dict[str, int]:
        """The counts on pytest's last line (`6 failed, 1 warning in 4.10s`), warnings left out."""
        summary = next(line for line in reversed(self.stdout.splitlines()) if OUTCOME_COUNT.search(line))
        return {normalized(kind): int(n) for n, kind in OUTCOME_COUNT.findall(summary)}

    def counts(self, module: str) -> dict[str, int]:
        return dict(Counter(normalized(status) for status, _ in self.outcomes.get(module, [])))

    def messages(self, module: str) -> list[str]:
        return [message for _, message in self.outcomes.get(module, [])]


def run_pytest(variant: str, workdir: Path) -> Session:
    """Run every `<stem>_<variant>.py` under the real pytest + pytest-asyncio (strict mode)."""
    modules = [f"{case.stem}_{variant}.py" for case in CASES]
    helpers = [helper for case in CASES for helper in case.helpers]
    # -vv: the short summary keeps each failure's message whole instead of trimming it to the terminal.
    completed = run_real_pytest(modules, workdir, helpers, extra_args=["-vv", "-rA", "--tb=line"])
    session = Session(completed.stdout, completed.stderr)
    for line in completed.stdout.splitlines():
        match = SUMMARY_LINE.match(line)
        if match:
            status, module, _, message = match.groups()
            session.outcomes.setdefault(module, []).append((status, message or ""))
    return session


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Session]:
    # One process per module costs about a second of start-up each (14 s for ten, one after another,
    # on the shared 2-core machine); the bad modules together and the good ones together, side by
    # side, take as long as the bad session: start-up plus the bad modules' 1 s and 2 s timeouts.
    base = tmp_path_factory.mktemp("runtime")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {variant: pool.submit(run_pytest, variant, base / variant) for variant in ("bad", "good")}
        return {variant: future.result() for variant, future in futures.items()}


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_bad_module_misbehaves_as_the_rule_says(case: Case, sessions: dict[str, Session]) -> None:
    session, module = sessions["bad"], f"{case.stem}_bad.py"
    assert session.counts(module) == case.bad_outcome, session.output
    messages = "\n".join(session.messages(module))
    for text in case.bad_says:
        assert text in messages, session.output


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_fixed_module_passes(case: Case, sessions: dict[str, Session]) -> None:
    session, module = sessions["good"], f"{case.stem}_good.py"
    assert session.counts(module) == {"passed": case.good_passed}, session.output


@pytest.mark.parametrize("variant", ["bad", "good"])
def test_every_runtime_test_ran(variant: str, sessions: dict[str, Session]) -> None:
    """The final tally agrees with the per-test lines: nothing was skipped, errored or left out."""
    expected: Counter[str] = Counter()
    for case in CASES:
        expected.update(case.bad_outcome if variant == "bad" else {"passed": case.good_passed})
    assert sessions[variant].tally() == dict(expected), sessions[variant].output


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_rule_flags_the_bad_module_and_not_the_fixed_one(case: Case) -> None:
    bad_lines = (RUNTIME / f"{case.stem}_bad.py").read_text().splitlines()
    expected = sorted(
        number for number, line in enumerate(bad_lines, start=1) if any(part in line for part in case.flagged)
    )
    assert len(expected) == len(case.flagged), "each flagged substring names exactly one line"
    found = lint_runtime_module(f"{case.stem}_bad.py", case.settings())
    assert sorted(d.line for d in found) == expected
    assert {d.code for d in found} == {case.code}
    assert lint_runtime_module(f"{case.stem}_good.py", case.settings()) == []


def test_blocking_sleep_good_module_is_what_fix_produces() -> None:
    case = CASES[0]
    bad = RUNTIME / f"{case.stem}_bad.py"
    settings = case.settings()
    outcome = fix_text(bad.read_text(), str(bad), settings, select_rules(settings), is_test_file=True)
    assert outcome.text == (RUNTIME / f"{case.stem}_good.py").read_text()
