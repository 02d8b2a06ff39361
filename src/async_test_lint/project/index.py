"""The project index: every module's functions, classes and imports, built once per run.

Rules that need to know what a name from another file is (`from app.billing import charge`: is
`charge` a coroutine function?) ask the index. It is built with CPython's `ast` (a small fraction of
libcst's cost, and only declarations are needed) and cached on disk by content hash, so a second
run reads only the files that changed.

Module names follow pytest's default `prepend` import mode: a file is importable relative to the
project root, to `src/`, and to its own base directory (the first directory above it without an
`__init__.py`), so a test file can import a sibling support package.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import hashlib
import os
import pickle
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from async_test_lint.knowledge.plugin_facts import NOT_LITERAL, FixtureInfo
from async_test_lint.project.files import project_python_files
from async_test_lint.syntax.defs import FIXTURE_DECORATORS, DefShape, classify
from async_test_lint.syntax.modules import UNREACHABLE, absolute_module
from async_test_lint.syntax.names import BUILTIN_NAMES
from async_test_lint.version import __version__

ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", "tox.ini", ".git")
MAX_ALIAS_HOPS = 5
# Bumped whenever ModuleInfo changes shape, so that an older cache is never unpickled into it.
INDEX_FORMAT = 6
# A `pytest_plugins` value that is not a literal string or list of strings.
UNKNOWN_PLUGIN = "?"


@dataclass(frozen=True)
class DefInfo:
    """A function or method: its kind (`coroutine`, `async_gen`, `async_cm`, `awaitable`,
    `syncified`, `sync` or `unknown`) decides what calling it returns."""

    qualified_name: str
    kind: str
    is_fixture: bool = False
    # A decorator whose wrapper is an `async def` that awaits the wrapped function.
    preserves_async: bool = False
    # A decorator whose sync wrapper returns the wrapped function's result: what it decorates
    # returns whatever the original returns (a coroutine, for an `async def`).
    passes_through: bool = False


@dataclass
class ClassInfo:
    qualified_name: str
    bases: tuple[str, ...] = ()
    methods: dict[str, DefInfo] = field(default_factory=dict)
    # `self.x = Ctor(...)` in __init__/setUp/asyncSetUp: attribute -> qualified name of Ctor.
    attribute_types: dict[str, str] = field(default_factory=dict)
    # Fixtures defined in the class body (visible to its test methods), by the name tests request.
    fixtures: dict[str, FixtureInfo] = field(default_factory=dict)
    # Every attribute the class binds: names of its body, and `self.x` stored in any method.
    bound_attributes: frozenset[str] = frozenset()
    # A base that is not a plain (dotted) name, such as `Generic[T]`: left out of `bases`.
    opaque_bases: bool = False


@dataclass
class ModuleInfo:
    name: str
    defs: dict[str, DefInfo] = field(default_factory=dict)
    classes: dict[str, ClassInfo] = field(default_factory=dict)
    # Module-level imports that exist at run time: local name -> qualified name.
    imports: dict[str, str] = field(default_factory=dict)
    # Unresolved shapes of sync defs, for the `awaitable`-returning check.
    returns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Fixtures defined at module level, by the name tests request. A module-level
    # `x = pytest.fixture(...)(f)` is one too; any other `x = <call>` may make a fixture: it is
    # listed as an opaque FixtureInfo (see `opaque_fixture`), which shadows farther definitions.
    fixtures: dict[str, FixtureInfo] = field(default_factory=dict)
    # Modules named by a module-level `pytest_plugins` (UNKNOWN_PLUGIN when not a literal).
    plugins: tuple[str, ...] = ()
    # Modules of `from m import *` statements (absolute).
    star_imports: tuple[str, ...] = ()


def find_project_root(start: Path) -> Path:
    start = start.resolve()
    return _root_of(start if start.is_dir() else start.parent)


@functools.lru_cache(maxsize=1024)
def _root_of(directory: Path) -> Path:
    for candidate in (directory, *directory.parents):
        if any((candidate / marker).exists() for marker in ROOT_MARKERS):
            return candidate
    return directory


def base_directory(path: Path) -> Path:
    """The directory pytest's prepend mode puts on sys.path for `path`."""
    directory = path.parent
    while (directory / "__init__.py").exists() and directory.parent != directory:
        directory = directory.parent
    return directory


@functools.lru_cache(maxsize=4096)
def _cached_module_names(path: Path, root: Path) -> list[str]:
    return module_names(path, root)


def module_names(path: Path, root: Path) -> list[str]:
    """Every dotted name under which `path` can be imported."""
    path = path.resolve()
    names = []
    for base in (base_directory(path), root / "src", root):
        try:
            relative = path.relative_to(base)
        except ValueError:
            continue
        parts = list(relative.with_suffix("").parts)
        if parts and parts[-1] == "__init__":
            parts.pop()
        if parts and all(part.isidentifier() for part in parts):
            name = ".".join(parts)
            if name not in names:
                names.append(name)
    return names


# --- extracting one module ------------------------------------------------------------------


class _ModuleReader:
    """Reads declarations from one module's `ast`."""

    def __init__(self, name: str, tree: ast.Module, is_package: bool) -> None:
        self.info = ModuleInfo(name)
        self.package = name if is_package else name.rpartition(".")[0]
        # Module-level defs read so far: `x = pytest.fixture()(f)` makes a fixture of `f`.
        self.def_nodes: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        self.defined = _top_level_names(tree.body)
        self._collect_imports(tree.body)
        for statement in tree.body:
            self._read_statement(statement)

    def _absolute(self, module: str | None, level: int) -> str:
        found = absolute_module(self.package, level, module or "")
        return UNREACHABLE if found is None else found

    def _collect_imports(self, body: Iterable[ast.stmt]) -> None:
        for statement in body:
            if isinstance(statement, ast.Import):
                for alias in statement.names:
                    if alias.asname:
                        self.info.imports[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        self.info.imports[top] = top
            elif isinstance(statement, ast.ImportFrom):
                module = self._absolute(statement.module, statement.level)
                for alias in statement.names:
                    if alias.name != "*":
                        self.info.imports[alias.asname or alias.name] = f"{module}.{alias.name}"
                    elif module not in self.info.star_imports:
                        self.info.star_imports += (module,)
            elif isinstance(statement, ast.Try):
                for block in (statement.body, *(h.body for h in statement.handlers), statement.orelse):
                    self._collect_imports(block)
            elif isinstance(statement, ast.If) and not _is_type_checking(statement.test):
                self._collect_imports(statement.body)
                self._collect_imports(statement.orelse)

    def resolve(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Call):
            return self.resolve(node.func)
        if isinstance(node, ast.Name):
            if node.id in self.info.imports:
                return self.info.imports[node.id]
            if node.id in BUILTIN_NAMES and node.id not in self.defined:
                return f"builtins.{node.id}"
            return f"{self.info.name}.{node.id}"
        if isinstance(node, ast.Attribute):
            base = self.resolve(node.value)
            return None if base is None else f"{base}.{node.attr}"
        return None

    def _read_statement(self, statement: ast.stmt) -> None:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            qualified = f"{self.info.name}.{statement.name}"
            info = self._def_info(statement, qualified)
            self.info.defs[statement.name] = info
            self.def_nodes[statement.name] = statement
            fixture = self._fixture_info(statement, qualified, in_class=False) if info.is_fixture else None
            if fixture is not None:
                self.info.fixtures[fixture.name] = fixture
            else:  # a later plain def of the same name replaces a fixture
                self.info.fixtures.pop(statement.name, None)
            if isinstance(statement, ast.FunctionDef):
                self.info.returns[statement.name] = tuple(self._returned_callees(statement))
        elif isinstance(statement, ast.ClassDef):
            self.info.classes[statement.name] = self._class_info(statement)
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                if not isinstance(target, ast.Name):
                    continue
                if target.id == "pytest_plugins":
                    self.info.plugins = _plugin_names(statement.value)
                elif isinstance(statement.value, ast.Call):
                    # `name = pytest.fixture(scope=...)(f)` (pytest-mock's `mocker`) is read; any
                    # other call may be a fixture factory: opaque, but it shadows farther ones.
                    fixture = self._assigned_fixture(target.id, statement.value)
                    self.info.fixtures[fixture.name] = fixture

    def _def_info(self, node: ast.FunctionDef | ast.AsyncFunctionDef, qualified: str) -> DefInfo:
        shape = DefShape(
            is_async=isinstance(node, ast.AsyncFunctionDef),
            has_yield=_has_own_yield(node),
            decorators=tuple(self.resolve(d) or "?" for d in node.decorator_list),
        )
        kind, is_fixture = classify(shape)
        return DefInfo(qualified, kind, is_fixture, _wraps_with(node, ast.AsyncFunctionDef), _wraps_with(node, ast.FunctionDef))

    def _class_info(self, node: ast.ClassDef) -> ClassInfo:
        qualified = f"{self.info.name}.{node.name}"
        bases = [self.resolve(base) if isinstance(base, (ast.Name, ast.Attribute)) else None for base in node.bases]
        info = ClassInfo(qualified, tuple(filter(None, bases)), opaque_bases=None in bases)
        bound = set(_top_level_names(node.body))
        for statement in node.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                method = info.methods[statement.name] = self._def_info(statement, f"{qualified}.{statement.name}")
                fixture = self._fixture_info(statement, method.qualified_name, in_class=True) if method.is_fixture else None
                if fixture is not None:
                    info.fixtures[fixture.name] = fixture
                if statement.name in ("__init__", "setUp", "asyncSetUp"):
                    info.attribute_types.update(self._attribute_types(statement))
                bound.update(_stored_self_attributes(statement))
        info.bound_attributes = frozenset(bound)
        return info

    def _attribute_types(self, method: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, str]:
        types: dict[str, str] = {}
        for node in ast.walk(method):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                for target in node.targets:
                    if (
                        isinstance(target, ast.Attribute)
                        and isinstance(target.value, ast.Name)
                        and target.value.id == "self"
                    ):
                        callee = self.resolve(node.value.func)
                        if callee is not None:
                            types[target.attr] = callee
        return types

    # --- fixtures ---

    def _fixture_info(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, qualified: str, in_class: bool, name: str | None = None
    ) -> FixtureInfo | None:
        """The fixture a def decorated with `pytest.fixture` or `pytest_asyncio.fixture` (bare or
        called with arguments) makes; None when no decorator is one of them."""
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            resolved = self.resolve(call.func if call is not None else decorator)
            if resolved in FIXTURE_DECORATORS:
                return self._fixture_from(node, qualified, resolved, call, in_class, name)
        return None

    def _assigned_fixture(self, target: str, value: ast.Call) -> FixtureInfo:
        """`target = pytest.fixture(f)` or `= pytest.fixture(...)(f)` for a def `f` of this module;
        an opaque fixture for any other call."""
        inner = value.func
        call = inner if isinstance(inner, ast.Call) else value
        decorator = self.resolve(call.func)
        wrapped = value.args[0] if len(value.args) == 1 and not value.keywords else None
        if call is value and wrapped is not None:
            call = ast.Call(call.func, [], [])  # `pytest.fixture(f)`: no arguments of its own
        node = self.def_nodes.get(wrapped.id) if isinstance(wrapped, ast.Name) else None
        if decorator in FIXTURE_DECORATORS and node is not None:
            return self._fixture_from(node, f"{self.info.name}.{node.name}", decorator, call, False, target)
        return opaque_fixture(target, f"{self.info.name}.{target}", value.lineno)

    def _fixture_from(
        self,
        node: ast.FunctionDef | ast.AsyncFunctionDef,
        qualified: str,
        decorator: str,
        call: ast.Call | None,
        in_class: bool,
        name: str | None,
    ) -> FixtureInfo:
        arguments = {k.arg: k.value for k in call.keywords if k.arg is not None} if call is not None else {}
        given_name = _literal_string(arguments.get("name"))
        params = arguments.get("params")
        return FixtureInfo(
            name=given_name or name or node.name,
            qualified_name=qualified,
            decorator=decorator,
            is_async=isinstance(node, ast.AsyncFunctionDef),
            is_generator=_has_own_yield(node),
            scope=_literal_string(arguments["scope"]) or NOT_LITERAL if "scope" in arguments else "function",
            loop_scope=_literal_string(arguments["loop_scope"]) or NOT_LITERAL if "loop_scope" in arguments else None,
            autouse=_literal_true(arguments.get("autouse")),
            has_params=params is not None,
            params=_literal_sequence(params),
            requests=_requested_fixtures(node, in_class and not self._is_static(node)),
            type=self._fixture_type(node),
            lineno=node.lineno,
        )

    def _is_static(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        return any(self.resolve(d) in ("builtins.staticmethod", "staticmethod") for d in node.decorator_list)

    def _fixture_type(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
        """The class a fixture provides: its return annotation, or the constructor it returns or
        yields (when every return/yield agrees)."""
        if node.returns is not None and isinstance(node.returns, (ast.Name, ast.Attribute)):
            return self.resolve(node.returns)
        yielded = self._yielded_annotation(node)
        if yielded is not None:
            return yielded
        found = {
            self.resolve(child.value.func) if isinstance(child.value, ast.Call) else None
            for child in _own_nodes(node)
            if isinstance(child, (ast.Return, ast.Yield)) and child.value is not None
        }
        return found.pop() if len(found) == 1 else None

    def _yielded_annotation(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
        """`X` for a generator fixture annotated `Iterator[X]`, `Generator[X, ...]` or their async
        twins: what it yields is what the test receives."""
        annotation = node.returns
        if not (isinstance(annotation, ast.Subscript) and _has_own_yield(node)):
            return None
        if self.resolve(annotation.value) not in GENERATOR_ANNOTATIONS:
            return None
        argument = annotation.slice
        first = argument.elts[0] if isinstance(argument, ast.Tuple) and argument.elts else argument
        return self.resolve(first) if isinstance(first, (ast.Name, ast.Attribute)) else None

    def _returned_callees(self, node: ast.FunctionDef) -> Iterator[str]:
        for child in ast.walk(node):
            if isinstance(child, ast.Return):
                value = child.value
                yield (self.resolve(value.func) or "?") if isinstance(value, ast.Call) else "?"


GENERATOR_ANNOTATIONS = frozenset(
    f"{module}.{name}"
    for module in ("typing", "collections.abc")
    for name in ("Iterator", "Generator", "AsyncIterator", "AsyncGenerator")
)


def opaque_fixture(name: str, qualified: str, lineno: int = 0) -> FixtureInfo:
    """A module-level `name = <call>` that may make a fixture: nothing of it can be read."""
    return FixtureInfo(name, qualified, decorator=NOT_LITERAL, scope=NOT_LITERAL, lineno=lineno)


def is_opaque(fixture: FixtureInfo) -> bool:
    return fixture.decorator == NOT_LITERAL


def _requested_fixtures(node: ast.FunctionDef | ast.AsyncFunctionDef, bound: bool) -> tuple[str, ...]:
    """The fixtures a fixture function requests, by pytest's `getfuncargnames`: its
    positional-or-keyword and keyword-only parameters without a default (positional-only ones
    are not), less the first for a method (`self`, unless a staticmethod)."""
    args = node.args
    first_default = len(args.posonlyargs) + len(args.args) - len(args.defaults)
    names = [a.arg for i, a in enumerate(args.args, start=len(args.posonlyargs)) if i < first_default]
    names += [a.arg for a, default in zip(args.kwonlyargs, args.kw_defaults) if default is None]
    return tuple(names[1:] if bound else names)


def _literal_string(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _literal_true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and bool(node.value)


def _literal_sequence(node: ast.expr | None) -> tuple[object, ...] | None:
    """The values of a literal list or tuple (`params=[1, "a", (2, 3)]`); None for anything else."""
    if not isinstance(node, (ast.List, ast.Tuple)):
        return None
    try:
        return tuple(ast.literal_eval(node))
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def _plugin_names(value: ast.expr) -> tuple[str, ...]:
    """The modules of `pytest_plugins = "m"` or `= ["m", ...]`; UNKNOWN_PLUGIN for anything else."""
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return (value.value,)
    if isinstance(value, (ast.List, ast.Tuple)) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts
    ):
        return tuple(e.value for e in value.elts)  # type: ignore[attr-defined]
    return (UNKNOWN_PLUGIN,)


def _stored_self_attributes(method: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """`x` for every `self.x = ...` (or `del self.x`, `for self.x in ...`) in a method's body."""
    positional = [*method.args.posonlyargs, *method.args.args]
    if not positional:
        return set()
    instance = positional[0].arg
    return {
        node.attr
        for node in ast.walk(method)
        if isinstance(node, ast.Attribute)
        and isinstance(node.ctx, (ast.Store, ast.Del))
        and isinstance(node.value, ast.Name)
        and node.value.id == instance
    }


def _top_level_names(body: Iterable[ast.stmt]) -> frozenset[str]:
    names: set[str] = set()
    for statement in body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(statement.name)
        elif isinstance(statement, ast.Assign):
            names.update(t.id for t in statement.targets if isinstance(t, ast.Name))
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            names.add(statement.target.id)
    return frozenset(names)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _own_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a def's body, not entering nested defs, classes or lambdas."""
    stack = list(ast.iter_child_nodes(node))
    while stack:
        child = stack.pop()
        yield child
        if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(child))


def _has_own_yield(node: ast.AST) -> bool:
    return any(isinstance(child, (ast.Yield, ast.YieldFrom)) for child in _own_nodes(node))


def _wraps_with(node: ast.FunctionDef | ast.AsyncFunctionDef, wrapper_type: type) -> bool:
    """A decorator `def deco(fn)` returning an inner wrapper of `wrapper_type` that calls `fn`:
    `async def inner(...): return await fn(...)` keeps a coroutine function one;
    `def inner(...): return fn(...)` passes the coroutine through."""
    if isinstance(node, ast.AsyncFunctionDef) or not node.args.args:
        return False
    wrapped = node.args.args[0].arg
    inner = {child.name: child for child in node.body if isinstance(child, wrapper_type)}
    returned = [s.value.id for s in node.body if isinstance(s, ast.Return) and isinstance(s.value, ast.Name)]
    return any(
        name in inner and any(_calls(n, wrapped) for n in ast.walk(inner[name]) if isinstance(n, ast.Return))
        for name in returned
    )


def _calls(node: ast.Return, function: str) -> bool:
    value = node.value.value if isinstance(node.value, ast.Await) else node.value
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == function


def read_module(name: str, source: bytes | str, is_package: bool) -> ModuleInfo | None:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return _ModuleReader(name, tree, is_package).info


def _read_file(path: Path) -> ModuleInfo | None:
    """A module outside the index (gitignored, say), read on demand; None when unreadable."""
    try:
        return read_module(path.stem, path.read_bytes(), path.name == "__init__.py")
    except OSError:
        return None


# --- the index ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FixtureFact:
    """A visible definition of a fixture: the type fact of its value, or None when it gives none
    (it still shadows every farther definition of the name)."""

    type: str | None


NO_FACT = FixtureFact(None)


@dataclass(frozen=True)
class UnknownFixture:
    """The nearest visible definition of fixture `name` cannot be read (a fixture factory, an import
    from outside the project, a conftest.py that does not parse, a plugin module not known): the
    fixture may be anything, and it shadows every farther definition. `type` is the type fact
    when every candidate agrees on one."""

    name: str
    type: str | None = None


FixtureLookup = FixtureInfo | UnknownFixture


def as_fact(found: FixtureLookup | None) -> FixtureFact | None:
    return None if found is None else FixtureFact(found.type)


class ProjectIndex:
    """Modules by dotted name, and lookups that follow re-exports."""

    def __init__(self, root: Path, modules: dict[str, ModuleInfo] | None = None) -> None:
        self.root = root
        self.modules: dict[str, ModuleInfo] = modules or {}
        # Modules by resolved file path: two conftest.py files share the import name `conftest`.
        self.files: dict[Path, ModuleInfo] = {}
        # Import names claimed by the files, and the file of each ModuleInfo in `files`.
        self._claims: dict[str, set[Path]] = {}
        self._file_of: dict[int, Path] = {}
        self._conftests: dict[Path, tuple[ModuleInfo | None, ...]] = {}
        # Whatever the engine derives from this index (trigger words), living and dying with it.
        self.derived: dict[object, object] = {}
        # The content digest of each indexed file, by resolved path (project/digest.py).
        self.digests: dict[Path, str] = {}

    @functools.cached_property
    def awaitable_names(self) -> frozenset[str]:
        """The simple names of every def and method whose call must be awaited or iterated."""
        kinds = ("coroutine", "async_gen", "async_cm")
        names = {name for module in self.modules.values() for name, d in module.defs.items() if d.kind in kinds}
        names.update(
            name
            for module in self.modules.values()
            for cls in module.classes.values()
            for name, d in cls.methods.items()
            if d.kind in kinds
        )
        names.update(name for module in self.modules.values() for name, callees in module.returns.items() if callees)
        return frozenset(names)

    def add(self, info: ModuleInfo, names: Iterable[str], path: Path | None = None) -> None:
        for name in names:
            self.modules[name] = info if info.name == name else _renamed(info, name)
        if path is not None:
            self.files[path] = info
            self._file_of[id(info)] = path
            for name in names:
                self._claims.setdefault(name, set()).add(path)

    def module_names(self, path: Path) -> list[str]:
        return _cached_module_names(path, self.root)

    def files_of(self, module: str) -> frozenset[Path]:
        """The files that can be imported as `module` (two `conftest.py` files may share one name)."""
        return frozenset(self._claims.get(module, ()))

    def visible_conftests(self, path: Path) -> list[Path]:
        """The `conftest.py` files pytest loads for a test at `path`, from the root down."""
        directory, found = path.parent, []
        while directory == self.root or self.root in directory.parents:
            candidate = directory / "conftest.py"
            if candidate in self.files:
                found.append(candidate)
            if directory == self.root:
                break
            directory = directory.parent
        return found[::-1]

    def lookup(self, qualified: str) -> DefInfo | ClassInfo | None:
        """The def or class a qualified name refers to, following re-exports and aliases."""
        for _ in range(MAX_ALIAS_HOPS):
            found = self._split(qualified)
            if found is None:
                return None
            module, rest = found
            target = self._in_module(module, rest)
            if isinstance(target, str):
                qualified = target
                continue
            return target
        return None

    def _split(self, qualified: str) -> tuple[ModuleInfo, list[str]] | None:
        parts = qualified.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = self.modules.get(".".join(parts[:cut]))
            if module is not None:
                return module, parts[cut:]
        return None

    def _in_module(self, module: ModuleInfo, rest: list[str]) -> DefInfo | ClassInfo | str | None:
        head = rest[0]
        if len(rest) == 1 and head in module.defs:
            return self._with_awaitable_returns(module, head)
        if head in module.classes:
            cls = module.classes[head]
            if len(rest) == 1:
                return cls
            if len(rest) == 2:
                return self.method(cls, rest[1])
            return None
        if head in module.imports:
            return ".".join([module.imports[head], *rest[1:]])
        return None

    def _with_awaitable_returns(self, module: ModuleInfo, name: str) -> DefInfo:
        info = module.defs[name]
        callees = module.returns.get(name, ())
        if info.kind == "sync" and callees and all(self._is_coroutine(callee) for callee in callees):
            return DefInfo(info.qualified_name, "awaitable", info.is_fixture, info.preserves_async, info.passes_through)
        return info

    def _is_coroutine(self, qualified: str) -> bool:
        found = self.lookup(qualified) if qualified != "?" else None
        return isinstance(found, DefInfo) and found.kind == "coroutine"

    def method(self, cls: ClassInfo, name: str, depth: int = 0) -> DefInfo | None:
        """A method of `cls` or of its project base classes (depth-first, bounded)."""
        if name in cls.methods:
            return cls.methods[name]
        if depth >= MAX_ALIAS_HOPS:
            return None
        for base in cls.bases:
            base_info = self.lookup(base)
            if isinstance(base_info, ClassInfo):
                found = self.method(base_info, name, depth + 1)
                if found is not None:
                    return found
        return None

    # --- fixtures, in pytest's order of visibility ------------------------------------------
    # The layers a test sees are put together in `semantics.fixtures`; these read one layer each.

    def module_fixture_info(self, module: ModuleInfo, name: str, depth: int = 0) -> FixtureLookup | None:
        """Fixture `name` as a module's namespace holds it; None when the module holds no such name.

        pytest collects a module's fixtures from its attributes, so an imported fixture is one of
        the module's own. An import that may be a fixture but cannot be read is an UnknownFixture.
        """
        if name in module.fixtures:
            return self._as_visible(module, module.fixtures[name])
        if name in module.imports:
            return self._imported_fixture(module.imports[name], name)
        for star in module.star_imports:
            source = self.modules.get(star)
            if source is None or depth >= MAX_ALIAS_HOPS:
                return UnknownFixture(name)  # `from outside import *` may bring any name
            found = self.module_fixture_info(source, name, depth + 1)
            if found is not None:
                return found
        return None

    def module_fixture(self, module: ModuleInfo, name: str) -> FixtureFact | None:
        return as_fact(self.module_fixture_info(module, name))

    def module_autouse(self, module: ModuleInfo, depth: int = 0) -> tuple[tuple[str, ...], bool]:
        """The names of the autouse fixtures a module's namespace holds (its own, imported ones of
        the project, and star-imported ones), and whether that list is complete (a star import
        from outside the project may bring more)."""
        names = [n for n, f in module.fixtures.items() if f.autouse and not is_opaque(f)]
        complete = True
        for local, qualified in module.imports.items():
            found = self._imported_fixture(qualified, local) if local not in module.fixtures else None
            if isinstance(found, FixtureInfo) and found.autouse:
                names.append(local)
        for star in module.star_imports:
            source = self.modules.get(star)
            if source is None or depth >= MAX_ALIAS_HOPS:
                complete = False
                continue
            more, source_complete = self.module_autouse(source, depth + 1)
            names.extend(n for n in more if n not in names)
            complete = complete and source_complete
        return tuple(names), complete

    def _as_visible(self, module: ModuleInfo, fixture: FixtureInfo) -> FixtureLookup:
        if is_opaque(fixture):
            return UnknownFixture(fixture.name)
        fact = self._unambiguous(module, fixture.type)
        qualified = self._unambiguous(module, fixture.qualified_name) or fixture.qualified_name
        if fact == fixture.type and qualified == fixture.qualified_name:
            return fixture
        return dataclasses.replace(fixture, type=fact, qualified_name=qualified)

    def _unambiguous(self, module: ModuleInfo, fact: str | None) -> str | None:
        """`fact` qualified by a name that only this module's file has: every conftest.py is
        `conftest` (its first import name), so `conftest.Box` is rewritten to `tests.a.conftest.Box`,
        or gives no fact when the file has no unique name."""
        if fact is None or not fact.startswith(module.name + "."):
            return fact
        if len(self._claims.get(module.name, ())) <= 1:
            return fact
        path = self._file_of.get(id(module))
        for name in module_names(path, self.root) if path is not None else ():
            if self._claims.get(name) == {path}:
                return name + fact[len(module.name) :]
        return None

    def _imported_fixture(self, qualified: str, local: str) -> FixtureLookup | None:
        found = self.lookup(qualified)
        if isinstance(found, ClassInfo) or (isinstance(found, DefInfo) and not found.is_fixture):
            return None  # a project def or class that is not a fixture
        split = self._split(qualified)
        if isinstance(found, DefInfo) and split is not None:
            module, rest = split
            # Registered under the name it is imported as only when it has no `name=` of its own.
            if len(rest) == 1 and rest[0] in module.defs and rest[0] in module.fixtures:
                fixture = self._as_visible(module, module.fixtures[rest[0]])
                if isinstance(fixture, FixtureInfo) and fixture.name != local:
                    fixture = dataclasses.replace(fixture, name=local)
                return fixture
        return UnknownFixture(local)

    def conftest_fixture_info(self, path: Path, name: str) -> FixtureLookup | None:
        """Fixture `name` from the conftest.py files visible to `path`, nearest directory first.

        pytest sees the conftest.py of the file's own directory and of each parent up to the
        root, never a sibling directory's; a nearer definition shadows a farther one, even one
        that cannot be read.
        """
        for module in self.conftest_modules(path):
            found = self.module_fixture_info(module, name) if module is not None else UnknownFixture(name)
            if found is not None:
                return found
        return None

    def conftest_fixture(self, path: Path, name: str) -> FixtureFact | None:
        return as_fact(self.conftest_fixture_info(path, name))

    def conftest_modules(self, path: Path) -> tuple[ModuleInfo | None, ...]:
        """The conftest.py files visible to `path`, nearest first (None for one that cannot be read)."""
        path = path.resolve()
        if path not in self._conftests:
            self._conftests[path] = tuple(self._find_conftests(path))
        return self._conftests[path]

    def _find_conftests(self, path: Path) -> Iterator[ModuleInfo | None]:
        directory = path.parent
        if directory != self.root and self.root not in directory.parents:
            return
        for candidate in (directory, *directory.parents):
            conftest = candidate / "conftest.py"
            # A conftest.py linted itself is its own module layer, not one of its conftests.
            if conftest != path and conftest.is_file():
                yield self.files.get(conftest) or _read_file(conftest)
            if candidate == self.root:
                break

    @functools.cached_property
    def declared_plugins(self) -> frozenset[str]:
        """The modules `pytest_plugins` names anywhere in the project (pytest registers them for
        the whole session, whichever module declares them)."""
        return frozenset(plugin for module in self.modules.values() for plugin in module.plugins)

    def plugin_module_fixture_info(
        self, name: str, readable_elsewhere: frozenset[str], also_declared: Iterable[str] = ()
    ) -> FixtureLookup | None:
        """Fixture `name` from the modules `pytest_plugins` names, the layer below conftest.py files.

        A plugin module outside the project that is not in `readable_elsewhere` (modules whose
        fixtures the caller knows) may define any fixture: UnknownFixture. Several project modules
        defining it: which one pytest registers last is not known; an UnknownFixture keeps the
        type fact they agree on.
        """
        found: list[FixtureLookup] = []
        for plugin in sorted(self.declared_plugins.union(also_declared)):
            module = self.modules.get(plugin)
            if module is None:
                if plugin in readable_elsewhere:
                    continue
                return UnknownFixture(name)
            fixture = self.module_fixture_info(module, name)
            if fixture is not None and fixture not in found:
                found.append(fixture)
        if len(found) <= 1:
            return found[0] if found else None
        facts = {fixture.type for fixture in found}
        return UnknownFixture(name, facts.pop() if len(facts) == 1 else None)

    def plugin_module_fixture(
        self, name: str, readable_elsewhere: frozenset[str], also_declared: Iterable[str] = ()
    ) -> FixtureFact | None:
        return as_fact(self.plugin_module_fixture_info(name, readable_elsewhere, also_declared))

    def attribute_type(self, cls: ClassInfo, attribute: str, depth: int = 0) -> str | None:
        if attribute in cls.attribute_types:
            return cls.attribute_types[attribute]
        if depth >= MAX_ALIAS_HOPS:
            return None
        for base in cls.bases:
            base_info = self.lookup(base)
            if isinstance(base_info, ClassInfo):
                found = self.attribute_type(base_info, attribute, depth + 1)
                if found is not None:
                    return found
        return None


def _renamed_def(info: DefInfo, qualified: str) -> DefInfo:
    return DefInfo(qualified, info.kind, info.is_fixture, info.preserves_async, info.passes_through)


def _renamed_fixture(fixture: FixtureInfo, rename: Callable[[str], str]) -> FixtureInfo:
    qualified = rename(fixture.qualified_name)
    return fixture if qualified == fixture.qualified_name else dataclasses.replace(fixture, qualified_name=qualified)


def _renamed(info: ModuleInfo, name: str) -> ModuleInfo:
    """The same module seen under another import name (qualified names of its defs follow)."""
    def rename(qualified: str) -> str:
        return name + qualified[len(info.name):] if qualified.startswith(info.name + ".") else qualified

    return ModuleInfo(
        name,
        {k: _renamed_def(d, rename(d.qualified_name)) for k, d in info.defs.items()},
        {
            k: ClassInfo(
                rename(c.qualified_name),
                c.bases,
                {m: _renamed_def(d, rename(d.qualified_name)) for m, d in c.methods.items()},
                dict(c.attribute_types),
                {n: _renamed_fixture(f, rename) for n, f in c.fixtures.items()},
                c.bound_attributes,
                c.opaque_bases,
            )
            for k, c in info.classes.items()
        },
        dict(info.imports),
        dict(info.returns),
        {n: _renamed_fixture(f, rename) for n, f in info.fixtures.items()},
        info.plugins,
        info.star_imports,
    )


# --- building, with the on-disk cache --------------------------------------------------------


def cache_directory() -> Path:
    """Where indexes are cached: $ASYNC_TEST_LINT_CACHE_DIR, else the user's cache directory.

    Outside the project, so that linting never writes into the tree it checks.
    """
    configured = os.environ.get("ASYNC_TEST_LINT_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "async-test-lint"


def _cache_path(root: Path) -> Path:
    key = hashlib.blake2b(str(root).encode(), digest_size=8).hexdigest()
    return cache_directory() / f"index-{__version__}-f{INDEX_FORMAT}-{key}.pickle"


def _load_cache(root: Path) -> dict[str, tuple[str, ModuleInfo | None]]:
    data = read_cache_file(_cache_path(root))
    return data if isinstance(data, dict) else {}


def read_cache_file(path: Path) -> object:
    """What `write_cache_file` wrote to `path`; None when it is missing, unreadable or corrupt."""
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except Exception:  # noqa: BLE001 - a corrupt pickle raises almost anything; it only costs a rebuild
        return None


def _save_cache(root: Path, entries: dict[str, tuple[str, ModuleInfo | None]]) -> None:
    write_cache_file(_cache_path(root), entries)


def write_cache_file(path: Path, data: object) -> bool:
    """Pickle `data` to `path` (in the cache directory) atomically: a temporary beside it, then a
    rename. Then bound the cache. False when it could not be written: a read-only cache only costs
    time (a read-only tree still lints)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError):
        return False
    prune_cache(keep=path)
    return True


# The kinds of file the cache holds, each named `<kind>-....pickle`: one index per project root (and
# version), one results file per project root and run settings (engine/result_cache.py). Together
# they are bounded in count and in total size, the least recently written going first. An index is
# ~100 KB per 1,000 modules, a results file ~30 KB.
INDEX_KIND = "index"
RESULTS_KIND = "results"
CACHE_KINDS = (INDEX_KIND, RESULTS_KIND)
CACHE_MAX_FILES = 64
CACHE_MAX_BYTES = 128 * 1024 * 1024


def cache_files(kind: str | None = None) -> list[Path]:
    """The files of ours in the cache directory (of one kind, or all): cache files, and temporaries
    a killed run left."""
    directory = cache_directory()
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    kinds = CACHE_KINDS if kind is None else (kind,)
    return [
        directory / name
        for name in names
        for prefix in kinds
        if (name.startswith(f"{prefix}-") and name.endswith(".pickle"))
        or (name.startswith(f".{prefix}-") and name.endswith(".tmp"))
    ]


def prune_cache(keep: Path | None = None) -> None:
    """Drop the least recently written cache files beyond CACHE_MAX_FILES or CACHE_MAX_BYTES (never
    `keep`)."""
    entries = []
    for path in cache_files():
        try:
            status = path.stat()
        except OSError:
            continue
        entries.append((status.st_mtime_ns, status.st_size, path))
    entries.sort(reverse=True)  # newest first
    total = 0
    for count, (_, size, path) in enumerate(entries, start=1):
        total += size
        if path != keep and (count > CACHE_MAX_FILES or total > CACHE_MAX_BYTES):
            try:
                path.unlink()
            except OSError:
                pass


def clear_cache() -> int:
    """Remove every file of ours from the cache directory (and the directory once empty): how many.

    Only our own files: the directory may be one the user shares with other tools.
    """
    removed = 0
    for path in cache_files():
        try:
            path.unlink()
            removed += 1
        except OSError:
            pass
    try:
        cache_directory().rmdir()
    except OSError:
        pass  # not empty (someone else's files) or already gone
    return removed


def cache_disabled() -> bool:
    """`--no-cache` (which sets it for the worker processes too) or ASYNC_TEST_LINT_NO_CACHE: no
    cache is read or written, the index's nor the results'."""
    return bool(os.environ.get("ASYNC_TEST_LINT_NO_CACHE"))


def content_digest(data: bytes | str) -> str:
    """The digest the index keeps of a file's content (of its text, UTF-8 encoded, for a str)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def build_index(root: Path, use_cache: bool = True) -> ProjectIndex:
    """Index every Python file under `root` (skipping VCS, virtualenvs and build output)."""
    root = root.resolve()
    use_cache = use_cache and not cache_disabled()
    cached = _load_cache(root) if use_cache else {}
    entries: dict[str, tuple[str, ModuleInfo | None]] = {}
    changed = False
    index = ProjectIndex(root)
    for path in project_python_files(root):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        digest = content_digest(data)
        key = str(path.relative_to(root))
        names = module_names(path, root)
        if not names:
            continue
        previous = cached.get(key)
        if previous is not None and previous[0] == digest:
            info = previous[1]
        else:
            info = read_module(names[0], data, path.name == "__init__.py")
            changed = True
        entries[key] = (digest, info)
        index.digests[path.resolve()] = digest
        if info is not None:
            index.add(info, names, path.resolve())
    if use_cache and (changed or len(entries) != len(cached)):
        _save_cache(root, entries)
    return index


_indexes: dict[Path, ProjectIndex] = {}
_lock = threading.Lock()


def project_for(path: Path) -> ProjectIndex:
    """The index of the project `path` belongs to, built once per process (and cached on disk)."""
    root = find_project_root(path)
    with _lock:
        index = _indexes.get(root)
        if index is None:
            index = _indexes[root] = build_index(root)
    return index


def forget_indexes() -> None:
    """Drop the per-process indexes (tests that rewrite a project between runs)."""
    with _lock:
        _indexes.clear()
        _cached_module_names.cache_clear()
        _root_of.cache_clear()
