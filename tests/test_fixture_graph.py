"""The fixture graph: what the index reads of each fixture, which definition pytest gives a test
(nearest first), and everything a test sets up (its closure), on small projects in tmp dirs."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_run import write

from async_test_lint.knowledge import plugin_facts
from async_test_lint.knowledge.plugin_facts import FixtureInfo
from async_test_lint.project import index as project
from async_test_lint.project.index import UnknownFixture
from async_test_lint.semantics.fixtures import FixtureResolver


def make_project(root: Path, files: dict[str, str]) -> project.ProjectIndex:
    write(root / "pyproject.toml", "[project]\nname = 'proj'\n")
    for name, text in files.items():
        write(root / name, text)
    return project.build_index(root, use_cache=False)


def resolver(
    index: project.ProjectIndex, path: str, class_name: str | None = None
) -> FixtureResolver:
    found = FixtureResolver.for_file(index, index.root / path, class_name)
    assert found is not None
    return found


def resolved(
    index: project.ProjectIndex, path: str, name: str, class_name: str | None = None
) -> FixtureInfo:
    found = resolver(index, path, class_name).resolve_fixture(name)
    assert isinstance(found, FixtureInfo), found
    return found


# --- what the index reads of one fixture ---------------------------------------------------------

EVERY_FIELD = """\
import pytest
import pytest_asyncio
from pytest import fixture
from pytest_asyncio import fixture as async_fixture

from app import Box, Client


@pytest.fixture
def plain():
    return Box()


@pytest.fixture(scope="session", autouse=True, params=[1, "a", (2, 3)], name="renamed")
def _impl(request, tmp_path, *, flag, opt=None):
    yield Box()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def agen(plain):
    yield Client()


@async_fixture
async def coro() -> Client:
    return Client()


@fixture(params=make_params())
def from_import(a, /, b, c=1):
    return None


@pytest.fixture(scope=pick_scope, loop_scope=LOOP)
def dynamic():
    return None


def _mocker(pytestconfig):
    yield Box()


mocker = pytest.fixture(scope="class")(_mocker)
bare = pytest.fixture(_mocker)
factory = make_fixture()
"""


@pytest.fixture
def every_field(tmp_path: Path) -> dict[str, FixtureInfo]:
    index = make_project(
        tmp_path, {"tests/conftest.py": EVERY_FIELD, "tests/test_a.py": ""}
    )
    (conftest,) = index.conftest_modules(tmp_path / "tests" / "test_a.py")
    assert conftest is not None
    return conftest.fixtures


def test_a_plain_fixture(every_field: dict[str, FixtureInfo]) -> None:
    assert every_field["plain"] == FixtureInfo(
        "plain", "conftest.plain", "pytest.fixture", type="app.Box", lineno=10
    )


def test_every_argument_of_pytest_fixture(every_field: dict[str, FixtureInfo]) -> None:
    fixture = every_field["renamed"]

    assert "_impl" not in every_field
    assert (fixture.name, fixture.qualified_name) == ("renamed", "conftest._impl")
    assert (fixture.scope, fixture.autouse, fixture.has_params) == (
        "session",
        True,
        True,
    )
    assert fixture.params == (1, "a", (2, 3))
    assert (fixture.is_async, fixture.is_generator, fixture.type) == (
        False,
        True,
        "app.Box",
    )
    # Keyword-only parameters without a default are requested too; `request` is a fixture.
    assert fixture.requests == ("request", "tmp_path", "flag")


def test_pytest_asyncio_fixtures(every_field: dict[str, FixtureInfo]) -> None:
    agen, coro = every_field["agen"], every_field["coro"]

    assert (agen.decorator, agen.is_async, agen.is_generator) == (
        "pytest_asyncio.fixture",
        True,
        True,
    )
    assert (agen.scope, agen.loop_scope, agen.requests, agen.type) == (
        "module",
        "module",
        ("plain",),
        "app.Client",
    )
    # `from pytest_asyncio import fixture as async_fixture`, bare; its type from the annotation.
    assert (coro.decorator, coro.is_async, coro.is_generator) == (
        "pytest_asyncio.fixture",
        True,
        False,
    )
    assert (coro.scope, coro.loop_scope, coro.type) == ("function", None, "app.Client")


def test_arguments_that_are_not_literals(every_field: dict[str, FixtureInfo]) -> None:
    from_import, dynamic = every_field["from_import"], every_field["dynamic"]

    assert from_import.decorator == "pytest.fixture"  # `from pytest import fixture`
    assert (from_import.has_params, from_import.params) == (True, None)
    # Positional-only parameters and those with defaults are not requested.
    assert from_import.requests == ("b",)
    assert (dynamic.scope, dynamic.loop_scope) == (
        plugin_facts.NOT_LITERAL,
        plugin_facts.NOT_LITERAL,
    )
    assert (dynamic.has_params, dynamic.autouse) == (False, False)


def test_fixtures_made_by_assignment(every_field: dict[str, FixtureInfo]) -> None:
    mocker, bare, factory = (
        every_field["mocker"],
        every_field["bare"],
        every_field["factory"],
    )

    # pytest-mock's own shape: `mocker = pytest.fixture(scope=...)(_mocker)` registers `mocker`.
    assert (mocker.qualified_name, mocker.scope, mocker.is_generator) == (
        "conftest._mocker",
        "class",
        True,
    )
    assert (mocker.requests, mocker.type) == (("pytestconfig",), "app.Box")
    assert (bare.name, bare.scope) == ("bare", "function")
    assert project.is_opaque(factory) and not project.is_opaque(bare)


# --- resolution: pytest's order of visibility ----------------------------------------------------

QUEUE_Q = "import asyncio\nimport pytest\n\n\n@pytest.fixture\ndef q():\n    return asyncio.Queue()\n"
BOX_Q = "import pytest\n\n\nclass Box:\n    pass\n\n\n@pytest.fixture\ndef q():\n    return Box()\n"


def test_the_nearest_definition_wins(tmp_path: Path) -> None:
    index = make_project(
        tmp_path,
        {
            "tests/conftest.py": QUEUE_Q,
            "tests/a/conftest.py": BOX_Q,
            "tests/a/test_a.py": "",
            "tests/a/test_own.py": BOX_Q.replace("Box()", "Own()"),
            "tests/b/test_b.py": "",
            "tests/test_top.py": "",
        },
    )

    assert resolved(index, "tests/a/test_a.py", "q").type == "tests.a.conftest.Box"
    assert resolved(index, "tests/a/test_own.py", "q").type == "test_own.Own"
    # A sibling directory's conftest.py is not visible.
    assert resolved(index, "tests/b/test_b.py", "q").type == "asyncio.Queue"
    assert resolved(index, "tests/test_top.py", "q").type == "asyncio.Queue"
    assert resolver(index, "tests/test_top.py").resolve_fixture("nothing") is None


def test_what_cannot_be_read_shadows_farther_definitions(tmp_path: Path) -> None:
    index = make_project(
        tmp_path,
        {
            "tests/conftest.py": QUEUE_Q,
            "tests/a/conftest.py": "def broken(:\n",
            "tests/a/test_a.py": "",
            "tests/b/test_b.py": "q = make_fixture()\n",
            "tests/c/test_c.py": "from elsewhere import *\n",
            "tests/d/conftest.py": "pytest_plugins = ['someone.elses_plugin']\n",
            "tests/d/test_d.py": "",
        },
    )

    for path in ("tests/a/test_a.py", "tests/b/test_b.py", "tests/c/test_c.py"):
        assert resolver(index, path).resolve_fixture("q") == UnknownFixture("q"), path
    # A plugin module outside the project may define any fixture the project does not.
    assert resolver(index, "tests/d/test_d.py").resolve_fixture(
        "anything"
    ) == UnknownFixture("anything")
    assert resolved(index, "tests/d/test_d.py", "q").type == "asyncio.Queue"


def test_a_name_override(tmp_path: Path) -> None:
    index = make_project(
        tmp_path,
        {
            "tests/conftest.py": "import pytest\n\n\n@pytest.fixture(name='db')\ndef _db_fixture():\n    return 1\n"
        },
    )
    place = resolver(index, "tests/conftest.py")

    assert place.resolve_fixture("_db_fixture") is None
    assert (
        resolved(index, "tests/conftest.py", "db").qualified_name
        == "conftest._db_fixture"
    )


CLASS_BASE = """\
import pytest


class Base:
    @pytest.fixture
    def conn(self):
        return Connection()

    @pytest.fixture(autouse=True)
    def _reset(self, conn):
        yield


class Connection:
    pass
"""

CLASS_TESTS = """\
import pytest

from helpers.base import Base


@pytest.fixture
def conn():
    return None


@pytest.fixture
def shared():
    return None


class TestOwn(Base):
    @pytest.fixture
    def shared(self, shared, conn):
        return shared

    @pytest.fixture
    @staticmethod
    def static(conn):
        return conn


class TestPlain:
    pass


class TestOpaque(make_base()):
    pass
"""


def test_class_fixtures_and_their_bases(tmp_path: Path) -> None:
    index = make_project(
        tmp_path,
        {
            "tests/helpers/__init__.py": "",
            "tests/helpers/base.py": CLASS_BASE,
            "tests/test_c.py": CLASS_TESTS,
        },
    )
    own = resolver(index, "tests/test_c.py", "TestOwn")

    conn = own.resolve_fixture("conn")
    assert isinstance(conn, FixtureInfo) and conn.type == "helpers.base.Connection"
    shared = own.resolve_fixture("shared")
    assert (
        isinstance(shared, FixtureInfo)
        and shared.qualified_name == "test_c.TestOwn.shared"
    )
    assert shared.requests == ("shared", "conn")  # `self` is not requested
    static = own.resolve_fixture("static")
    assert isinstance(static, FixtureInfo) and static.requests == (
        "conn",
    )  # a staticmethod has no self
    # The class's fixture requesting its own name gets the module's.
    beyond = own.resolve_fixture("shared", requester=shared)
    assert isinstance(beyond, FixtureInfo) and beyond.qualified_name == "test_c.shared"
    # Outside the class, the module's fixtures.
    assert (
        resolved(index, "tests/test_c.py", "conn", "TestPlain").qualified_name
        == "test_c.conn"
    )
    assert resolver(index, "tests/test_c.py", "TestOpaque").resolve_fixture(
        "conn"
    ) == UnknownFixture("conn")


def test_class_autouse_fixtures_are_in_the_closure(tmp_path: Path) -> None:
    index = make_project(
        tmp_path,
        {
            "tests/helpers/__init__.py": "",
            "tests/helpers/base.py": CLASS_BASE,
            "tests/test_c.py": CLASS_TESTS,
        },
    )

    closure = resolver(index, "tests/test_c.py", "TestOwn").fixture_closure([])
    plain = resolver(index, "tests/test_c.py", "TestPlain").fixture_closure([])
    opaque = resolver(index, "tests/test_c.py", "TestOpaque").fixture_closure([])

    assert [f.qualified_name for f in closure.fixtures] == [
        "helpers.base.Base._reset",
        "helpers.base.Base.conn",
    ]
    assert closure.complete
    assert plain.fixtures == () and plain.complete
    assert not opaque.autouse_known and not opaque.complete


# --- `def q(q)`: a fixture requesting the definition it overrides ----------------------------------

OVERRIDES = {
    "tests/conftest.py": QUEUE_Q,
    "tests/a/conftest.py": "import pytest\n\n\n@pytest.fixture\ndef q(q):\n    return Middle(q)\n",
    "tests/a/test_a.py": "import pytest\n\n\n@pytest.fixture\ndef q(q, request):\n    return Outer(q)\n",
}


def test_an_override_requests_the_next_definition(tmp_path: Path) -> None:
    index = make_project(tmp_path, OVERRIDES)
    place = resolver(index, "tests/a/test_a.py")

    outer = place.resolve_fixture("q")
    assert isinstance(outer, FixtureInfo) and outer.type == "test_a.Outer"
    middle = place.resolve_fixture("q", requester=outer)
    assert isinstance(middle, FixtureInfo) and middle.type == "tests.a.conftest.Middle"
    inner = place.resolve_fixture("q", requester=middle)
    assert isinstance(inner, FixtureInfo) and inner.type == "asyncio.Queue"
    assert place.resolve_fixture("q", requester=inner) is None


def test_the_closure_holds_every_overridden_definition(tmp_path: Path) -> None:
    index = make_project(tmp_path, OVERRIDES)

    closure = resolver(index, "tests/a/test_a.py").fixture_closure(["q"])

    assert [(f.name, f.type) for f in closure.fixtures] == [
        ("q", "test_a.Outer"),
        ("q", "tests.a.conftest.Middle"),
        ("request", "pytest.FixtureRequest"),
        ("q", "asyncio.Queue"),
    ]
    received = closure.received["q"]
    assert isinstance(received, FixtureInfo) and received.type == "test_a.Outer"
    assert closure.complete


# --- closures: transitive requests, autouse, cycles ------------------------------------------------

ROOT_CONFTEST = """\
import pytest


@pytest.fixture(autouse=True, scope="session")
def settings():
    return None


@pytest.fixture
def db(settings):
    yield None


@pytest.fixture
def client(db, tmp_path):
    return None
"""

A_CONFTEST = """\
import pytest


@pytest.fixture(autouse=True)
def clean(db):
    yield


@pytest.fixture
def ping(pong):
    return None


@pytest.fixture
def pong(ping):
    return None


@pytest.fixture
def selfish(selfish):
    return None
"""

B_CONFTEST = "import pytest\n\n\n@pytest.fixture(autouse=True)\ndef sibling():\n    return None\n"

TEST_MODULE = """\
import pytest


@pytest.fixture(autouse=True)
def local():
    return None


@pytest.fixture
def db():
    return 'the module overrides the conftest db for every fixture of the closure'
"""


@pytest.fixture
def closure_project(tmp_path: Path) -> project.ProjectIndex:
    return make_project(
        tmp_path,
        {
            "tests/conftest.py": ROOT_CONFTEST,
            "tests/a/conftest.py": A_CONFTEST,
            "tests/a/test_a.py": TEST_MODULE,
            "tests/b/conftest.py": B_CONFTEST,
            "tests/b/test_b.py": "",
        },
    )


def test_autouse_fixtures_of_every_visible_level(
    closure_project: project.ProjectIndex,
) -> None:
    closure = resolver(closure_project, "tests/a/test_a.py").fixture_closure([])

    # Farthest level first, as pytest orders them; the sibling directory's is not visible.
    assert [f.name for f in closure.fixtures] == ["settings", "clean", "local", "db"]
    # `clean` (tests/a/conftest.py) requests `db`: the test module's, seen from the test.
    assert closure.received["db"] == resolved(
        closure_project, "tests/a/test_a.py", "db"
    )
    assert (
        resolved(closure_project, "tests/a/test_a.py", "db").qualified_name
        == "test_a.db"
    )
    assert closure.complete


def test_a_closure_follows_requests_transitively(
    closure_project: project.ProjectIndex,
) -> None:
    closure = resolver(closure_project, "tests/b/test_b.py").fixture_closure(["client"])

    assert [f.name for f in closure.fixtures] == [
        "settings",
        "sibling",
        "client",
        "db",
        "tmp_path",
        "request",
        "tmp_path_factory",
    ]
    assert closure.names == {
        "settings",
        "sibling",
        "client",
        "db",
        "tmp_path",
        "request",
        "tmp_path_factory",
    }
    assert closure.complete


def test_cycles_end_the_closure(closure_project: project.ProjectIndex) -> None:
    place = resolver(closure_project, "tests/a/test_a.py")

    cycle = place.fixture_closure(["ping"])
    selfish = place.fixture_closure(["selfish"])

    assert [f.name for f in cycle.fixtures if f.name in ("ping", "pong")] == [
        "ping",
        "pong",
    ]
    assert cycle.complete
    # `def selfish(selfish)` with nothing beyond it: pytest finds no `selfish` to give it.
    assert selfish.not_found == ("selfish",) and not selfish.complete


def test_the_closure_of_a_fixture(closure_project: project.ProjectIndex) -> None:
    place = resolver(closure_project, "tests/a/test_a.py")
    clean = place.resolve_fixture("clean")
    assert isinstance(clean, FixtureInfo)

    closure = place.fixture_closure(clean.requests, requester=clean)

    assert "db" in closure.names and closure.received["db"] == place.resolve_fixture(
        "db"
    )


def test_unknown_fixtures_make_a_closure_incomplete(tmp_path: Path) -> None:
    index = make_project(
        tmp_path,
        {
            "tests/conftest.py": "import pytest\n\n\n@pytest.fixture\ndef app(factory_made, nowhere):\n    return None\n",
            "tests/test_a.py": "factory_made = make_fixture()\n",
            "tests/b/test_b.py": "from elsewhere import *\n",
        },
    )

    closure = resolver(index, "tests/test_a.py").fixture_closure(["app"])
    star = resolver(index, "tests/b/test_b.py").fixture_closure([])

    assert (closure.unknown, closure.not_found) == (("factory_made",), ("nowhere",))
    assert isinstance(closure.received["factory_made"], UnknownFixture)
    assert not closure.complete
    assert not star.autouse_known


def test_autouse_fixtures_of_pytest_plugins_modules(tmp_path: Path) -> None:
    index = make_project(
        tmp_path,
        {
            "tests/fixtures/__init__.py": "",
            "tests/fixtures/auto.py": B_CONFTEST.replace("sibling", "from_plugin"),
            "tests/conftest.py": "pytest_plugins = ['fixtures.auto', 'pytest_mock']\n",
            "tests/test_a.py": "",
        },
    )

    closure = resolver(index, "tests/test_a.py").fixture_closure([])

    assert [f.name for f in closure.fixtures] == ["from_plugin"]
    assert closure.complete


# --- plugin fixtures and pytest's own -----------------------------------------------------------


def test_plugin_fixtures(tmp_path: Path) -> None:
    index = make_project(tmp_path, {"tests/test_a.py": ""})
    place = resolver(index, "tests/test_a.py")

    def get(name: str) -> FixtureInfo:
        found = place.resolve_fixture(name)
        assert isinstance(found, FixtureInfo), name
        return found

    assert (get("mocker").type, get("mocker").is_generator) == (
        "pytest_mock.MockerFixture",
        True,
    )
    assert get("module_mocker").scope == "module"
    event_loop = get("event_loop")
    assert (event_loop.package, event_loop.removed_in, event_loop.requests) == (
        "pytest-asyncio",
        "1.0",
        ("request",),
    )
    assert (get("event_loop_policy").scope, get("event_loop_policy").autouse) == (
        "session",
        True,
    )
    assert get("unused_tcp_port_factory").scope == "session"
    # pytest-aiohttp (its entry point) by default: a pytest_asyncio async generator fixture.
    client = get("aiohttp_client")
    assert (client.decorator, client.is_async, client.is_generator) == (
        "pytest_asyncio.fixture",
        True,
        True,
    )
    assert client.requests == ("aiohttp_client_cls",)
    backend = get("anyio_backend")
    assert (backend.scope, backend.has_params, backend.params) == ("module", True, None)
    assert get("free_tcp_port").requests == ("free_tcp_port_factory",)


def test_a_plugin_named_by_pytest_plugins_gives_its_own_definition(
    tmp_path: Path,
) -> None:
    index = make_project(
        tmp_path,
        {
            "tests/conftest.py": "pytest_plugins = 'aiohttp.pytest_plugin'\n",
            "tests/test_a.py": "",
        },
    )
    place = resolver(index, "tests/test_a.py")

    client = place.resolve_fixture("aiohttp_client")
    closure = place.fixture_closure(["aiohttp_client"])

    assert isinstance(client, FixtureInfo)
    assert (client.qualified_name, client.is_async, client.requests) == (
        "aiohttp.pytest_plugin.aiohttp_client",
        False,
        ("loop",),
    )
    assert [f.name for f in closure.fixtures] == [
        "aiohttp_client",
        "loop",
        "loop_factory",
        "fast",
        "loop_debug",
        "request",
    ]
    assert closure.complete


def test_a_project_fixture_shadows_a_plugin_fixture(tmp_path: Path) -> None:
    index = make_project(
        tmp_path,
        {
            "tests/conftest.py": "import pytest\n\n\n@pytest.fixture\ndef mocker():\n    return None\n"
        },
    )

    assert resolved(index, "tests/conftest.py", "mocker").package is None


PYTEST_BUILTINS = [
    "request", "pytestconfig", "cache", "capsys", "capteesys", "capsysbinary", "capfd", "capfdbinary",
    "caplog", "doctest_namespace", "monkeypatch", "recwarn", "record_property", "record_xml_attribute",
    "record_testsuite_property", "subtests", "tmp_path", "tmp_path_factory", "tmpdir", "tmpdir_factory",
    "pytester", "testdir",
]  # fmt: skip


@pytest.mark.parametrize("name", PYTEST_BUILTINS)
def test_pytest_builtins_are_never_unknown(tmp_path: Path, name: str) -> None:
    index = make_project(tmp_path, {"tests/test_a.py": ""})

    closure = resolver(index, "tests/test_a.py").fixture_closure([name])

    assert resolved(index, "tests/test_a.py", name).package == "pytest"
    assert closure.complete, closure


def test_every_fixture_a_plugin_fixture_requests_is_in_the_table() -> None:
    table = plugin_facts.facts().fixtures
    for name, variants in table.items():
        for variant in variants:
            assert variant.info.name == name
            assert set(variant.info.requests) <= set(table), (name, variant.plugins)


# --- the disk cache -----------------------------------------------------------------------------


def test_fixtures_survive_the_disk_cache(
    closure_project: project.ProjectIndex,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ASYNC_TEST_LINT_CACHE_DIR", str(tmp_path / "atl-cache"))
    monkeypatch.delenv("ASYNC_TEST_LINT_NO_CACHE", raising=False)
    root = closure_project.root
    write(
        root / "tests" / "conftest.py",
        ROOT_CONFTEST + "\n\n" + EVERY_FIELD.replace("from app", "from tests"),
    )
    first = project.build_index(root)

    def no_reading(*args: object) -> None:
        raise AssertionError("read again instead of from the cache")

    monkeypatch.setattr(project, "read_module", no_reading)
    second = project.build_index(root)

    assert second.modules.keys() == first.modules.keys()
    for name, module in first.modules.items():
        assert second.modules[name].fixtures == module.fixtures, name
    test_a = root / "tests" / "a" / "test_a.py"
    assert resolver(second, "tests/a/test_a.py").fixture_closure([]) == resolver(
        first, "tests/a/test_a.py"
    ).fixture_closure([])
    renamed = resolver(second, "tests/a/test_a.py").resolve_fixture("renamed")
    assert isinstance(renamed, FixtureInfo) and renamed.params == (1, "a", (2, 3))
    assert second.conftest_fixture(test_a, "db") == project.FixtureFact(None)
