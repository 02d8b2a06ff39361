"""`fix` never loses data: it writes atomically, keeps bytes it did not mean to change, and is idempotent.

Most tests run the real `async-test-lint fix`; the dropped-fix tests plug a deliberately broken rule
into the fixer in-process, since no shipped rule produces a bad fix (which is the point).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import libcst as cst
import libcst.matchers as m
from cli_run import FIXED_SLEEPING_TEST, SLEEPING_TEST, codes_by_file, run_cli, write

from async_test_lint import cli
from async_test_lint.engine.fixer import MAX_ROUNDS, fix_text
from async_test_lint.model.rule import Fix, Rule
from async_test_lint.settings.config import Settings

# Several fixes in one file, one of them (the sleep in a comprehension) not fixable, and a task
# created inside another task's argument: the outer and inner fixes overlap, so the inner one
# waits for the next round.
SEVERAL_FIXES = """\
import asyncio
import time


RUNNING = set()


async def work(*args): ...


async def test_one():
    time.sleep(0.1)
    [time.sleep(0) for _ in range(2)]


async def test_two():
    time.sleep(0.2)
    task = asyncio.create_task(work(asyncio.create_task(work())))
    RUNNING.add(task)


class TestThree:
    async def test_three(self):
        time.sleep(0.3)
"""

# Three fixes that each need `import asyncio`, which the module lacks; its mark says the tests run
# under asyncio.
THREE_SLEEPS = """\
import time

import pytest

pytestmark = pytest.mark.asyncio


async def test_one():
    time.sleep(0.1)


async def test_two():
    time.sleep(0.2)


class TestThree:
    async def test_three(self):
        time.sleep(0.3)
"""


def listing(directory) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in directory.iterdir()}


def test_fix_rewrites_the_file_and_exits_0_when_nothing_is_left(tmp_path) -> None:
    target = write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    result = run_cli("fix", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert target.read_text() == FIXED_SLEEPING_TEST
    assert "Fixed 1 finding(s) in 1 file(s)." in result.stderr
    assert run_cli("check", ".", cwd=tmp_path).returncode == 0


def test_fix_exits_1_and_reports_what_is_left(tmp_path) -> None:
    target = write(tmp_path / "test_several.py", SEVERAL_FIXES)
    result = run_cli("fix", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert codes_by_file(result.stdout) == {"test_several.py": ["ATL201"]}  # the one in the comprehension
    assert "test_several.py:13:6: ATL201 " in result.stdout
    fixed = target.read_text()
    assert fixed.count("await asyncio.sleep(") == 3
    # Both tasks are named, apart: the inner one in a later round than the outer one.
    assert (
        'asyncio.create_task(work(asyncio.create_task(work(), name="test_two:work-2")), name="test_two:work")'
        in fixed
    )


def test_diff_shows_the_fix_writes_nothing_and_exits_1(tmp_path) -> None:
    target = write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    before = target.stat()
    result = run_cli("fix", "--diff", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert target.read_text() == SLEEPING_TEST
    assert target.stat().st_mtime_ns == before.st_mtime_ns
    assert listing(tmp_path) == {"test_sleep.py": SLEEPING_TEST.encode()}
    assert result.stdout.startswith("--- a/test_sleep.py\n+++ b/test_sleep.py\n")
    diff_lines = result.stdout.splitlines()
    assert "-    time.sleep(0.1)" in diff_lines
    assert "+    await asyncio.sleep(0.1)" in diff_lines


def test_diff_shows_only_changed_lines_of_latin1_and_bom_files(tmp_path) -> None:
    commented = SLEEPING_TEST.replace("import time", "import time  # caf\u00e9")
    (tmp_path / "test_latin1.py").write_bytes(("# -*- coding: latin-1 -*-\n" + commented).encode("latin-1"))
    (tmp_path / "test_bom.py").write_bytes(b"\xef\xbb\xbf" + commented.encode())
    result = run_cli("fix", "--diff", ".", cwd=tmp_path)
    removed = [line for line in result.stdout.splitlines() if line.startswith("-") and not line.startswith("---")]
    assert removed == ["-    time.sleep(0.1)"] * 2


def test_diff_of_a_clean_file_is_empty_and_exits_0(tmp_path) -> None:
    write(tmp_path / "test_sleep.py", FIXED_SLEEPING_TEST)
    result = run_cli("fix", "--diff", ".", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")


def test_fix_twice_equals_fix_once(tmp_path) -> None:
    target = write(tmp_path / "test_several.py", SEVERAL_FIXES)
    run_cli("fix", ".", cwd=tmp_path)
    once = target.read_bytes()
    assert once != SEVERAL_FIXES.encode()
    again = run_cli("fix", ".", cwd=tmp_path)
    assert target.read_bytes() == once
    assert "Fixed 0 finding(s) in 0 file(s)." in again.stderr
    assert run_cli("fix", "--diff", ".", cwd=tmp_path).stdout == ""


def test_crlf_line_endings_are_kept(tmp_path) -> None:
    target = tmp_path / "test_crlf.py"
    target.write_bytes(THREE_SLEEPS.replace("\n", "\r\n").encode())
    run_cli("fix", ".", cwd=tmp_path)
    data = target.read_bytes()
    assert b"import asyncio\r\n" in data and b"await asyncio.sleep(0.1)\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b"")  # no bare LF anywhere, added lines included
    assert data.count(b"\r\n") == THREE_SLEEPS.count("\n") + 1  # one line added: the import


def test_utf8_bom_is_kept(tmp_path) -> None:
    target = tmp_path / "test_bom.py"
    target.write_bytes(b"\xef\xbb\xbf" + SLEEPING_TEST.replace("import time", "import time  # caf\u00e9").encode())
    result = run_cli("fix", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfimport time  # caf\xc3\xa9\n")
    assert data.count(b"\xef\xbb\xbf") == 1
    assert b"await asyncio.sleep(0.1)" in data


def test_latin1_file_with_a_coding_cookie_is_kept(tmp_path) -> None:
    commented = SLEEPING_TEST.replace("time.sleep(0.1)", 'time.sleep(0.1)  # "d\u00e9j\u00e0"')
    source = "# -*- coding: latin-1 -*-\n" + commented
    target = tmp_path / "test_latin1.py"
    target.write_bytes(source.encode("latin-1"))
    result = run_cli("fix", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    data = target.read_bytes()
    assert data.startswith(b"# -*- coding: latin-1 -*-\n")
    assert b'await asyncio.sleep(0.1)  # "d\xe9j\xe0"' in data  # still latin-1, not UTF-8
    assert data.decode("latin-1").count("\u00e9") == 1


def test_file_mode_is_kept_and_no_temporary_file_is_left(tmp_path) -> None:
    target = write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    os.chmod(target, 0o750)
    inode = target.stat().st_ino
    run_cli("fix", ".", cwd=tmp_path)
    assert target.read_text() == FIXED_SLEEPING_TEST
    assert stat.S_IMODE(target.stat().st_mode) == 0o750
    assert target.stat().st_ino != inode  # replaced by a rename, not rewritten in place
    assert sorted(path.name for path in tmp_path.iterdir()) == ["test_sleep.py"]


def test_a_symlink_stays_a_symlink_and_its_target_is_fixed(tmp_path) -> None:
    target = write(tmp_path / "shared" / "test_target.py", SLEEPING_TEST)
    link = tmp_path / "test_link.py"
    link.symlink_to(Path("shared") / "test_target.py")
    result = run_cli("fix", "test_link.py", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert link.is_symlink()
    assert target.read_text() == FIXED_SLEEPING_TEST
    assert sorted(path.name for path in target.parent.iterdir()) == ["test_target.py"]


def test_a_comment_inside_a_call_is_never_lost(tmp_path) -> None:
    source = """\
import asyncio
import time


RUNNING = set()


async def work(): ...


async def test_comments():
    time.sleep(
        0.1,  # the delay the server needs
    )
    task = asyncio.create_task(  # started before the request
        work(),
    )
    RUNNING.add(task)
"""
    target = write(tmp_path / "test_comments.py", source)
    result = run_cli("fix", ".", cwd=tmp_path)
    fixed = target.read_text()
    # The sleep is fixed with its comment inside; the task fix would have to move a comment, so
    # ATL401 offers none and the finding stays.
    assert "    await asyncio.sleep(\n        0.1,  # the delay the server needs\n    )\n" in fixed
    assert "asyncio.create_task(  # started before the request\n        work(),\n    )" in fixed
    assert codes_by_file(result.stdout) == {"test_comments.py": ["ATL401"]}
    assert result.returncode == 1


def test_import_asyncio_is_added_once_for_several_fixes(tmp_path) -> None:
    target = write(tmp_path / "test_sleeps.py", THREE_SLEEPS)
    run_cli("fix", ".", cwd=tmp_path)
    lines = target.read_text().splitlines()
    assert sum("await asyncio.sleep(" in line for line in lines) == 3
    assert lines.count("import asyncio") == 1
    assert lines[:4] == ["import time", "", "import pytest", "import asyncio"]


def test_an_existing_import_asyncio_is_reused(tmp_path) -> None:
    assert "import asyncio" in SLEEPING_TEST
    target = write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    run_cli("fix", ".", cwd=tmp_path)
    assert target.read_text().splitlines().count("import asyncio") == 1
    assert "await asyncio.sleep(0.1)" in target.read_text()


ASYNC_ON_TESTCASE = """\
import unittest


class TestSums(unittest.TestCase):
    async def test_sum(self):
        self.assertEqual(1 + 1, 3)
"""


def test_unsafe_fixes_are_applied_only_with_unsafe_fixes(tmp_path) -> None:
    # ATL706's fix (TestCase -> IsolatedAsyncioTestCase) is unsafe: the test starts running.
    target = write(tmp_path / "test_sums.py", ASYNC_ON_TESTCASE)
    safe = run_cli("fix", "test_sums.py", cwd=tmp_path)
    assert safe.returncode == 1 and target.read_text() == ASYNC_ON_TESTCASE
    assert "ATL706" in safe.stdout
    diff = run_cli("fix", "--unsafe-fixes", "--diff", "test_sums.py", cwd=tmp_path)
    assert diff.returncode == 1 and "+class TestSums(unittest.IsolatedAsyncioTestCase):" in diff.stdout
    assert target.read_text() == ASYNC_ON_TESTCASE
    unsafe = run_cli("fix", "--unsafe-fixes", "test_sums.py", cwd=tmp_path)
    assert unsafe.returncode == 0, unsafe.stdout + unsafe.stderr
    assert target.read_text() == ASYNC_ON_TESTCASE.replace("unittest.TestCase", "unittest.IsolatedAsyncioTestCase")


# --- fixes that are not applied: in-process, with rules written to misbehave ----------------------

TIME_SLEEP = m.Call(func=m.Attribute(value=m.Name("time"), attr=m.Name("sleep")))


class _SleepFixRule(Rule):
    """Flags `time.sleep(...)` and offers the replacement `replace` builds (see the subclasses)."""

    code = "ATL990"
    name = "test-only"
    message = "test-only finding"
    fix_title = "test-only fix"
    safe = True

    def visit_Call(self, node: cst.Call) -> None:
        if m.matches(node, TIME_SLEEP):
            self.report(node, fix=Fix(self.replace(node), self.fix_title, safe=self.safe))

    def replace(self, node: cst.Call) -> cst.BaseExpression:
        raise NotImplementedError


class KeywordModuleName(_SleepFixRule):
    # A replacement that does not parse: `async.sleep(...)`. libcst's node validation only checks
    # that a Name is an identifier, and `async` is one to `str.isidentifier()`.
    def replace(self, node: cst.Call) -> cst.BaseExpression:
        return node.with_changes(func=cst.Attribute(value=cst.Name("async"), attr=cst.Name("sleep")))


class AwaitEverywhere(_SleepFixRule):
    # A replacement that parses but does not compile in a sync `def`: the very mistake ATL201's
    # real fix guards against.
    def replace(self, node: cst.Call) -> cst.BaseExpression:
        return cst.Await(node.with_changes(func=cst.Attribute(value=cst.Name("asyncio"), attr=cst.Name("sleep"))))


class DropsComments(_SleepFixRule):
    def replace(self, node: cst.Call) -> cst.BaseExpression:
        return cst.parse_expression("time.sleep(0)")


class UnsafeZeroDelay(DropsComments):
    safe = False


MIXED_CONTEXTS = """\
import asyncio
import time


def helper():
    time.sleep(0.1)


async def test_waits():
    time.sleep(0.2)
"""


def fix_with(rule: type[Rule], source: str, unsafe: bool = False):
    return fix_text(source, "test_mixed.py", Settings(), [rule], unsafe=unsafe, is_test_file=True)


def test_a_fix_whose_result_does_not_parse_is_dropped_with_a_message() -> None:
    outcome = fix_with(KeywordModuleName, SLEEPING_TEST)
    assert outcome.messages == ["test_mixed.py:5:5: ATL990 fix dropped: its result is not valid Python"]
    assert (outcome.applied, outcome.text) == (0, SLEEPING_TEST)
    assert [(d.code, d.line) for d in outcome.diagnostics] == [("ATL990", 5)]  # the finding stays


def test_a_fix_whose_result_does_not_compile_is_dropped_and_the_others_are_kept() -> None:
    outcome = fix_with(AwaitEverywhere, MIXED_CONTEXTS)
    # Reported once, although the fixer retried it in its second round.
    assert outcome.messages == ["test_mixed.py:6:5: ATL990 fix dropped: its result is not valid Python"]
    # Fixes are retried one by one: the good one (in the async def) is applied.
    assert outcome.applied == 1
    assert outcome.text == MIXED_CONTEXTS.replace("    time.sleep(0.2)", "    await asyncio.sleep(0.2)")
    compile(outcome.text, "<fixed>", "exec")
    assert [(d.code, d.line) for d in outcome.diagnostics] == [("ATL990", 6)]


def test_a_dropped_fix_is_reported_by_the_cli_and_the_file_is_untouched(tmp_path, monkeypatch, capsys) -> None:
    target = write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    monkeypatch.setattr(cli, "select_rules", lambda settings: (KeywordModuleName,))
    assert cli.main(["fix", str(target)]) == 1
    captured = capsys.readouterr()
    assert f"async-test-lint: {target}:5:5: ATL990 fix dropped: its result is not valid Python" in captured.err
    assert target.read_text() == SLEEPING_TEST
    assert listing(tmp_path) == {"test_sleep.py": SLEEPING_TEST.encode()}


def test_a_fix_that_would_drop_a_comment_is_not_applied() -> None:
    source = SLEEPING_TEST.replace("time.sleep(0.1)", "time.sleep(\n        0.1,  # why this long\n    )")
    outcome = fix_with(DropsComments, source)
    assert (outcome.text, outcome.applied) == (source, 0)
    assert [d.code for d in outcome.diagnostics] == ["ATL990"]
    # The same rule fixes a call without a comment: the comment is what held it back.
    assert fix_with(DropsComments, SLEEPING_TEST).applied == 1


def test_unsafe_fixes_apply_only_when_asked() -> None:
    assert fix_with(UnsafeZeroDelay, SLEEPING_TEST).text == SLEEPING_TEST
    assert fix_with(UnsafeZeroDelay, SLEEPING_TEST, unsafe=True).text == SLEEPING_TEST.replace("0.1", "0")


class GrowingDelay(_SleepFixRule):
    # Never converges: each round's fix leaves a new finding with a new fix.
    def replace(self, node: cst.Call) -> cst.BaseExpression:
        delay = node.args[0].value
        return node.with_changes(args=[cst.Arg(cst.BinaryOperation(delay, cst.Add(), cst.Integer("1")))])


def test_fix_rounds_are_bounded() -> None:
    outcome = fix_with(GrowingDelay, SLEEPING_TEST)
    assert outcome.applied == MAX_ROUNDS
    assert f"time.sleep(0.1{' + 1' * MAX_ROUNDS})" in outcome.text
    assert [d.code for d in outcome.diagnostics] == ["ATL990"]
