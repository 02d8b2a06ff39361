"""What a name means: imports, aliases, shadowing and simple type facts, without full scope analysis.

libcst's ScopeProvider + QualifiedNameProvider cost several times a parse on every file. Rules only
ask about a handful of names per file, so bindings are collected lazily, one scope at a time, the
first time a rule asks about a name inside that scope, and cached.

Python's own rules apply: a name bound anywhere in a function is local to the whole function, a class
body is not an enclosing scope for its methods, `global`/`nonlocal` redirect the lookup, and imports
under `if TYPE_CHECKING:` do not exist at run time. A name whose bindings disagree (imported in one
branch, assigned in another) resolves to nothing: precision first.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import libcst as cst

from async_test_lint.knowledge import known_apis
from async_test_lint.syntax.modules import absolute_module
from async_test_lint.syntax.traversal import Visitor, walk

BUILTIN_NAMES = frozenset(dir(builtins))

# What a call of a sync library returns, where that is not the callee itself (a class constructor
# returns an instance of its class, so the class's own name is the type fact). Async libraries'
# results are in the known async API table.
SYNC_CALL_RESULT_TYPES: dict[str, str] = {
    "requests.session": "requests.Session",
    "requests.sessions.Session": "requests.Session",
    "requests.sessions.session": "requests.Session",
    "httpx._client.Client": "httpx.Client",
    "uvloop.new_event_loop": "asyncio.AbstractEventLoop",
}

ScopeNode = cst.Module | cst.FunctionDef | cst.ClassDef | cst.Lambda | cst.BaseComp


@dataclass(frozen=True)
class Binding:
    """One way a name gets a value in a scope."""

    kind: str  # import, assign, with, param, def, class, other
    qualified_name: str | None = None
    value: cst.BaseExpression | None = None
    annotation: cst.BaseExpression | None = None
    definition: cst.FunctionDef | cst.ClassDef | None = None
    # For `a, b = value`: which element this name gets. For `with`: whether it is `async with`.
    position: int | None = None
    is_async: bool = False


@dataclass
class ScopeBindings:
    names: dict[str, list[Binding]] = field(default_factory=dict)
    # Imports under `if TYPE_CHECKING:`: absent at run time, but what annotations mean.
    typing_names: dict[str, list[Binding]] = field(default_factory=dict)
    global_names: set[str] = field(default_factory=set)
    nonlocal_names: set[str] = field(default_factory=set)

    def add(self, name: str, binding: Binding) -> None:
        self.names.setdefault(name, []).append(binding)


def is_type_checking_guard(test: cst.BaseExpression) -> bool:
    if isinstance(test, cst.Name):
        return test.value == "TYPE_CHECKING"
    return isinstance(test, cst.Attribute) and test.attr.value == "TYPE_CHECKING"


def dotted_name(node: cst.BaseExpression) -> str | None:
    """`a.b.c` as a string, or None when the expression is not a plain dotted name."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted_name(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def _import_from_module(node: cst.ImportFrom) -> str:
    dots = "." * len(node.relative)
    module = dotted_name(node.module) if node.module is not None else ""
    return f"{dots}{module or ''}"


class _BindingCollector(Visitor):
    """Collects the bindings of one scope, without entering nested scopes."""

    def __init__(self, bindings: ScopeBindings) -> None:
        self.bindings = bindings
        self.async_with: list[bool] = []

    def bind_target(self, target: cst.BaseExpression, binding: Binding) -> None:
        if isinstance(target, cst.Name):
            self.bindings.add(target.value, binding)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for position, element in enumerate(target.elements):
                unpacked = Binding("other")
                if binding.kind == "assign" and isinstance(element.value, cst.Name):
                    unpacked = Binding("unpack", value=binding.value, position=position)
                self.bind_target(element.value, unpacked)
        elif isinstance(target, cst.StarredElement):
            self.bind_target(target.value, Binding("other"))

    # Nested scopes: only their own name is a binding here.
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.bindings.add(node.name.value, Binding("def", definition=node))
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.bindings.add(node.name.value, Binding("class", definition=node))
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ListComp(self, node: cst.ListComp) -> bool:
        return False

    def visit_SetComp(self, node: cst.SetComp) -> bool:
        return False

    def visit_DictComp(self, node: cst.DictComp) -> bool:
        return False

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> bool:
        return False

    def visit_If(self, node: cst.If) -> bool:
        if is_type_checking_guard(node.test):
            typing_only = ScopeBindings()
            walk(node.body, _BindingCollector(typing_only))
            for name, found in typing_only.names.items():
                self.bindings.typing_names.setdefault(name, []).extend(found)
            if node.orelse is not None:
                walk(node.orelse, self)
            return False
        return True

    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            full = dotted_name(alias.name) or ""
            if alias.asname is not None:
                self.bind_target(alias.asname.name, Binding("import", qualified_name=full))
            else:
                top = full.split(".")[0]
                self.bindings.add(top, Binding("import", qualified_name=top))
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if isinstance(node.names, cst.ImportStar):
            return False
        module = _import_from_module(node)
        joiner = "" if module.endswith(".") else "."
        for alias in node.names:
            imported = alias.name.value if isinstance(alias.name, cst.Name) else ""
            qualified = f"{module}{joiner}{imported}"
            target = alias.asname.name if alias.asname is not None else alias.name
            self.bind_target(target, Binding("import", qualified_name=qualified))
        return False

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self.bind_target(target.target, Binding("assign", value=node.value))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        binding = Binding("assign", value=node.value, annotation=node.annotation.annotation)
        self.bind_target(node.target, binding)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.bind_target(node.target, Binding("other"))

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.bind_target(node.target, Binding("assign", value=node.value))

    def visit_For(self, node: cst.For) -> None:
        self.bind_target(node.target, Binding("other"))

    def visit_With(self, node: cst.With) -> None:
        self.async_with.append(node.asynchronous is not None)

    def leave_With(self, node: cst.With) -> None:
        self.async_with.pop()

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            is_async = bool(self.async_with and self.async_with[-1])
            self.bind_target(node.asname.name, Binding("with", value=node.item, is_async=is_async))

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self.bind_target(node.name.name, Binding("other"))

    def visit_MatchAs(self, node: cst.MatchAs) -> None:
        if node.name is not None:
            self.bind_target(node.name, Binding("other"))

    def visit_MatchStar(self, node: cst.MatchStar) -> None:
        if node.name is not None:
            self.bind_target(node.name, Binding("other"))

    def visit_Global(self, node: cst.Global) -> None:
        self.bindings.global_names.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.bindings.nonlocal_names.update(item.name.value for item in node.names)


def _bind_parameters(params: cst.Parameters, bindings: ScopeBindings) -> None:
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    for extra in (params.star_arg, params.star_kwarg):
        if isinstance(extra, cst.Param):
            every.append(extra)
    for param in every:
        annotation = param.annotation.annotation if param.annotation is not None else None
        bindings.add(param.name.value, Binding("param", annotation=annotation))


def collect_bindings(scope: ScopeNode) -> ScopeBindings:
    bindings = ScopeBindings()
    collector = _BindingCollector(bindings)
    if isinstance(scope, cst.Module):
        for statement in scope.body:
            walk(statement, collector)
    elif isinstance(scope, cst.FunctionDef):
        _bind_parameters(scope.params, bindings)
        walk(scope.body, collector)
    elif isinstance(scope, cst.ClassDef):
        walk(scope.body, collector)
    elif isinstance(scope, cst.Lambda):
        _bind_parameters(scope.params, bindings)
        walk(scope.body, collector)
    else:  # a comprehension: its `for` targets are its own
        comp_for: cst.CompFor | None = scope.for_in
        while comp_for is not None:
            collector.bind_target(comp_for.target, Binding("other"))
            comp_for = comp_for.inner_for_in
    return bindings


OPTIONAL = frozenset({"typing.Optional", "typing_extensions.Optional"})


def _strip_optional(
    annotation: cst.BaseExpression, resolve: Callable[[cst.BaseExpression], str | None]
) -> cst.BaseExpression | None:
    """`C` for `C`, `"C"`, `C | None`, `None | C` and `Optional[C]`; None for other unions."""
    if isinstance(annotation, cst.SimpleString):
        try:
            annotation = cst.parse_expression(annotation.evaluated_value)  # type: ignore[arg-type]
        except (cst.ParserSyntaxError, TypeError, ValueError):
            return None
    if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
        sides = [annotation.left, annotation.right]
        kept = [side for side in sides if not (isinstance(side, cst.Name) and side.value == "None")]
        return _strip_optional(kept[0], resolve) if len(kept) == 1 else None
    if isinstance(annotation, cst.Subscript) and resolve(annotation.value) in OPTIONAL:
        elements = annotation.slice
        if len(elements) == 1 and isinstance(elements[0].slice, cst.Index):
            return _strip_optional(elements[0].slice.value, resolve)
        return None
    return annotation


def _single(fact: str | tuple[str, ...] | None) -> str | None:
    return fact if isinstance(fact, str) else None


class NameResolver:
    """Answers 'what does this name mean here?' for one module.

    `scopes` arguments list the enclosing scope nodes innermost first, ending with the module;
    the engine's walk supplies them.
    """

    def __init__(self, module: cst.Module, module_name: str | None = None, is_package: bool = False) -> None:
        self.module = module
        self.module_name = module_name
        self.package = (module_name if is_package else module_name.rpartition(".")[0]) if module_name else None
        self._cache: dict[int, ScopeBindings] = {}
        self._typing_in_progress: set[tuple[str, int]] = set()
        # Set by the file's context: the type a test's or fixture's parameter gets from the
        # fixture of that name (None for other functions and unknown fixtures).
        self.parameter_type: Callable[[ScopeNode, str], str | None] | None = None
        # Set by the file's context: the type of `self.x` from the test case base class that sets
        # it (None when unknown).
        self.instance_attribute_type: Callable[[cst.Attribute, Sequence[ScopeNode]], str | None] | None = None

    def bindings(self, scope: ScopeNode) -> ScopeBindings:
        key = id(scope)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = collect_bindings(scope)
        return found

    def lookup(
        self, name: str, scopes: Sequence[ScopeNode], typing: bool = False
    ) -> tuple[list[Binding], int] | None:
        """The bindings of `name` as seen from `scopes[0]` and the index of the scope holding them.

        Returns None for a name bound nowhere (a builtin or an undefined name). With `typing`,
        imports under `if TYPE_CHECKING:` count too, as they do for annotations.
        """
        for index, scope in enumerate(scopes):
            if isinstance(scope, cst.ClassDef) and index != 0:
                continue
            bindings = self.bindings(scope)
            if name in bindings.global_names:
                return self.lookup(name, scopes[-1:], typing)
            if name in bindings.nonlocal_names:
                continue
            found = bindings.names.get(name) or (bindings.typing_names.get(name) if typing else None)
            if found:
                return found, index
        return None

    def qualified_name(
        self, expr: cst.BaseExpression, scopes: Sequence[ScopeNode], typing: bool = False
    ) -> str | None:
        """`time.sleep` for `t.sleep` after `import time as t`; None when not resolvable with confidence."""
        if isinstance(expr, cst.Attribute):
            base = self.qualified_name(expr.value, scopes, typing)
            return None if base is None else f"{base}.{expr.attr.value}"
        if not isinstance(expr, cst.Name):
            return None
        found = self.lookup(expr.value, scopes, typing)
        if found is None:
            return f"builtins.{expr.value}" if expr.value in BUILTIN_NAMES else None
        bindings, index = found
        at_module_level = index == len(scopes) - 1
        names = {self._binding_name(b, expr.value, at_module_level) for b in bindings}
        if len(names) == 1:
            return names.pop()
        return None

    def _binding_name(self, binding: Binding, name: str, at_module_level: bool) -> str | None:
        if binding.kind == "import" and binding.qualified_name is not None:
            return self._absolute(binding.qualified_name)
        if binding.kind in ("def", "class") and at_module_level and self.module_name:
            return f"{self.module_name}.{name}"
        return None

    def _absolute(self, qualified: str) -> str | None:
        """`pkg.impl.fetch` for `.impl.fetch` imported in a module of package `pkg`."""
        level = len(qualified) - len(qualified.lstrip("."))
        return absolute_module(self.package, level, qualified[level:])

    def instance_class(self, name: str, scopes: Sequence[ScopeNode]) -> tuple[cst.ClassDef, Sequence[ScopeNode]] | None:
        """The class whose instance `name` is, when `name` is the first parameter of a method
        (`self`) and nothing rebinds it; with the scopes enclosing the class (where its bases
        are evaluated)."""
        found = self.lookup(name, scopes)
        if found is None or len(found[0]) != 1 or found[0][0].kind != "param":
            return None
        index = found[1]
        method, owner = scopes[index], scopes[index + 1] if index + 1 < len(scopes) else None
        if not isinstance(method, cst.FunctionDef) or not isinstance(owner, cst.ClassDef):
            return None
        positional = [*method.params.posonly_params, *method.params.params]
        if not positional or positional[0].name.value != name:
            return None
        for decorator in method.decorators:
            # Decorators are evaluated in the class body's scope.
            if self.qualified_name(decorator.decorator, scopes[index + 1 :]) in ("builtins.staticmethod", "builtins.classmethod"):
                return None
        return owner, scopes[index + 2 :]

    def definition(self, expr: cst.BaseExpression, scopes: Sequence[ScopeNode]) -> cst.FunctionDef | cst.ClassDef | None:
        """The def or class statement a plain name is bound to, when that is its only binding."""
        if not isinstance(expr, cst.Name):
            return None
        found = self.lookup(expr.value, scopes)
        if found is None or len(found[0]) != 1:
            return None
        return found[0][0].definition

    def type_of(self, expr: cst.BaseExpression, scopes: Sequence[ScopeNode]) -> str | None:
        """The qualified class name of what `expr` holds, when every binding agrees on it."""
        if isinstance(expr, cst.Call):
            callee = self.fact_callee(expr, scopes)
            if callee is None:
                return None
            return SYNC_CALL_RESULT_TYPES.get(callee) or _single(known_apis.call_result(callee)) or callee
        if isinstance(expr, cst.Attribute):
            if self.instance_attribute_type is None:
                return None
            return self.instance_attribute_type(expr, scopes)
        if not isinstance(expr, cst.Name):
            return None
        found = self.lookup(expr.value, scopes)
        if found is None:
            return None
        bindings, index = found
        # `x = x.strip()` defines x from itself: a fact cannot come from that cycle.
        key = (expr.value, id(scopes[index]))
        if key in self._typing_in_progress:
            return None
        self._typing_in_progress.add(key)
        try:
            types = {self._binding_type(binding, scopes[index:], expr.value) for binding in bindings}
        finally:
            self._typing_in_progress.discard(key)
        if len(types) == 1:
            return types.pop()
        return None

    def fact_callee(self, call: cst.Call, scopes: Sequence[ScopeNode]) -> str | None:
        """`asyncpg.Pool.acquire` for `pool.acquire()` when `pool` has a type fact, else the callee."""
        func = call.func
        if isinstance(func, cst.Attribute):
            receiver = self.type_of(func.value, scopes)
            if receiver is not None:
                return f"{known_apis.canonical_type(receiver)}.{func.attr.value}"
        return self.qualified_name(func, scopes)

    def _binding_type(self, binding: Binding, scopes: Sequence[ScopeNode], name: str) -> str | None:
        if binding.annotation is not None:
            return self._annotation_type(binding.annotation, scopes)
        if binding.kind == "param" and self.parameter_type is not None:
            return self.parameter_type(scopes[0], name)
        value = binding.value
        if binding.kind == "unpack" and binding.position is not None:
            return self._unpacked_type(value, binding.position, scopes)
        if binding.kind == "assign" and isinstance(value, cst.Await) and isinstance(value.expression, cst.Call):
            callee = self.fact_callee(value.expression, scopes)
            return _single(known_apis.awaited_result(callee)) if callee else None
        if binding.kind == "with" and binding.is_async and isinstance(value, cst.Call):
            callee = self.fact_callee(value, scopes)
            entered = _single(known_apis.entered_result(callee)) if callee else None
            return entered or self.type_of(value, scopes)
        if binding.kind in ("assign", "with") and isinstance(value, cst.Call):
            return self.type_of(value, scopes)
        return None

    def _unpacked_type(self, value: cst.BaseExpression | None, position: int, scopes: Sequence[ScopeNode]) -> str | None:
        awaited = isinstance(value, cst.Await)
        call = value.expression if isinstance(value, cst.Await) else value
        if not isinstance(call, cst.Call):
            return None
        callee = self.fact_callee(call, scopes)
        if callee is None:
            return None
        fact = known_apis.awaited_result(callee) if awaited else known_apis.call_result(callee)
        if isinstance(fact, tuple) and position < len(fact):
            return fact[position]
        return None

    def _annotation_type(self, annotation: cst.BaseExpression, scopes: Sequence[ScopeNode]) -> str | None:
        annotation = _strip_optional(annotation, lambda expr: self.qualified_name(expr, scopes, typing=True))
        if annotation is None:
            return None
        if isinstance(annotation, cst.Subscript):
            annotation = annotation.value
        qualified = self.qualified_name(annotation, scopes, typing=True)
        if qualified is None or qualified.startswith("builtins."):
            return None
        return qualified

    def is_bound_anywhere(self, name: str, scopes: Sequence[ScopeNode]) -> bool:
        return self.lookup(name, scopes) is not None
