"""Names resolve through imports and aliases and Python's scoping rules, never by spelling."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from async_test_lint.engine.runner import _Walk
from async_test_lint.model.rule import Rule
from async_test_lint.semantics.context import FileContext
from async_test_lint.settings.config import PytestConfig, Settings
from async_test_lint.syntax.traversal import walk as traverse


class CallRecorder(Rule):
    """Records what each call's callee resolves to, and the context it was seen in."""

    code = "ATL999"
    name = "call-recorder"
    message = "recorded"

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.seen: list[tuple[str, str | None, str | None, bool, bool]] = []

    def visit_Call(self, node: cst.Call) -> None:
        written = cst.Module(body=[]).code_for_node(node.func)
        frame = self.context.test_or_fixture_frame
        self.seen.append(
            (
                written,
                self.context.qualified_name(node.func),
                self.context.type_of(node.func.value) if isinstance(node.func, cst.Attribute) else None,
                self.context.in_coroutine,
                frame is not None,
            )
        )


def walk(source: str, is_test_file: bool = True, settings: Settings | None = None, pytest_config: PytestConfig | None = None):
    module = cst.parse_module(textwrap.dedent(source))
    context = FileContext(
        path="test_x.py",
        source=module.code,
        module=module,
        settings=settings or Settings(),
        pytest=pytest_config or PytestConfig(),
        is_test_file=is_test_file,
    )
    recorder = CallRecorder(context)
    traverse(module, _Walk(context, [recorder]))
    return recorder.seen


def resolved(source: str) -> dict[str, str | None]:
    return {written: name for written, name, _, _, _ in walk(source)}


def test_module_aliases_and_from_imports() -> None:
    names = resolved(
        """
        import time as t
        from time import sleep as nap
        import os.path
        import urllib.request as ur
        def f():
            t.sleep(1); nap(1); os.path.join("a"); ur.urlopen("x")
        """
    )
    assert names == {
        "t.sleep": "time.sleep",
        "nap": "time.sleep",
        "os.path.join": "os.path.join",
        "ur.urlopen": "urllib.request.urlopen",
    }


def test_import_inside_a_function_is_local_to_it() -> None:
    names = walk(
        """
        def uses_local():
            from time import sleep
            sleep(1)
        def elsewhere():
            sleep(1)
        """
    )
    assert [name for _, name, *_ in names] == ["time.sleep", None]


def test_parameters_and_locals_shadow_imports() -> None:
    names = walk(
        """
        import requests
        def param(requests):
            requests.get("x")
        def local():
            requests = {"get": print}
            requests.get("x")
        def untouched():
            requests.get("x")
        """
    )
    assert [name for _, name, *_ in names] == [None, None, "requests.get"]


def test_type_checking_imports_do_not_exist_at_run_time() -> None:
    names = resolved(
        """
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from time import sleep
        else:
            from asyncio import sleep as pause
        def f():
            sleep(1); pause(1)
        """
    )
    assert names == {"sleep": None, "pause": "asyncio.sleep"}


def test_conflicting_bindings_resolve_to_nothing() -> None:
    names = resolved(
        """
        try:
            import tomllib as toml_reader
        except ImportError:
            import tomli as toml_reader
        def f():
            toml_reader.loads("")
        """
    )
    assert names == {"toml_reader.loads": None}


def test_class_body_does_not_enclose_methods_and_global_reaches_module() -> None:
    names = walk(
        """
        import time
        class C:
            time = None
            def method(self):
                time.sleep(1)
        def g():
            global time
            time.sleep(1)
        """
    )
    assert [name for _, name, *_ in names] == ["time.sleep", "time.sleep"]


def test_comprehension_targets_shadow() -> None:
    names = resolved(
        """
        import time
        def f(items):
            return [time.sleep(1) for time in items]
        """
    )
    assert names == {"time.sleep": None}


def test_builtins_resolve_when_unbound() -> None:
    assert resolved("def f():\n    print(1)\n") == {"print": "builtins.print"}


def test_type_facts_from_constructors_with_and_annotations() -> None:
    seen = walk(
        """
        import asyncio
        import requests
        def f(session: requests.Session, q: asyncio.Queue[int]):
            s = requests.Session()
            s.get("x")
            session.get("x")
            q.get()
            with requests.Session() as w:
                w.get("x")
            loop = asyncio.get_running_loop()
            loop.create_task(None)
        def rebound():
            s = requests.Session()
            s = {}
            s.get("x")
        """
    )
    by_call = [(written, receiver) for written, _, receiver, *_ in seen if "." in written]
    assert ("s.get", "requests.Session") in by_call
    assert ("session.get", "requests.Session") in by_call
    assert ("q.get", "asyncio.Queue") in by_call
    assert ("w.get", "requests.Session") in by_call
    assert ("loop.create_task", "asyncio.AbstractEventLoop") in by_call
    assert by_call[-1] == ("s.get", None), "a rebinding to another value kills the fact"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("async def f():\n    g()\n", [True]),
        ("async def f():\n    def inner():\n        g()\n", [False]),
        ("async def f():\n    h = lambda: g()\n", [False]),
        ("async def f():\n    [g() for _ in x]\n", [True]),
        ("def f():\n    async def inner():\n        g()\n", [True]),
        ("async def f(x=g()):\n    pass\n", [False]),
        ("@g()\nasync def f():\n    pass\n", [False]),
    ],
)
def test_coroutine_context_is_a_stack(source: str, expected: list[bool]) -> None:
    assert [in_coroutine for *_, in_coroutine, _ in walk(source)] == expected


def test_tests_and_fixtures_follow_pytest_config() -> None:
    source = """
        import pytest, pytest_asyncio, unittest
        from unittest import IsolatedAsyncioTestCase as Base

        def test_plain(): g()
        def check_custom(): g()
        def helper(): g()

        @pytest.fixture
        def fixture_a(): g()

        @pytest_asyncio.fixture(scope="module")
        async def fixture_b(): g()

        class TestGroup:
            def test_method(self): g()
            def helper(self): g()

        class TestWithInit:
            def __init__(self): pass
            def test_method(self): g()

        class Case(Base):
            async def test_a(self): g()
            async def asyncSetUp(self): g()

        class SubCase(Case):
            def test_b(self): g()
        """
    flagged = [is_test for written, *_, is_test in walk(source) if written == "g"]
    assert flagged == [True, False, False, True, True, True, False, False, True, True, True]
    custom = PytestConfig(python_functions=("check_",))
    assert [is_test for *_, is_test in walk(source, pytest_config=custom)][:3] == [False, True, False]


def test_non_test_files_have_no_tests_but_fixtures_still_count() -> None:
    seen = walk("import pytest\ndef test_a(): g()\n@pytest.fixture\ndef fx(): g()\n", is_test_file=False)
    assert [is_test for *_, is_test in seen] == [False, True]


def test_user_test_decorators() -> None:
    settings = Settings(test_decorators=("myapp.testing.async_test",))
    source = "from myapp.testing import async_test\n@async_test\nasync def check(): g()\n"
    assert [is_test for *_, is_test in walk(source, is_test_file=False, settings=settings)] == [True]
    assert [is_test for *_, is_test in walk(source, is_test_file=False)] == [False]


def test_a_name_defined_from_itself_has_no_fact_and_no_endless_recursion() -> None:
    seen = walk(
        """
        import asyncio
        def f(text, pair):
            text = text.strip()
            text.upper()
            a, b = b.partition(",")
            b.lower()
        """
    )
    assert [(written, receiver) for written, _, receiver, *_ in seen if written in ("text.upper", "b.lower")] == [
        ("text.upper", None),
        ("b.lower", None),
    ]
