"""The fix API, in-process: each edit kind, imports, atomic fixes of several places, overlap judged on
what fixes edit, comments kept, byte-exact output. The rules here are written for the tests; the
shipped rules' fixes are covered by the fixture harness and test_fix_safety.py.
"""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from async_test_lint.engine.edits import Place, PlannedFix, apply_fixes, plan
from async_test_lint.engine.fixer import fix_text
from async_test_lint.engine.runner import parse_and_lint
from async_test_lint.model.rule import (
    AddDecorator,
    Edit,
    Fix,
    Import,
    ImportFrom,
    InsertStatement,
    RemoveDecorator,
    RemoveParameter,
    Replace,
    Rule,
)
from async_test_lint.semantics.calls import awaited, module_reference, name_reference
from async_test_lint.settings.config import Settings


def fix(rule: type[Rule], source: str, unsafe: bool = False):
    outcome = fix_text(source, "test_fixer_case.py", Settings(), [rule], unsafe=unsafe, is_test_file=True)
    # Every fix here converges: fixing the result again changes nothing.
    again = fix_text(outcome.text, "test_fixer_case.py", Settings(), [rule], unsafe=unsafe, is_test_file=True)
    assert (again.text, again.applied) == (outcome.text, 0)
    return outcome


def fixed(rule: type[Rule], source: str) -> str:
    return fix(rule, textwrap.dedent(source)).text


def dedent(text: str) -> str:
    return textwrap.dedent(text)


class _TestRule(Rule):
    code = "ATL990"
    name = "test-only"
    message = "test-only finding"


def _statement(rule: Rule) -> cst.BaseStatement:
    """The statement the walk is in."""
    return next(node for node in reversed(rule.context.nodes) if isinstance(node, cst.BaseStatement))


# --- from-imports and how a fix refers to a name ------------------------------------------------------


class MockToAsyncMock(_TestRule):
    """`Mock()` becomes `AsyncMock()`, referred to the way the file already can."""

    def visit_Call(self, node: cst.Call) -> None:
        if self.context.qualified_name(node.func) != "unittest.mock.Mock":
            return
        reference = name_reference(self.context, "unittest.mock", "AsyncMock")
        if reference is None:
            self.report(node)
            return
        expression, imports = reference
        self.report(node, fix=Fix(title="Use AsyncMock", edits=[Replace(node.func, expression)], imports=imports))


def test_a_from_import_is_merged_into_the_existing_one_and_added_once() -> None:
    source = """\
        import os
        from unittest.mock import Mock, patch

        one = Mock()
        two = Mock()
        """
    assert fixed(MockToAsyncMock, source) == dedent(
        """\
        import os
        from unittest.mock import AsyncMock, Mock, patch

        one = AsyncMock()
        two = AsyncMock()
        """
    )


def test_an_existing_alias_is_used_and_no_import_is_added() -> None:
    source = """\
        from unittest.mock import AsyncMock as AM, Mock

        one = Mock()
        """
    assert fixed(MockToAsyncMock, source) == dedent(
        """\
        from unittest.mock import AsyncMock as AM, Mock

        one = AM()
        """
    )


@pytest.mark.parametrize(
    ("imports", "call", "reference"),
    [
        # `import X` present: the fix refers to X.Y and adds no import.
        ("import unittest.mock", "unittest.mock.Mock()", "unittest.mock.AsyncMock()"),
        ("import unittest.mock as um", "um.Mock()", "um.AsyncMock()"),
        ("from unittest import mock", "mock.Mock()", "mock.AsyncMock()"),
    ],
)
def test_an_imported_module_is_used_as_it_is_imported(imports: str, call: str, reference: str) -> None:
    source = f"{imports}\n\none = {call}\n"
    assert fixed(MockToAsyncMock, source) == f"{imports}\n\none = {reference}\n"


def test_a_from_import_is_added_when_nothing_refers_to_the_module() -> None:
    source = """\
        import unittest.mock
        from unittest.mock import Mock

        one = Mock()
        """
    # `import unittest` alone would not make `unittest.mock` an attribute: only the full import counts.
    assert fixed(MockToAsyncMock, source.replace("import unittest.mock\n", "import unittest\n")) == dedent(
        """\
        import unittest
        from unittest.mock import AsyncMock, Mock

        one = AsyncMock()
        """
    )


def test_no_fix_when_the_name_is_taken() -> None:
    source = dedent(
        """\
        from unittest.mock import Mock

        AsyncMock = object()
        one = Mock()
        """
    )
    outcome = fix(MockToAsyncMock, source)
    assert outcome.text == source
    assert [d.fixable for d in outcome.diagnostics] == [False]


# --- decorators ------------------------------------------------------------------------------------


class MarkAsyncTests(_TestRule):
    """Adds `@pytest.mark.asyncio` to an `async def test_*` that has no mark."""

    outermost = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.asynchronous is None or not node.name.value.startswith("test_"):
            return
        if any(self.context.qualified_name(_callee(d.decorator)) == "pytest.mark.asyncio" for d in node.decorators):
            return
        reference = module_reference(self.context, "pytest")
        assert reference is not None
        pytest_name, imports = reference
        mark = cst.Attribute(cst.Attribute(pytest_name, cst.Name("mark")), cst.Name("asyncio"))
        edit = AddDecorator(node, mark, outermost=self.outermost)
        self.report(node.name, fix=Fix(title="Add the mark", edits=[edit], imports=imports))


class MarkAsyncTestsInnermost(MarkAsyncTests):
    outermost = False


def _callee(expression: cst.BaseExpression) -> cst.BaseExpression:
    return expression.func if isinstance(expression, cst.Call) else expression


MARKLESS = """\
    import pytest


    # The retry test.
    @pytest.mark.parametrize("n", [1, 2])
    # Slow.
    @pytest.mark.slow
    async def test_retry(n):
        pass


    class TestGroup:
        async def test_method(self):  # the only one
            pass
    """


def test_a_decorator_is_added_above_the_others_below_the_comments() -> None:
    assert fixed(MarkAsyncTests, MARKLESS) == dedent(
        """\
        import pytest


        # The retry test.
        @pytest.mark.asyncio
        @pytest.mark.parametrize("n", [1, 2])
        # Slow.
        @pytest.mark.slow
        async def test_retry(n):
            pass


        class TestGroup:
            @pytest.mark.asyncio
            async def test_method(self):  # the only one
                pass
        """
    )


def test_a_decorator_is_added_just_above_the_def() -> None:
    assert fixed(MarkAsyncTestsInnermost, MARKLESS) == dedent(
        """\
        import pytest


        # The retry test.
        @pytest.mark.parametrize("n", [1, 2])
        # Slow.
        @pytest.mark.slow
        @pytest.mark.asyncio
        async def test_retry(n):
            pass


        class TestGroup:
            @pytest.mark.asyncio
            async def test_method(self):  # the only one
                pass
        """
    )


def test_the_import_a_decorator_needs_is_added() -> None:
    source = "async def test_one():\n    pass\n"
    assert fixed(MarkAsyncTests, source) == "import pytest\n\n@pytest.mark.asyncio\nasync def test_one():\n    pass\n"


class AsyncioFixtures(_TestRule):
    """`@pytest.fixture(...)` on an `async def` becomes `@pytest_asyncio.fixture(...)`, arguments kept."""

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.asynchronous is None:
            return
        for decorator in node.decorators:
            callee = _callee(decorator.decorator)
            if self.context.qualified_name(callee) == "pytest.fixture":
                reference = module_reference(self.context, "pytest_asyncio")
                assert reference is not None
                fixture = cst.Attribute(reference[0], cst.Name("fixture"))
                edit = Replace(callee, fixture)
                self.report(decorator, fix=Fix(title="Use pytest_asyncio", edits=[edit], imports=reference[1]))


def test_a_decorator_is_replaced_keeping_its_arguments() -> None:
    source = """\
        import pytest


        @pytest.fixture(scope="module", params=[1, 2])  # shared
        async def server(request):
            return request.param


        @pytest.fixture
        async def client():
            return 1
        """
    assert fixed(AsyncioFixtures, source) == dedent(
        """\
        import pytest
        import pytest_asyncio


        @pytest_asyncio.fixture(scope="module", params=[1, 2])  # shared
        async def server(request):
            return request.param


        @pytest_asyncio.fixture
        async def client():
            return 1
        """
    )


class DropSlowMarks(_TestRule):
    """Removes `@slow` decorators."""

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for decorator in node.decorators:
            if isinstance(decorator.decorator, cst.Name) and decorator.decorator.value == "slow":
                self.report(decorator, fix=Fix(title="Drop it", edits=[RemoveDecorator(node, decorator)]))


def test_a_decorator_is_removed_unless_it_holds_a_comment() -> None:
    source = """\
        # above
        @slow
        @other
        @slow  # keep: the CI needs it
        def test_one():
            pass


        @slow
        def test_two():
            pass
        """
    outcome = fix(DropSlowMarks, dedent(source))
    assert outcome.text == dedent(
        """\
        # above
        @other
        @slow  # keep: the CI needs it
        def test_one():
            pass


        def test_two():
            pass
        """
    )
    assert [d.line for d in outcome.diagnostics] == [3]  # the commented one stays, unfixed


# --- parameters ------------------------------------------------------------------------------------


def _parameter_names(function: cst.FunctionDef) -> list[str]:
    params = function.params
    return [p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)]


class DropEventLoop(_TestRule):
    """Removes the `event_loop` parameter."""

    safe = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if "event_loop" in _parameter_names(node):
            edit = RemoveParameter(node, "event_loop")
            self.report(node.name, fix=Fix(title="Drop it", edits=[edit], safe=self.safe))


@pytest.mark.parametrize(
    ("signature", "expected"),
    [
        ("(event_loop)", "()"),
        ("(a, event_loop)", "(a)"),
        ("(event_loop, a)", "(a)"),
        ("(a, event_loop, b)", "(a, b)"),
        ("(self, event_loop, /)", "(self, /)"),
        ("(a, *, event_loop)", None),  # `(a, *)` is not valid Python: not applicable
        ("(a, *, event_loop, b=1)", "(a, *, b=1)"),
        ("(a, event_loop=None, *args, **kwargs)", "(a, *args, **kwargs)"),
        ("(a, event_loop, *args)", "(a, *args)"),
        ("(\n    event_loop,\n)", "()"),
        ("(\n    a,\n    event_loop,\n)", "(\n    a,\n)"),
        ("(\n    event_loop,\n    a,\n)", "(\n    a,\n)"),
        ("(\n    a,\n    event_loop\n)", "(\n    a\n)"),
        ("(a, event_loop,  # the loop\n)", "(a,  # the loop\n)"),  # the comment moves, not lost
        ("(a: int, event_loop: asyncio.AbstractEventLoop) -> None", "(a: int) -> None"),
    ],
)
def test_a_parameter_is_removed_with_its_comma(signature: str, expected: str | None) -> None:
    source = f"def test_one{signature}:\n    pass\n"
    outcome = fix(DropEventLoop, source)
    assert outcome.text == (source if expected is None else f"def test_one{expected}:\n    pass\n")


@pytest.mark.parametrize(
    "signature",
    ["(a,  # the first\n    event_loop)", "(event_loop  # the loop\n)", "(event_loop,  # the loop\n    a)"],
)
def test_a_parameter_whose_removal_would_drop_a_comment_stays(signature: str) -> None:
    source = f"def test_one{signature}:\n    pass\n"
    outcome = fix(DropEventLoop, source)
    assert (outcome.text, outcome.applied, outcome.messages) == (source, 0, [])
    assert [d.code for d in outcome.diagnostics] == ["ATL990"]


# --- statements ------------------------------------------------------------------------------------


class NoteSleeps(_TestRule):
    """`sleep(x)` becomes `nap(x)`, with `before()` above its statement and `after()` below."""

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "sleep":
            statement = _statement(self)
            edits = [
                Replace(node.func, cst.Name("nap")),
                InsertStatement(before=statement, statement=cst.Expr(cst.parse_expression("before()"))),
                InsertStatement(after=statement, statement=cst.parse_statement("after()\n")),
            ]
            self.report(node, fix=Fix(title="Nap", edits=edits))


def test_statements_are_inserted_with_the_indentation_of_their_block() -> None:
    source = """\
        def test_one():
            if ready:

                # wait for it
                sleep(1)  # a second
                done()
        sleep(2)
        """
    assert fixed(NoteSleeps, source) == dedent(
        """\
        def test_one():
            if ready:

                # wait for it
                before()
                nap(1)  # a second
                after()
                done()
        before()
        nap(2)
        after()
        """
    )


def test_insert_takes_exactly_one_anchor() -> None:
    statement = cst.parse_statement("x = 1\n")
    with pytest.raises(ValueError, match="exactly one"):
        InsertStatement(statement=statement)
    with pytest.raises(ValueError, match="exactly one"):
        InsertStatement(statement=statement, before=statement, after=statement)


def test_a_fix_needs_something_to_do() -> None:
    with pytest.raises(ValueError, match="replacement or edits"):
        Fix(title="nothing")


def test_imports_given_as_strings_are_modules() -> None:
    fix_ = Fix(cst.Name("x"), "t", imports=["asyncio", ImportFrom("unittest.mock", "AsyncMock")])
    assert fix_.imports == (Import("asyncio"), ImportFrom("unittest.mock", "AsyncMock"))


# --- fixes of several places, applied atomically ---------------------------------------------------


class SleepsToAsyncio(_TestRule):
    """`time.sleep(x)` in an `async def test_*` becomes `await asyncio.sleep(x)`, and the test gets
    `@pytest.mark.asyncio` and loses its `event_loop` parameter: three places, one fix."""

    def visit_Call(self, node: cst.Call) -> None:
        frame = self.context.function_frame
        if self.context.qualified_name(node.func) != "time.sleep" or frame is None or not frame.is_async:
            return
        function = frame.node
        assert isinstance(function, cst.FunctionDef)
        asyncio_name, imports = module_reference(self.context, "asyncio") or (None, ())
        assert asyncio_name is not None
        new = awaited(node.with_changes(func=cst.Attribute(asyncio_name, cst.Name("sleep"))), self.context.parent)
        edits: list[Edit] = [Replace(node, new)]
        if not any(self.context.qualified_name(d.decorator) == "pytest.mark.asyncio" for d in function.decorators):
            edits.append(AddDecorator(function, cst.parse_expression("pytest.mark.asyncio")))
        if "event_loop" in _parameter_names(function):
            edits.append(RemoveParameter(function, "event_loop"))
        self.report(node, fix=Fix(title="Make it async", edits=edits, imports=[*imports, Import("pytest")]))


TWO_SLEEPS = """\
    import time


    async def test_waits(event_loop, server):
        time.sleep(0.1); time.sleep(0.2)
    """


def test_one_fix_edits_a_call_a_decorator_and_a_parameter_and_adds_its_imports() -> None:
    outcome = fix(SleepsToAsyncio, dedent(TWO_SLEEPS))
    assert outcome.text == dedent(
        """\
        import time
        import asyncio
        import pytest


        @pytest.mark.asyncio
        async def test_waits(server):
            await asyncio.sleep(0.1); await asyncio.sleep(0.2)
        """
    )
    assert outcome.applied == 2


def test_overlap_is_judged_on_the_edits_not_on_the_finding() -> None:
    module, diagnostics = parse_and_lint(dedent(TWO_SLEEPS), "test_x.py", Settings(), [SleepsToAsyncio], True)
    assert module is not None
    # Both fixes add the mark and drop the parameter of the same def: the second waits a round,
    # although the two findings (different calls) do not overlap.
    assert [p.diagnostic.column for p in plan(module, diagnostics, unsafe=False)] == [5]


class RenameNames(_TestRule):
    """Every `a` becomes `b`; every finding points at the whole statement line."""

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == "a":
            self.report(_statement(self), fix=Fix(title="Rename", edits=[Replace(node, cst.Name("b"))]))


def test_fixes_on_different_nodes_of_one_line_apply_in_the_same_round() -> None:
    source = "x = a + f(a)  # sum\n"
    module, diagnostics = parse_and_lint(source, "test_x.py", Settings(), [RenameNames], True)
    assert module is not None and len(diagnostics) == 2
    # The findings' spans are the same line; the edits are two different names.
    assert len(plan(module, diagnostics, unsafe=False)) == 2
    outcome = fix(RenameNames, source)
    assert (outcome.text, outcome.applied) == ("x = b + f(b)  # sum\n", 2)


class ReplaceCallAndItsArgument(_TestRule):
    """Replaces `f(a)` by `g(a)`, and (another fix) `a` by `b`: the outer edit covers the inner one."""

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "f":
            self.report(node, "call", fix=Fix(node.with_changes(func=cst.Name("g")), "Call g"))

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == "a":
            self.report(node, fix=Fix(cst.Name("b"), "Rename"))


def test_a_fix_inside_another_fixes_replaced_node_waits_for_the_next_round() -> None:
    module, diagnostics = parse_and_lint("x = f(a)\n", "test_x.py", Settings(), [ReplaceCallAndItsArgument], True)
    assert module is not None
    assert [p.diagnostic.message for p in plan(module, diagnostics, unsafe=False)] == ["call"]
    outcome = fix(ReplaceCallAndItsArgument, "x = f(a)\n")
    assert (outcome.text, outcome.applied) == ("x = g(b)\n", 2)


class HalfApplicable(_TestRule):
    """Replaces `sleep(...)` by `nap(...)` and removes a parameter the def does not have."""

    def visit_Call(self, node: cst.Call) -> None:
        frame = self.context.function_frame
        if isinstance(node.func, cst.Name) and node.func.value == "sleep" and frame is not None:
            assert isinstance(frame.node, cst.FunctionDef)
            edits = [Replace(node.func, cst.Name("nap")), RemoveParameter(frame.node, "event_loop")]
            self.report(node, fix=Fix(title="Nap", edits=edits, imports=[ImportFrom("naps", "nap")]))


def test_a_fix_applies_all_its_edits_or_none() -> None:
    source = "def test_one(server):\n    sleep(1)\n"
    outcome = fix(HalfApplicable, source)
    assert (outcome.text, outcome.applied) == (source, 0)  # neither the call nor the import
    with_loop = "def test_one(server, event_loop):\n    sleep(1)\n"
    assert fix(HalfApplicable, with_loop).text == "from naps import nap\n\ndef test_one(server):\n    nap(1)\n"


def test_an_edit_that_finds_no_place_leaves_its_whole_fix_out() -> None:
    # plan() never lets such a fix through; apply_fixes() checks again, after its pass.
    module, diagnostics = parse_and_lint("x = a\ny = a\n", "test_x.py", Settings(), [RenameNames], True)
    assert module is not None
    first, second = plan(module, diagnostics, unsafe=False)
    elsewhere = Replace(cst.Name("a"), cst.Name("c"))  # a node of no tree
    broken = PlannedFix(first.diagnostic, (*first.edits, elsewhere), (*first.places, Place(((9, 0), (9, 1)))))
    assert apply_fixes(module, [broken, second]) == ("x = a\ny = b\n", [second])


class BreaksOnePlace(_TestRule):
    """Removes `@slow` and, in the same fix, turns `pass` into `await x` in a sync def (invalid)."""

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if not node.decorators:
            return
        body = node.body.body[0]
        assert isinstance(body, cst.SimpleStatementLine)
        edits = [RemoveDecorator(node, node.decorators[0]), Replace(body.body[0], cst.Expr(cst.Await(cst.Name("x"))))]
        self.report(node.name, fix=Fix(title="Break", edits=edits))


def test_a_fix_whose_one_edit_spoils_the_result_is_dropped_whole() -> None:
    source = "@slow\ndef test_one():\n    pass\n\n\n@slow\nasync def test_two():\n    pass\n"
    outcome = fix(BreaksOnePlace, source)
    # The sync def keeps its decorator too; the async one is fixed.
    assert outcome.text == "@slow\ndef test_one():\n    pass\n\n\nasync def test_two():\n    await x\n"
    assert outcome.messages == ["test_fixer_case.py:2:5: ATL990 fix dropped: its result is not valid Python"]


class DropsACommentInOnePlace(_TestRule):
    """Adds a mark and, in the same fix, rewrites the body's first statement without its comment."""

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.decorators:
            return
        body = node.body.body[0]
        edits = [AddDecorator(node, cst.Name("mark")), Replace(body, cst.parse_statement("pass\n"))]
        self.report(node.name, fix=Fix(title="Mark", edits=edits))


def test_a_fix_that_would_drop_a_comment_anywhere_is_not_applied_at_all() -> None:
    source = "def test_one():\n    x = 1  # why\n"
    assert fix(DropsACommentInOnePlace, source).text == source
    assert fix(DropsACommentInOnePlace, "def test_one():\n    x = 1\n").text == "@mark\ndef test_one():\n    pass\n"


def test_unsafe_edits_apply_only_when_asked() -> None:
    class Unsafe(DropEventLoop):
        safe = False

    source = "def test_one(event_loop):\n    pass\n"
    assert fix(Unsafe, source).text == source
    assert fix(Unsafe, source, unsafe=True).text == "def test_one():\n    pass\n"


def test_crlf_is_kept_by_every_edit_kind() -> None:
    source = dedent(TWO_SLEEPS).replace("\n", "\r\n")
    outcome = fix(SleepsToAsyncio, source)
    assert "\n" not in outcome.text.replace("\r\n", "")
    assert outcome.text.count("\r\n") == source.count("\r\n") + 3  # two imports, one decorator


def test_a_decorator_added_to_a_def_whose_body_another_fix_changes_applies_in_the_same_round() -> None:
    source = "import pytest\n\nasync def test_one():\n    x = a\n"
    module, diagnostics = parse_and_lint(source, "test_x.py", Settings(), [MarkAsyncTests, RenameNames], True)
    assert module is not None
    assert len(plan(module, diagnostics, unsafe=False)) == 2
    outcome = fix_text(source, "test_x.py", Settings(), [MarkAsyncTests, RenameNames], is_test_file=True)
    assert outcome.text == "import pytest\n\n@pytest.mark.asyncio\nasync def test_one():\n    x = b\n"


class InsertBeforeAndReplaceStatement(_TestRule):
    """Two fixes on `sleep(1)`: one inserts `before()` above it, one replaces the whole statement."""

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "sleep":
            statement = _statement(self)
            insert = InsertStatement(before=statement, statement=cst.parse_statement("before()\n"))
            self.report(node, "insert", fix=Fix(title="Insert", edits=[insert]))
            self.report(node, "replace", fix=Fix(cst.parse_statement("nap(1)\n"), "Replace", target=statement))


def test_an_insert_and_a_replacement_of_its_anchor_wait_for_each_other() -> None:
    module, diagnostics = parse_and_lint("sleep(1)\n", "test_x.py", Settings(), [InsertBeforeAndReplaceStatement], True)
    assert module is not None
    assert [p.diagnostic.message for p in plan(module, diagnostics, unsafe=False)] == ["insert"]
