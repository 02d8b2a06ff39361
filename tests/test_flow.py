"""The per-function flow (semantics/flow.py): which assignments a read may see, and await points."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from async_test_lint.semantics.flow import Flow, build_flow


def _build(source: str) -> tuple[Flow, cst.FunctionDef, dict[cst.CSTNode, int]]:
    wrapper = MetadataWrapper(cst.parse_module(textwrap.dedent(source)))
    positions = wrapper.resolve(PositionProvider)
    function = next(s for s in wrapper.module.body if isinstance(s, cst.FunctionDef))
    lines = {node: position.start.line for node, position in positions.items()}
    return build_flow(function), function, lines


def seen(source: str, name: str = "x") -> list[tuple[int, tuple[int, ...]]]:
    """(line of each tracked read of `name`, lines of the bindings it may see), in order."""
    flow, _, lines = _build(source)
    found = []
    for point in flow.points:
        for event in point.events:
            if event.kind == "read" and event.name == name:
                reaching = flow.reaching(event.node)  # type: ignore[arg-type]
                if reaching is not None:
                    found.append((lines[event.node], tuple(sorted(lines[d] for d in reaching))))
    return sorted(found)


def untracked_reads(source: str, name: str = "x") -> int:
    """How many reads of `name` the flow does not answer for (None: anything may reach)."""
    flow, function, _ = _build(source)
    names: list[cst.Name] = []

    class Collect(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            if node.value == name:
                names.append(node)

    function.body.visit(Collect())
    bindings = flow.definitions(name)
    return sum(1 for node in names if flow.reaching(node) is None and not any(node is b for b in bindings))


def test_straight_line_a_read_sees_the_latest_binding():
    assert seen(
        """
        def f():
            x = 1
            print(x)
            x = 2
            print(x)
        """
    ) == [(4, (3,)), (6, (5,))]


def test_a_read_before_any_binding_sees_none():
    assert seen(
        """
        def f():
            print(x)
            x = 1
        """
    ) == [(3, ())]


def test_parameters_are_bound_at_entry():
    assert seen(
        """
        def f(x, *args, y=1, **kw):
            print(x)
        """
    ) == [(3, (2,))]


def test_if_else_merges_both_branches():
    assert seen(
        """
        def f(c):
            x = 0
            if c:
                x = 1
            elif c > 1:
                x = 2
            else:
                pass
            print(x)
        """
    ) == [(10, (3, 5, 7))]


def test_loop_back_edge_a_read_may_see_a_later_binding():
    assert seen(
        """
        def f(items):
            x = None
            for item in items:
                print(x)
                x = item
            print(x)
        """
    ) == [(5, (3, 6)), (7, (3, 6))]


def test_while_loop_back_edge_and_break():
    assert seen(
        """
        def f():
            x = 0
            while True:
                if x:
                    break
                x = 1
            print(x)
        """
    ) == [(5, (3, 7)), (8, (3, 7))]


def test_continue_goes_back_to_the_loop_head():
    assert seen(
        """
        def f(items):
            x = 0
            for i in items:
                if i:
                    x = 1
                    continue
                x = 2
            print(x)
        """
    ) == [(9, (3, 6, 8))]


def test_an_empty_for_loop_keeps_the_old_value_of_its_target():
    assert seen(
        """
        def f(items):
            x = 0
            for x in items:
                pass
            print(x)
        """
    ) == [(6, (3, 4))]


def test_for_else_runs_when_the_loop_ends_without_break():
    assert seen(
        """
        def f(items):
            for i in items:
                x = 1
                break
            else:
                x = 2
            print(x)
        """
    ) == [(8, (4, 7))]


def test_code_after_return_sees_nothing_from_before():
    assert seen(
        """
        def f(c):
            x = 1
            if c:
                x = 2
                return x
            print(x)
        """
    ) == [(6, (5,)), (7, (3,))]


def test_try_except_any_body_step_may_raise_before_or_after_binding():
    assert seen(
        """
        def f():
            x = 0
            try:
                x = 1
                x = 2
            except ValueError:
                print(x)
            print(x)
        """
    ) == [(8, (3, 5, 6)), (9, (3, 5, 6))]


def test_try_else_is_not_covered_by_its_own_handlers():
    assert seen(
        """
        def f():
            x = 0
            try:
                pass
            except ValueError:
                print(x)
            else:
                x = 1
            print(x)
        """
    ) == [(7, (3,)), (10, (3, 9))]


def test_finally_sees_every_way_out_and_return_passes_through_it():
    assert seen(
        """
        def f(c):
            x = 0
            try:
                x = 1
                if c:
                    return
                x = 2
            except Exception:
                x = 3
            finally:
                print(x)
            print(x)
        """
    ) == [(12, (3, 5, 8, 10)), (13, (3, 5, 8, 10))]


def test_break_through_finally():
    assert seen(
        """
        def f():
            while True:
                try:
                    x = 1
                    break
                finally:
                    x = 2
            print(x)
        """
    ) == [(9, (8,))]


def test_the_except_name_is_deleted_at_the_end_of_the_clause():
    assert seen(
        """
        def f():
            x = 0
            try:
                pass
            except Exception as x:
                print(x)
            print(x)
        """
    ) == [(7, (6,)), (8, (3,))]


def test_with_body_may_be_left_by_a_swallowed_exception():
    assert seen(
        """
        def f(cm):
            x = 0
            with cm as x:
                x = 1
                x = 2
            print(x)
        """
    ) == [(7, (4, 5, 6))]  # when entering raises, the exit does not run


def test_match_captures_may_bind_even_when_the_case_fails():
    assert seen(
        """
        def f(point):
            x = 0
            match point:
                case (x, 0):
                    print(x)
                case {"k": x}:
                    print(x)
                case _:
                    pass
            print(x)
        """
    ) == [(6, (3, 5)), (8, (3, 5, 7)), (11, (3, 5, 7))]


def test_del_unbinds():
    assert seen(
        """
        def f(c):
            x = 1
            if c:
                del x
            print(x)
        """
    ) == [(6, (3,))]
    assert seen(
        """
        def f():
            x = 1
            del x
            print(x)
        """
    ) == [(5, ())]


def test_augmented_assignment_reads_then_rebinds():
    assert seen(
        """
        def f():
            x = 1
            x += 1
            print(x)
        """
    ) == [(4, (3,)), (5, (4,))]


def test_walrus_binds_in_the_function_and_conditionally_on_the_right_of_and():
    assert seen(
        """
        def f(c):
            x = 0
            if (x := g()) and c:
                print(x)
            if c and (x := h()):
                pass
            print(x)
        """
    ) == [(5, (4,)), (8, (4, 6))]


def test_walrus_in_a_comprehension_binds_the_function_name_maybe():
    assert seen(
        """
        def f(items):
            x = 0
            ys = [x := i for i in items]
            print(x)
        """
    ) == [(5, (3, 4))]


def test_comprehension_variables_are_not_the_function_locals():
    source = """
        def f(items):
            x = 0
            ys = [x for x in items]
            print(x)
        """
    assert seen(source) == [(5, (3,))]


def test_list_comprehension_reads_run_in_place():
    assert seen(
        """
        def f(items):
            x = 0
            ys = [x + i for i in items]
            x = 1
        """
    ) == [(4, (3,))]


def test_generator_expression_body_runs_later_and_is_untracked():
    source = """
        def f(items):
            x = 0
            g = (x + i for i in items)
            x = 1
            return list(g)
        """
    assert seen(source) == []
    assert untracked_reads(source) == 1
    # Its first iterable runs in place.
    assert seen(
        """
        def f():
            x = [1]
            g = (i for i in x)
        """
    ) == [(4, (3,))]


def test_nested_def_and_lambda_reads_are_untracked():
    source = """
        def f():
            x = 1

            def inner():
                return x

            cb = lambda: x
            x = 2
        """
    assert seen(source) == []
    assert untracked_reads(source) == 2


def test_nested_def_default_runs_at_the_def():
    assert seen(
        """
        def f():
            x = 1

            def inner(a=x):
                return a

            x = 2
        """
    ) == [(5, (3,))]


def test_global_and_nonlocal_names_are_not_tracked():
    for source in (
        """
        def f():
            global x
            x = 1
            print(x)
        """,
        """
        def f():
            x = 1

            def inner():
                nonlocal x
                x = 2

            inner()
            print(x)
        """,
    ):
        assert seen(source) == []


def test_names_not_bound_in_the_function_are_not_tracked():
    assert untracked_reads(
        """
        def f():
            print(x)
        """
    ) == 1


def test_imports_defs_and_classes_bind():
    source = """
        def f():
            import os.path
            from json import dumps as x
            print(x, os)
        """
    assert seen(source) == [(5, (4,))]
    assert seen(source, "os") == [(5, (3,))]
    assert seen(
        """
        def f():
            class x:
                pass
            print(x)
        """
    ) == [(5, (3,))]


def test_may_reach_is_conservative_for_unknown_nodes():
    flow, _, _ = _build(
        """
        def f():
            x = 1
            print(x)
        """
    )
    stranger = cst.Name("x")
    definition = flow.definitions("x")[0]
    assert flow.may_reach(stranger, stranger)
    assert flow.may_reach(definition, stranger)


# --- await points ------------------------------------------------------------------------------


def _statements(function: cst.FunctionDef) -> list[cst.CSTNode]:
    found: list[cst.CSTNode] = []
    for line in function.body.body:  # type: ignore[union-attr]
        found.extend(line.body if isinstance(line, cst.SimpleStatementLine) else [line])  # type: ignore[arg-type]
    return found


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("a = 1\nb = 2", 0),
        ("a = 1\nawait g()\nb = 2", 1),
        ("a = 1\nif c:\n    await g()\nb = 2", 1),
        ("a = 1\nasync with m():\n    pass\nb = 2", 2),  # enter and exit
        ("a = 1\nasync for i in it():\n    pass\nb = 2", 1),
        ("a = 1\nfor i in it():\n    await g(i)\nb = 2", 1),
        ("a = 1\nb = [await g(i) for i in it]", 0),  # inside `b`, not between
        ("a = 1\nx = (await g(i) for i in it)\nb = 2", 0),  # runs when consumed
        ("a = 1\nreturn\nawait g()\nb = 2", 0),  # unreachable
    ],
)
def test_awaits_between(body: str, expected: int):
    flow, function, _ = _build("async def f(c, it):\n" + textwrap.indent(body, "    ") + "\n")
    statements = _statements(function)
    assert len(flow.awaits_between(statements[0], statements[-1])) == expected


def test_awaits_between_a_loop_body_and_its_start_come_around_the_back_edge():
    flow, function, _ = _build(
        """
        async def f(it):
            for i in it:
                a = 1
                await g()
                b = 2
        """
    )
    loop = function.body.body[0]
    first, awaiting, last = (line.body[0] for line in loop.body.body)  # type: ignore[attr-defined]
    assert flow.awaits_between(last, first) == ()
    assert flow.awaits_between(first, last) == (awaiting.value,)


def test_statements_in_order_with_their_branches():
    flow, function, _ = _build(
        """
        def f(c):
            if c:
                a = 1
            else:
                a = 2
            return a
        """
    )
    kinds = [point.kind for point in flow.points]
    assert kinds == ["entry", "if", "statement", "statement", "statement", "exit"]
    test = flow.points_of(function.body.body[0])[0]  # type: ignore[index]
    assert test.successors == [2, 3]
    assert flow.points[2].successors == flow.points[3].successors == [4]


def test_awaits_inside_the_first_statement_are_its_own():
    flow, function, _ = _build(
        """
        async def f(c):
            if c:
                await g()
            b = 2
        """
    )
    condition, after = _statements(function)
    assert flow.awaits_between(condition, after) == ()
    if_then_await = _build("async def f(c):\n    a = 1\n    if c:\n        await g()\n    b = 2\n")
    flow, function, _ = if_then_await
    first, condition, after = _statements(function)
    assert len(flow.awaits_between(first, after)) == 1
