"""Cross-file facts reach every front-end: a test file linted alone still knows what the project defines.

`from app import charge` in tests/test_billing.py is a coroutine function only because
src/app/billing.py says so and src/app/__init__.py re-exports it. The CLI given just the test file,
flake8 (one file at a time, in parallel workers too) and the pre-commit hook (only the staged file)
must all read that from the whole project's index, built once per process and cached on disk.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from cli_run import run_cli, write
from fixture_files import annotations
from flake8_run import run_flake8
from project_copy import git

from async_test_lint.flake8_plugin import Plugin
from async_test_lint.project import index as project
from async_test_lint.settings.config import Settings

if TYPE_CHECKING:
    from precommit_support import PreCommitHooks

pytest_plugins = ["precommit_support"]

Place = tuple[int, int, str]  # line, column (1-based), code

PYPROJECT = """\
[project]
name = "app"
version = "0"

[tool.pytest.ini_options]
testpaths = ["tests"]

[tool.async-test-lint]
"""

PACKAGE_INIT = """\
from .billing import charge, Ledger

__all__ = ["charge", "Ledger"]
"""

BILLING = """\
async def charge(amount):
    return amount


class Ledger:
    async def flush(self):
        return None

    def lookup(self, key=None):
        return key


async def statements(count):
    for number in range(count):
        yield number
"""

# BILLING with `charge` turned into a plain function.
SYNC_BILLING = BILLING.replace("async def charge(", "def charge(")

CORRECT_USES = """\
from app import Ledger, charge
from app.billing import statements


async def test_correct_uses():
    await charge(1)
    assert await charge(1) == 1
    await Ledger().flush()
    Ledger().lookup()
    assert Ledger().lookup("key") == "key"
    async for number in statements(3):
        assert number >= 0
"""

# The `# ATL101:5` comments are the expected findings (line, column), as in fixtures_code/.
WRONG_USES = (
    CORRECT_USES
    + '''

async def test_charge_is_dropped():
    charge(1)  # ATL101:5


async def test_charge_is_asserted():
    assert charge(1)  # ATL103:12


async def test_flush_is_dropped():
    Ledger().flush()  # ATL101:5


async def test_statements_are_dropped():
    statements(3)  # ATL105:5


def test_sync_test_calls_charge():
    charge(1)  # ATL108:5
'''
)

TEST_FILE = "tests/test_billing.py"


EXPECTED: list[Place] = [(e.line, e.column, e.code) for e in annotations(WRONG_USES.splitlines())]
# What is left once `charge` is a plain function: the findings on other lines.
EXPECTED_WITH_SYNC_CHARGE = [place for place in EXPECTED if "charge(" not in WRONG_USES.splitlines()[place[0] - 1]]


def make_project(root: Path, tests: str = WRONG_USES) -> Path:
    write(root / "pyproject.toml", PYPROJECT)
    write(root / "src" / "app" / "__init__.py", PACKAGE_INIT)
    write(root / "src" / "app" / "billing.py", BILLING)
    write(root / TEST_FILE, tests)
    return root


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The index cache of this test: every subprocess inherits it, so the user's cache is untouched."""
    directory = tmp_path / "atl-cache"
    monkeypatch.setenv("ASYNC_TEST_LINT_CACHE_DIR", str(directory))
    monkeypatch.delenv("ASYNC_TEST_LINT_NO_CACHE", raising=False)
    return directory


@pytest.fixture
def app(tmp_path: Path) -> Path:
    return make_project(tmp_path / "app")


def cli_places(cwd: Path, *args: str | Path) -> dict[str, list[Place]]:
    """`async-test-lint check --format json ARGS` run in cwd: findings by posix path."""
    result = run_cli("check", "--format", "json", *args, cwd=cwd)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    found: dict[str, list[Place]] = {}
    for finding in json.loads(result.stdout):
        found.setdefault(Path(finding["path"]).as_posix(), []).append(
            (finding["line"], finding["column"], finding["code"])
        )
    return found


def flake8_places(cwd: Path, *args: str) -> dict[str, list[Place]]:
    run = run_flake8(cwd, *args)
    assert run.returncode in (0, 1), run.stdout + run.stderr
    found: dict[str, list[Place]] = {}
    for finding in run.findings:
        found.setdefault(Path(finding.path).as_posix(), []).append((finding.line, finding.column, finding.code))
    return found


# --- the CLI, given only the test file ----------------------------------------------------------


@pytest.mark.parametrize(
    ("cwd", "argument", "shown"),
    [
        pytest.param(".", TEST_FILE, TEST_FILE, id="from-the-root"),
        pytest.param("tests", "test_billing.py", "test_billing.py", id="from-the-tests-directory"),
        pytest.param("..", "{root}/" + TEST_FILE, "{root}/" + TEST_FILE, id="absolute-from-outside"),
    ],
)
def test_cli_on_the_test_file_alone_resolves_names_from_the_project(
    app: Path, cwd: str, argument: str, shown: str
) -> None:
    root = app.resolve().as_posix()

    found = cli_places((app / cwd).resolve(), argument.format(root=root))

    assert found == {shown.format(root=root): EXPECTED}


def test_cli_on_the_test_file_alone_agrees_with_the_whole_tree(app: Path) -> None:
    alone = cli_places(app, TEST_FILE)
    tree = cli_places(app, ".")

    assert alone[TEST_FILE] == EXPECTED
    assert tree == alone


# --- flake8 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "arguments",
    [
        pytest.param([TEST_FILE], id="one-file"),
        pytest.param(["--isolated", TEST_FILE], id="isolated"),
        pytest.param(["--jobs", "2", "."], id="tree-in-two-workers"),
    ],
)
def test_flake8_reports_what_the_cli_reports(app: Path, arguments: list[str]) -> None:
    *options, path = arguments
    # `--select ATL1` enables the opt-in rules of the family too: the CLI is given the same selection.
    cli = cli_places(app, "--select", "ATL1", path)

    flake8 = flake8_places(app, "--select", "ATL1", *options, path)

    # flake8 names the files it found under `.` as `./tests/...`.
    assert {name.removeprefix("./"): places for name, places in flake8.items()} == cli
    assert cli == {TEST_FILE: EXPECTED}


# --- the index: once per process, cached on disk by content -------------------------------------


@pytest.fixture
def fresh_indexes() -> Iterator[None]:
    project.forget_indexes()
    yield
    project.forget_indexes()


@pytest.fixture
def default_plugin() -> Iterator[None]:
    Plugin.configure(Settings(), ())
    yield
    Plugin.configure(Settings(), ())


def counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[object]:
    """Replace `async_test_lint.project.index.<name>` by a wrapper recording each call's first argument."""
    calls: list[object] = []
    original = getattr(project, name)

    def wrapper(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(project, name, wrapper)
    return calls


def plugin_places(filename: str, text: str) -> list[Place]:
    plugin = Plugin(ast.parse(text), filename, text.splitlines(keepends=True))
    # flake8 adds 1 to the column a plugin yields.
    return [(line, column + 1, message.split()[0]) for line, column, message, _ in plugin.run()]


def test_flake8_plugin_builds_the_index_once_for_many_files(
    app: Path, monkeypatch: pytest.MonkeyPatch, fresh_indexes: None, default_plugin: None
) -> None:
    for number in range(1, 5):
        write(app / "tests" / f"test_billing_{number}.py", WRONG_USES)
    builds = counting(monkeypatch, "build_index")
    monkeypatch.chdir(app)
    # The spellings flake8 uses (`./` when walking `.`), an absolute path and a detour.
    filenames = [
        TEST_FILE,
        "./tests/test_billing_1.py",
        str(app / "tests" / "test_billing_2.py"),
        "tests/../tests/test_billing_3.py",
        "tests/test_billing_4.py",
    ]

    found = {filename: plugin_places(filename, WRONG_USES) for filename in filenames}

    assert found == {filename: EXPECTED for filename in filenames}
    assert builds == [app.resolve()]


def test_index_is_cached_on_disk_and_a_changed_module_is_read_again(
    app: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli_places(app, TEST_FILE) == {TEST_FILE: EXPECTED}
    assert len(list(cache_dir.glob("index-*.pickle"))) == 1, list(cache_dir.iterdir())
    # The cache the CLI wrote serves this process: no module is parsed again.
    reads = counting(monkeypatch, "read_module")
    assert project.build_index(app).lookup("app.charge").kind == "coroutine"
    assert reads == []

    write(app / "src" / "app" / "billing.py", SYNC_BILLING)
    after = cli_places(app, TEST_FILE)

    # A stale cache would still call `charge` a coroutine function.
    assert after == {TEST_FILE: EXPECTED_WITH_SYNC_CHARGE}
    assert project.build_index(app).lookup("app.charge").kind == "sync"
    assert reads == [], "the second run should have stored the changed module in the cache"


def test_without_the_cache_nothing_is_written(app: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASYNC_TEST_LINT_NO_CACHE", "1")

    assert cli_places(app, TEST_FILE) == {TEST_FILE: EXPECTED}
    assert not cache_dir.exists() or not any(cache_dir.iterdir())


# --- pre-commit: only the staged file is passed --------------------------------------------------

NEW_TEST = """

async def test_charges_twice():
    await charge(1)
    charge(2)
"""


def test_precommit_hook_on_the_staged_file_uses_the_whole_project(
    tmp_path: Path, pre_commit_hooks: PreCommitHooks
) -> None:
    repo = make_project(tmp_path / "repo", tests=CORRECT_USES)
    # Committed with findings of its own: were it linted, it would show up below.
    write(repo / "tests" / "test_legacy.py", WRONG_USES)
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "the project", cwd=repo)
    write(repo / TEST_FILE, CORRECT_USES + NEW_TEST)
    git("add", TEST_FILE, cwd=repo)
    line = (CORRECT_USES + NEW_TEST).splitlines().index("    charge(2)") + 1

    check = pre_commit_hooks.run("async-test-lint", repo, all_files=False)

    output = check.stdout + check.stderr
    assert check.returncode == 1, output
    assert f"{TEST_FILE}:{line}:5: ATL101 " in output
    assert "Found 1 error." in output
    assert "test_legacy.py" not in output


# --- fixtures: each test sees the definitions pytest gives it ------------------------------------
#
# A fixture is looked up in the test's module, then in the conftest.py files from the test's own
# directory up to the root, nearest first. A nearer definition shadows a farther one even when it
# gives no type fact; a sibling directory's conftest.py is never visible.

QUEUE_FIXTURE = """\
import asyncio

import pytest


@pytest.fixture
def q():
    return asyncio.Queue()
"""

PLAIN_FIXTURE = """\
import pytest


class Box:
    def put(self, item):
        self.item = item


@pytest.fixture
def q():
    return Box()
"""

# A nearer `q` whose type cannot be read: it still shadows the farther Queue.
UNTYPED_FIXTURE = """\
import pytest


@pytest.fixture
def q(request):
    return request.param
"""

USES_Q = """\
async def test_put(q):
    q.put(1)
"""

USES_UNKNOWN = """\
async def test_put(queue):
    queue.put(1)
"""

PUT_FINDING = [(2, 5, "ATL101")]


def fixture_project(root: Path, files: dict[str, str]) -> Path:
    write(root / "pyproject.toml", PYPROJECT)
    for name, text in files.items():
        write(root / name, text)
    return root


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {
                "tests/a/conftest.py": PLAIN_FIXTURE,
                "tests/a/test_a.py": USES_Q,
                "tests/b/conftest.py": QUEUE_FIXTURE,
                "tests/b/test_b.py": USES_Q,
            },
            {"tests/b/test_b.py": PUT_FINDING},
            id="two-conftests-of-the-same-name",
        ),
        pytest.param(
            {
                "tests/conftest.py": QUEUE_FIXTURE,
                "tests/a/conftest.py": PLAIN_FIXTURE,
                "tests/a/test_a.py": USES_Q,
                "tests/test_top.py": USES_Q,
            },
            {"tests/test_top.py": PUT_FINDING},
            id="nearest-conftest-first",
        ),
        pytest.param(
            {
                "tests/conftest.py": QUEUE_FIXTURE,
                "tests/a/conftest.py": UNTYPED_FIXTURE,
                "tests/a/test_a.py": USES_Q,
            },
            {},
            id="nearer-definition-without-a-fact-shadows",
        ),
        pytest.param(
            {
                "tests/conftest.py": QUEUE_FIXTURE,
                "tests/a/test_a.py": UNTYPED_FIXTURE + "\n\n" + USES_Q,
                "tests/a/test_b.py": USES_Q,
            },
            {"tests/a/test_b.py": PUT_FINDING},
            id="module-level-override",
        ),
        pytest.param(
            {
                "tests/a/conftest.py": QUEUE_FIXTURE,
                "tests/b/test_b.py": USES_Q,
                "tests/a/test_a.py": USES_Q,
            },
            {"tests/a/test_a.py": PUT_FINDING},
            id="sibling-conftest-invisible",
        ),
        pytest.param(
            {
                "conftest.py": QUEUE_FIXTURE,
                "tests/unit/deep/er/test_deep.py": USES_Q,
                "tests/unit/deep/er/test_unknown.py": USES_UNKNOWN,
            },
            {"tests/unit/deep/er/test_deep.py": PUT_FINDING},
            id="rootdir-conftest-visible-from-deep-directories",
        ),
        pytest.param(
            {
                "tests/conftest.py": QUEUE_FIXTURE,
                "tests/test_unknown.py": USES_UNKNOWN,
            },
            {},
            id="parameter-that-is-no-fixture",
        ),
    ],
)
def test_each_test_sees_the_fixtures_pytest_gives_it(
    tmp_path: Path, files: dict[str, str], expected: dict[str, list[Place]]
) -> None:
    root = fixture_project(tmp_path / "proj", files)

    tree = cli_places(root, ".")
    alone = {}
    for name in files:
        if Path(name).name.startswith("test_"):
            alone.update(cli_places(root, name))

    assert tree == expected
    assert alone == expected


BOX_WITH_ASYNC_PUT = PLAIN_FIXTURE.replace("    def put(", "    async def put(")


def test_classes_of_two_conftests_are_not_mixed_up(tmp_path: Path) -> None:
    # Both conftest.py files import as `conftest`: each fixture's `Box` must stay its own.
    files = {
        "tests/a/conftest.py": PLAIN_FIXTURE,
        "tests/a/test_a.py": USES_Q,
        "tests/b/conftest.py": BOX_WITH_ASYNC_PUT,
        "tests/b/test_b.py": USES_Q,
    }
    for order in (files, dict(reversed(files.items()))):
        root = fixture_project(tmp_path / f"proj-{len(list(tmp_path.iterdir()))}", order)

        assert cli_places(root, ".") == {"tests/b/test_b.py": PUT_FINDING}


def test_flake8_sees_the_nearest_conftest(tmp_path: Path) -> None:
    root = fixture_project(
        tmp_path / "proj",
        {
            "tests/a/conftest.py": PLAIN_FIXTURE,
            "tests/a/test_a.py": USES_Q,
            "tests/b/conftest.py": QUEUE_FIXTURE,
            "tests/b/test_b.py": USES_Q,
        },
    )

    found = flake8_places(root, "--select", "ATL1", "tests/a/test_a.py", "tests/b/test_b.py")

    assert found == {"tests/b/test_b.py": PUT_FINDING}


def test_fixture_lookup_survives_the_cache(tmp_path: Path, fresh_indexes: None) -> None:
    files = {
        "tests/a/conftest.py": PLAIN_FIXTURE,
        "tests/a/test_a.py": USES_Q,
        "tests/b/conftest.py": QUEUE_FIXTURE,
        "tests/b/test_b.py": USES_Q,
    }
    root = fixture_project(tmp_path / "proj", files)
    assert cli_places(root, ".") == {"tests/b/test_b.py": PUT_FINDING}

    # The second index comes from the cache the CLI wrote: it must still tell the files apart.
    index = project.build_index(root)
    a_test = root / "tests" / "a" / "test_a.py"
    b_test = root / "tests" / "b" / "test_b.py"
    assert index.conftest_fixture(a_test, "q") == project.FixtureFact("tests.a.conftest.Box")
    assert index.conftest_fixture(b_test, "q") == project.FixtureFact("asyncio.Queue")
    assert index.conftest_fixture(b_test, "queue") is None


# --- well-known plugin fixtures and test case attributes, through the project ---------------------

DROPS_LOOP_TASK = """\
async def work():
    pass


async def test_drops(loop):
    loop.create_task(work(), name="work")
"""

OWN_LOOP_FIXTURE = """\
import pytest


class Scheduler:
    def create_task(self, coro, name=None):
        coro.close()


@pytest.fixture
def loop():
    return Scheduler()
"""

AIOHTTP_BASE = """\
from aiohttp.test_utils import AioHTTPTestCase


class AppTestCase(AioHTTPTestCase):
    async def get_application(self):
        return None
"""

REBINDING_BASE = AIOHTTP_BASE + """
    async def asyncSetUp(self):
        await super().asyncSetUp()
        self.loop = None
"""

DROPS_SELF_LOOP_TASK = """\
from helpers.base import AppTestCase


async def work():
    pass


class TestApp(AppTestCase):
    async def test_drops(self):
        self.loop.create_task(work(), name="work")
"""

LOOP_FINDING = [(6, 5, "ATL402")]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param({"tests/test_a.py": DROPS_LOOP_TASK}, {"tests/test_a.py": LOOP_FINDING}, id="plugin-loop"),
        pytest.param(
            {"tests/conftest.py": OWN_LOOP_FIXTURE, "tests/test_a.py": DROPS_LOOP_TASK}, {}, id="conftest-shadows-plugin"
        ),
        pytest.param(
            {"tests/b/conftest.py": OWN_LOOP_FIXTURE, "tests/a/test_a.py": DROPS_LOOP_TASK},
            {"tests/a/test_a.py": LOOP_FINDING},
            id="sibling-conftest-does-not-shadow-plugin",
        ),
        pytest.param(
            {
                "tests/fixtures/loops.py": OWN_LOOP_FIXTURE,
                "tests/conftest.py": 'pytest_plugins = ["fixtures.loops"]\n',
                "tests/test_a.py": DROPS_LOOP_TASK,
            },
            {},
            id="pytest-plugins-module-shadows-plugin",
        ),
        pytest.param(
            {"tests/conftest.py": "pytest_plugins = ['aiohttp.pytest_plugin']\n", "tests/test_a.py": DROPS_LOOP_TASK},
            {"tests/test_a.py": LOOP_FINDING},
            id="pytest-plugins-naming-the-known-plugin",
        ),
        pytest.param(
            {
                "tests/conftest.py": 'pytest_plugins = ["aiohttp.pytest_plugin", "pytester"]\n',
                "tests/test_a.py": DROPS_LOOP_TASK,
            },
            {"tests/test_a.py": LOOP_FINDING},
            id="pytest-plugins-naming-pytester-too",  # aiohttp's own suite does this
        ),
        pytest.param(
            {"tests/conftest.py": "pytest_plugins = ['someone.elses_plugin']\n", "tests/test_a.py": DROPS_LOOP_TASK},
            {},
            id="pytest-plugins-naming-an-unknown-plugin",
        ),
        pytest.param(
            {"tests/helpers/__init__.py": "", "tests/helpers/base.py": AIOHTTP_BASE, "tests/test_a.py": DROPS_SELF_LOOP_TASK},
            {"tests/test_a.py": [(10, 9, "ATL402")]},
            id="aiohttp-test-case-through-a-project-base",
        ),
        pytest.param(
            {
                "tests/helpers/__init__.py": "",
                "tests/helpers/base.py": REBINDING_BASE,
                "tests/test_a.py": DROPS_SELF_LOOP_TASK,
            },
            {},
            id="project-base-rebinding-the-loop",
        ),
    ],
)
def test_plugin_facts_apply_only_where_nothing_of_the_project_shadows_them(
    tmp_path: Path, files: dict[str, str], expected: dict[str, list[Place]]
) -> None:
    root = fixture_project(tmp_path / "proj", files)

    assert cli_places(root, "--select", "ATL402", ".") == expected


def test_a_generator_fixture_annotated_iterator_gives_what_it_yields(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "",
        "tests/conftest.py": (
            "import asyncio\nfrom collections.abc import Iterator\n\nimport pytest\n\n\n"
            "@pytest.fixture\ndef loop() -> Iterator[asyncio.AbstractEventLoop]:\n"
            "    new = asyncio.new_event_loop()\n    yield new\n    new.close()\n"
        ),
        "tests/test_a.py": "async def work(): ...\n\n\ndef test_a(loop):\n    loop.create_task(work())\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    result = run_cli("check", "--select", "ATL402", ".", cwd=tmp_path)
    assert "tests/test_a.py:5:5: ATL402" in result.stdout, result.stdout + result.stderr
