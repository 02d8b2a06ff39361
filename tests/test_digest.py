"""The digest of the project facts a file's findings depend on."""

from __future__ import annotations

from pathlib import Path

from async_test_lint.project.digest import dependencies, facts_digest
from async_test_lint.project.index import build_index

FILES = {
    "pyproject.toml": "",
    "app/__init__.py": "",
    "app/billing.py": "from app.util import helper\n\n\nasync def charge(): ...\n",
    "app/util.py": "def helper(): ...\n",
    "app/unrelated.py": "def other(): ...\n",
    "tests/conftest.py": "import pytest\n\n\n@pytest.fixture\ndef q(): return 1\n",
    "tests/a/conftest.py": "",
    "tests/b/conftest.py": "",
    "tests/a/test_x.py": "from app.billing import charge\n\n\nasync def test_x(q):\n    charge()\n",
}


def make(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def digest(root: Path) -> str:
    index = build_index(root, use_cache=False)
    return facts_digest(index, root / "tests" / "a" / "test_x.py", [root / "pyproject.toml"])


def test_the_dependencies_are_imports_transitively_and_the_visible_conftests(tmp_path: Path) -> None:
    make(tmp_path, FILES)
    index = build_index(tmp_path, use_cache=False)
    found = {path.relative_to(tmp_path.resolve()).as_posix() for path in dependencies(index, tmp_path / "tests/a/test_x.py")}
    assert found == {"app/billing.py", "app/util.py", "tests/conftest.py", "tests/a/conftest.py"}


def test_an_edit_inside_the_closure_changes_the_digest_and_one_outside_does_not(tmp_path: Path) -> None:
    make(tmp_path, FILES)
    first = digest(tmp_path)
    assert digest(tmp_path) == first
    for outside in ("app/unrelated.py", "tests/b/conftest.py"):
        (tmp_path / outside).write_text("async def other(): ...\n")
        assert digest(tmp_path) == first, outside
    for inside in ("app/util.py", "tests/conftest.py", "pyproject.toml"):
        (tmp_path / inside).write_text((tmp_path / inside).read_text() + "\n# edited\n")
        changed = digest(tmp_path)
        assert changed != first, inside
        first = changed


def test_a_new_module_that_an_import_now_finds_changes_the_digest(tmp_path: Path) -> None:
    make(tmp_path, {**FILES, "tests/a/test_x.py": "from app.later import charge\n"})
    before = digest(tmp_path)
    (tmp_path / "app" / "later.py").write_text("async def charge(): ...\n")
    assert digest(tmp_path) != before
