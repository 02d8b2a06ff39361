"""What calling something returns: a coroutine, an async generator, an awaitable, or a plain value.

A call is resolved only with confidence: a def in this file or in the project index (through
imports, aliases and re-exports), a method of the enclosing class or its project bases, a known
async API (by qualified name, or by method on a receiver with a type fact), or an `AsyncMock`.
Anything else resolves to nothing, and the rules stay silent.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from async_test_lint.knowledge import known_apis
from async_test_lint.model.kinds import CallKind
from async_test_lint.project.index import ClassInfo, DefInfo
from async_test_lint.semantics.calls import keyword_argument
from async_test_lint.semantics.context import FileContext
from async_test_lint.syntax.defs import DefShape, classify
from async_test_lint.syntax.names import Binding, dotted_name
from async_test_lint.syntax.usages import contains_yield, own_returns

ASYNC_MOCK_TYPES = frozenset({"unittest.mock.AsyncMock", "mock.AsyncMock"})
AUTOSPEC = frozenset({"unittest.mock.create_autospec", "mock.create_autospec"})
SPEC_MOCKS = frozenset({"unittest.mock.Mock", "unittest.mock.MagicMock", "mock.Mock", "mock.MagicMock"})
PATCHERS = frozenset({"unittest.mock.patch", "unittest.mock.patch.object", "mock.patch", "mock.patch.object"})
# Attributes of a mock that are its own API, not children (calling them returns no coroutine).
MOCK_API = frozenset(
    {
        "assert_called", "assert_called_once", "assert_called_with", "assert_called_once_with",
        "assert_any_call", "assert_has_calls", "assert_not_called", "assert_awaited",
        "assert_awaited_once", "assert_awaited_with", "assert_awaited_once_with",
        "assert_any_await", "assert_has_awaits", "assert_not_awaited", "reset_mock",
        "configure_mock", "attach_mock", "mock_add_spec", "return_value", "side_effect",
        "call_args", "call_args_list", "call_count", "called", "mock_calls", "method_calls",
        "await_count", "await_args", "await_args_list", "awaited",
    }
)
# What a caller must do with the result of each kind of callee.
AWAITABLE_KINDS = frozenset(
    {CallKind.COROUTINE, CallKind.AWAITABLE, CallKind.FUTURE, CallKind.ASYNC_GEN, CallKind.ASYNC_CM}
)


def _known(callee: str, kind: CallKind | None) -> CallKind | None:
    """The table's kind, with `future` for helpers whose future already runs (`gather`)."""
    if kind is not None and known_apis.returns_running_future(callee):
        return CallKind.FUTURE
    return kind


@dataclass(frozen=True)
class Callee:
    """A resolved callee. `kind` is coroutine, awaitable, async_gen, async_cm, syncified, sync,
    class or unknown; `name` is how messages show it; `certain` says the call certainly returns a
    coroutine (a coroutine function or an AsyncMock), which is what makes adding `await` safe."""

    kind: CallKind
    name: str
    # The kind comes from the known async API table (introspected), not from reading a def.
    from_table: bool = False

    @property
    def certain(self) -> bool:
        return self.kind == CallKind.COROUTINE


def resolve_call(context: FileContext, call: cst.Call) -> Callee | None:
    """What calling `call.func` returns."""
    return resolve_callable(context, call.func)


def resolve_callable(context: FileContext, func: cst.BaseExpression) -> Callee | None:
    """What calling the function `func` refers to returns (`func` need not be called here)."""
    shown = dotted_name(func) or cst.Module(body=[]).code_for_node(func)
    if isinstance(func, cst.Name):
        return _resolve_name(context, func, shown)
    if isinstance(func, cst.Attribute):
        return _resolve_attribute(context, func, shown)
    return None


def _resolve_name(context: FileContext, func: cst.Name, shown: str) -> Callee | None:
    definition = context.names.definition(func, context.scopes)
    if isinstance(definition, cst.FunctionDef):
        return Callee(_kind_of_node(context, definition), shown)
    if isinstance(definition, cst.ClassDef):
        return Callee(CallKind.CLASS, shown)
    if _is_async_mock(context, func):
        return Callee(CallKind.COROUTINE, shown)
    qualified = context.qualified_name(func)
    return _resolve_qualified(context, qualified, shown) if qualified else None


def _resolve_attribute(context: FileContext, func: cst.Attribute, shown: str) -> Callee | None:
    method = func.attr.value
    receiver = func.value
    if _is_async_mock(context, receiver) and method not in MOCK_API:
        return Callee(CallKind.COROUTINE, shown)
    own_class = _own_class_method(context, receiver, method)
    if own_class is not None:
        return Callee(own_class, shown)
    qualified = context.qualified_name(func)
    if qualified is not None:
        found = _resolve_qualified(context, qualified, shown)
        if found is not None:
            return found
    receiver_type = receiver_type_of(context, receiver)
    if receiver_type is None:
        return None
    kind = _known(f"{receiver_type}.{method}", known_apis.method_kind(receiver_type, method))
    if kind is not None:
        return Callee(kind, shown, from_table=True)
    return _project_method(context, receiver_type, method, shown)


def _resolve_qualified(context: FileContext, qualified: str, shown: str) -> Callee | None:
    kind = _known(qualified, known_apis.function_kind(qualified))
    if kind is not None:
        return Callee(kind, shown, from_table=True)
    if context.project is None:
        return None
    found = context.project.lookup(qualified)
    if isinstance(found, DefInfo):
        return Callee(found.kind, shown)
    if isinstance(found, ClassInfo):
        return Callee(CallKind.CLASS, shown)
    return None


def _project_method(context: FileContext, type_name: str, method: str, shown: str) -> Callee | None:
    own = _same_file_class(context, type_name)
    if own is not None:
        node = _method_in_body(own, method)
        kind = _kind_of_node(context, node) if node is not None else _method_in_bases(context, own, method)
        return Callee(kind, shown) if kind is not None else None
    if context.project is None:
        return None
    cls = context.project.lookup(type_name)
    if isinstance(cls, ClassInfo):
        found = context.project.method(cls, method)
        if found is not None:
            return Callee(found.kind, shown)
    return None


def _same_file_class(context: FileContext, type_name: str) -> cst.ClassDef | None:
    """The class statement of this file that `type_name` (`<this module>.Repo`) names."""
    prefix = f"{context.module_name}."
    if not context.module_name or not type_name.startswith(prefix) or "." in type_name[len(prefix):]:
        return None
    bindings = context.names.bindings(context.module).names.get(type_name[len(prefix):], [])
    if len(bindings) == 1 and isinstance(bindings[0].definition, cst.ClassDef):
        return bindings[0].definition
    return None


def _kind_of_node(context: FileContext, node: cst.FunctionDef) -> CallKind:
    key = ("def-kind", id(node))
    entry = context.memo.get(key)
    if entry is not None and entry[0] is node:  # type: ignore[index]
        return entry[1]  # type: ignore[index, no-any-return]
    context.memo[key] = (node, CallKind.SYNC)  # a def returning a call to itself is not awaitable-returning
    kind = _classify_node(context, node)
    context.memo[key] = (node, kind)
    return kind


def _classify_node(context: FileContext, node: cst.FunctionDef) -> CallKind:
    decorators = []
    for decorator in node.decorators:
        expr = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
        decorators.append(context.qualified_name(expr) or "?")
    shape = DefShape(
        is_async=node.asynchronous is not None,
        has_yield=contains_yield(node),
        decorators=tuple(decorators),
        async_preserving=_project_decorators(context, decorators, "preserves_async"),
        pass_through=_project_decorators(context, decorators, "passes_through"),
    )
    kind = classify(shape)[0]
    if kind == CallKind.SYNC and _returns_only_coroutines(context, node):
        return CallKind.AWAITABLE
    return kind


def _returns_only_coroutines(context: FileContext, node: cst.FunctionDef) -> bool:
    """A sync def whose every `return` hands back a coroutine call (a wrapper or factory)."""
    values = [statement.value for statement in own_returns(node)]
    return bool(values) and all(
        isinstance(value, cst.Call)
        and (callee := resolve_callable(context, value.func)) is not None
        and callee.kind == CallKind.COROUTINE
        for value in values
    )


def _project_decorators(context: FileContext, decorators: list[str], proven: str) -> frozenset[str]:
    """The decorators (of the project) whose wrapper has the property `proven`."""
    if context.project is None:
        return frozenset()
    kept = set()
    for name in decorators:
        found = context.project.lookup(name) if name != "?" else None
        if isinstance(found, DefInfo) and getattr(found, proven):
            kept.add(name)
    return frozenset(kept)


# --- methods of the enclosing class ---------------------------------------------------------


def _enclosing_class(context: FileContext) -> cst.ClassDef | None:
    """The class whose method the walk is in (`self`/`cls` refer to it)."""
    frames = context.frames
    for index in range(len(frames) - 1, 0, -1):
        if frames[index].kind == "function" and frames[index - 1].kind == "class":
            node = frames[index - 1].node
            return node if isinstance(node, cst.ClassDef) else None
    return None


def _own_class_method(context: FileContext, receiver: cst.BaseExpression, method: str) -> str | None:
    """The kind of `self.method` / `cls.method` / `super().method` in the enclosing class."""
    is_self = isinstance(receiver, cst.Name) and receiver.value in ("self", "cls")
    is_super = (
        isinstance(receiver, cst.Call) and isinstance(receiver.func, cst.Name) and receiver.func.value == "super"
    )
    if not (is_self or is_super):
        return None
    cls = _enclosing_class(context)
    if cls is None:
        return None
    if is_self:
        own = _method_in_body(cls, method)
        if own is not None:
            return _kind_of_node(context, own)
    return _method_in_bases(context, cls, method)


def _method_in_body(cls: cst.ClassDef, method: str) -> cst.FunctionDef | None:
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    for statement in body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == method:
            return statement
    return None


def _method_in_bases(context: FileContext, cls: cst.ClassDef, method: str) -> str | None:
    scopes = context.scopes
    for base in cls.bases:
        if base.keyword is not None:
            continue
        definition = context.names.definition(base.value, scopes)
        if isinstance(definition, cst.ClassDef):
            own = _method_in_body(definition, method)
            if own is not None:
                return _kind_of_node(context, own)
            continue
        qualified = context.names.qualified_name(base.value, scopes)
        if qualified is None or context.project is None:
            continue
        found = context.project.lookup(qualified)
        if isinstance(found, ClassInfo):
            info = context.project.method(found, method)
            if info is not None:
                return info.kind
    return None


# --- receivers ------------------------------------------------------------------------------


def receiver_type_of(context: FileContext, receiver: cst.BaseExpression) -> str | None:
    """The canonical class of a receiver: a type fact, or a `self.x` set up in the class."""
    found = context.type_of(receiver)
    if found is None and isinstance(receiver, cst.Attribute):
        found = _self_attribute_type(context, receiver)
    return known_apis.canonical_type(found) if found else None


def _self_attribute_type(context: FileContext, receiver: cst.Attribute) -> str | None:
    if not (isinstance(receiver.value, cst.Name) and receiver.value.value == "self"):
        return None
    cls = _enclosing_class(context)
    if cls is None:
        return None
    attribute = receiver.attr.value
    methods = [_method_in_body(cls, name) for name in ("__init__", "setUp", "asyncSetUp")]
    methods.append(_current_method(context))
    for method in methods:
        if method is not None:
            found = _assigned_self_attribute(context, [method, cls, context.module], method, attribute)
            if found is not None:
                return found
    return None


def _current_method(context: FileContext) -> cst.FunctionDef | None:
    frames = context.frames
    for index in range(len(frames) - 1, 0, -1):
        if frames[index].kind == "function" and frames[index - 1].kind == "class":
            node = frames[index].node
            return node if isinstance(node, cst.FunctionDef) else None
    return None


def _assigned_self_attribute(
    context: FileContext, scopes: list, method: cst.FunctionDef, attribute: str
) -> str | None:
    body = method.body.body if isinstance(method.body, cst.IndentedBlock) else ()
    for statement in body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign) and isinstance(small.value, cst.Call):
                for target in small.targets:
                    node = target.target
                    if (
                        isinstance(node, cst.Attribute)
                        and isinstance(node.value, cst.Name)
                        and node.value.value == "self"
                        and node.attr.value == attribute
                    ):
                        return context.names.type_of(small.value, scopes)
    return None


def _is_async_mock(context: FileContext, expr: cst.BaseExpression) -> bool:
    """An AsyncMock, or a child attribute of one (children of an AsyncMock are AsyncMocks)."""
    while isinstance(expr, cst.Attribute):
        if expr.attr.value in MOCK_API:
            return False
        expr = expr.value
    if context.type_of(expr) in ASYNC_MOCK_TYPES:
        return True
    if not isinstance(expr, cst.Name):
        return False
    found = context.names.lookup(expr.value, context.scopes)
    if found is None:
        return False
    bindings, index = found
    return all(_binding_makes_async_mock(context, binding, expr.value, context.scopes[index]) for binding in bindings)


def _binding_makes_async_mock(context: FileContext, binding: Binding, name: str, scope: object) -> bool:
    """What CPython's mock does: `create_autospec(coro_fn)`, `Mock(spec=coro_fn)` and
    `patch(target)` of a coroutine function (without `new`) all give an AsyncMock."""
    value = binding.value
    if binding.kind == "param" and isinstance(scope, cst.FunctionDef):
        value = _patch_decorator_for(scope, name)
    if not isinstance(value, cst.Call):
        return False
    target = context.qualified_name(value.func)
    if target in AUTOSPEC:
        return bool(value.args) and _is_coroutine_function(context, value.args[0].value)
    if target in SPEC_MOCKS:
        spec = keyword_argument(value, "spec") or keyword_argument(value, "spec_set")
        return spec is not None and _is_coroutine_function(context, spec.value)
    if target in PATCHERS or _is_mocker_patch(context, value.func):
        return _patch_gives_async_mock(context, value, target)
    return False


def _is_mocker_patch(context: FileContext, func: cst.BaseExpression) -> bool:
    """`mocker.patch(...)`/`mocker.patch.object(...)` with pytest-mock's `mocker` fixture."""
    while isinstance(func, cst.Attribute) and func.attr.value in ("patch", "object"):
        func = func.value
    if not (isinstance(func, cst.Name) and func.value == "mocker"):
        return False
    found = context.names.lookup("mocker", context.scopes)
    return found is not None and all(b.kind == "param" for b in found[0])


def _patch_gives_async_mock(context: FileContext, patch: cst.Call, target: str | None) -> bool:
    new_callable = keyword_argument(patch, "new_callable")
    if new_callable is not None:
        return context.qualified_name(new_callable.value) in ASYNC_MOCK_TYPES
    if keyword_argument(patch, "new") is not None:
        return False
    positional = [arg for arg in patch.args if arg.keyword is None and not arg.star]
    is_object = (target or "").endswith(".object") or (
        isinstance(patch.func, cst.Attribute) and patch.func.attr.value == "object"
    )
    if is_object:
        if len(positional) < 2 or len(positional) > 2:
            return False
        owner, attribute = positional[0].value, positional[1].value
        if not isinstance(attribute, cst.SimpleString):
            return False
        method = attribute.evaluated_value
        return isinstance(method, str) and _is_coroutine_function(context, cst.Attribute(owner, cst.Name(method)))
    if len(positional) != 1 or not isinstance(positional[0].value, cst.SimpleString):
        return False
    dotted = positional[0].value.evaluated_value
    if not isinstance(dotted, str):
        return False
    return _qualified_is_coroutine(context, dotted)


def _is_coroutine_function(context: FileContext, expr: cst.BaseExpression) -> bool:
    callee = resolve_callable(context, expr)
    return callee is not None and callee.kind == CallKind.COROUTINE


def _qualified_is_coroutine(context: FileContext, dotted: str) -> bool:
    found = _resolve_qualified(context, dotted, dotted)
    return found is not None and found.kind == CallKind.COROUTINE


def _injects_a_mock(decorator: cst.Call) -> bool:
    """`@patch("x")` and `@patch.object(C, "m")` inject a mock; with `new=` they do not."""
    name = dotted_name(decorator.func) or ""
    if name.split(".")[-1] not in ("patch", "object") or keyword_argument(decorator, "new") is not None:
        return False
    positional = [arg for arg in decorator.args if arg.keyword is None]
    return len(positional) <= (2 if name.endswith("object") else 1)


def _patch_decorator_for(function: cst.FunctionDef, name: str) -> cst.Call | None:
    """The `@patch(...)` decorator that injects parameter `name` (bottom decorator first; after
    `self` for methods, before the fixtures for pytest)."""
    injecting = [
        d.decorator
        for d in reversed(function.decorators)
        if isinstance(d.decorator, cst.Call) and _injects_a_mock(d.decorator)
    ]
    params = [p.name.value for p in function.params.params]
    if params and params[0] in ("self", "cls"):
        params = params[1:]
    if name not in params:
        return None
    position = params.index(name)
    return injecting[position] if position < len(injecting) else None
