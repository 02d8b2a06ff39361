"""The package's layers: no module imports from a layer above its own.

Imports made only for type checking (under `if TYPE_CHECKING:`) are not arrows at run time and are
left out: `model.rule` names `FileContext` in an annotation.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "async_test_lint"

# Bottom to top; a module may import from its own layer and the ones before it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("version", "model", "knowledge"),
    ("settings",),
    ("syntax",),
    ("project",),
    ("semantics",),
    ("rules",),
    ("engine",),
    ("cli", "flake8_plugin", "reporting", "__init__", "__main__"),
)
LAYER_OF = {part: index for index, parts in enumerate(LAYERS) for part in parts}


def top_part(module: str) -> str:
    """`semantics` for `async_test_lint.semantics.context`; `__init__` for the package itself."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__" and len(parts) > 2:
        parts.pop()
    return ".".join(parts)


def runtime_imports(tree: ast.Module) -> list[str]:
    """Modules of this package imported outside `if TYPE_CHECKING:` blocks."""
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("async_test_lint"):
            found.extend(
                f"{node.module}.{alias.name}" if node.module == "async_test_lint" else node.module
                for alias in node.names
            )
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names if alias.name.startswith("async_test_lint"))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_part_of_the_package_has_a_layer() -> None:
    parts = {top_part(module_name(path)) for path in MODULES}
    assert parts <= set(LAYER_OF), f"modules outside every layer: {sorted(parts - set(LAYER_OF))}"


@pytest.mark.parametrize("path", MODULES, ids=[module_name(path) for path in MODULES])
def test_no_import_runs_back_up_a_layer(path: Path) -> None:
    own = LAYER_OF[top_part(module_name(path))]
    upward = [
        imported
        for imported in runtime_imports(ast.parse(path.read_text(encoding="utf-8")))
        if LAYER_OF.get(top_part(imported), -1) > own
    ]
    assert not upward, f"{module_name(path)} (layer {own}) imports from a higher layer: {upward}"


def test_the_check_sees_upward_and_ignores_type_checking_imports() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "from async_test_lint.engine.runner import lint_text\n"
        "from async_test_lint import cli\n"
        "if TYPE_CHECKING:\n"
        "    from async_test_lint.semantics.context import FileContext\n"
    )
    imported = runtime_imports(ast.parse(source))
    assert imported == ["async_test_lint.engine.runner", "async_test_lint.cli"]
    assert [LAYER_OF[top_part(name)] for name in imported] == [6, 7]
