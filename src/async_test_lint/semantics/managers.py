"""What the `with` / `async with` items around a statement are: deadlines, transactions, locks, ...

The walk keeps the `with` statements whose body it is in (`FileContext.managers`, innermost
last); an item is classified only when a rule asks, once per `with`. Callees are resolved through
imports (`asyncio.timeout`, `transaction.atomic` after `from django.db import transaction`) and
receivers through type facts (`conn.transaction()` where `conn = await asyncpg.connect(...)`),
never by spelling. An item whose callee or receiver type is unknown is `other`: precision first.

Which statements a `with` is around: the statements of its body, and those of the comprehensions
in them (a list, set or dict comprehension runs in place; a generator expression may run after
the `with` has exited, which a rule that cares can see from `context.frames`). The body of a
nested `def` or `lambda` runs elsewhere, whenever it is called, so it starts with no managers; so
does a class body, whose names are not the enclosing function's (its methods are defs anyway).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import libcst as cst

from async_test_lint.knowledge import known_apis
from async_test_lint.semantics.callees import receiver_type_of
from async_test_lint.syntax.names import ScopeNode

if TYPE_CHECKING:
    from async_test_lint.semantics.context import FileContext

ManagerKind = Literal["deadline", "transaction", "lock", "pipeline", "expectation", "other"]

# What the item's call is (`with CALLEE(...)`), by the callee's qualified name; a method is
# `<receiver type>.<method>`, the type as known_apis.canonical_type spells it.
CALLEE_KINDS: dict[str, ManagerKind] = {
    **dict.fromkeys(
        (
            "asyncio.timeout",
            "asyncio.timeout_at",
            "asyncio.timeouts.timeout",
            "asyncio.timeouts.timeout_at",
            "async_timeout.timeout",
            "async_timeout.timeout_at",
            "anyio.fail_after",
            "anyio.move_on_after",
            "trio.fail_after",
            "trio.move_on_after",
            "trio.fail_at",
            "trio.move_on_at",
        ),
        "deadline",
    ),
    **dict.fromkeys(
        (
            "asyncpg.Connection.transaction",
            "psycopg.AsyncConnection.transaction",
            "psycopg.Connection.transaction",
            "sqlalchemy.ext.asyncio.AsyncSession.begin",
            "sqlalchemy.ext.asyncio.AsyncSession.begin_nested",
            "sqlalchemy.ext.asyncio.AsyncConnection.begin",
            "sqlalchemy.ext.asyncio.AsyncConnection.begin_nested",
            "sqlalchemy.ext.asyncio.AsyncEngine.begin",
            "sqlalchemy.ext.asyncio.async_sessionmaker.begin",
            "sqlalchemy.orm.Session.begin",
            "sqlalchemy.orm.Session.begin_nested",
            "sqlalchemy.orm.sessionmaker.begin",
            "sqlalchemy.engine.Engine.begin",
            "sqlalchemy.engine.Connection.begin",
            "sqlalchemy.engine.Connection.begin_nested",
            "django.db.transaction.atomic",
            "tortoise.transactions.in_transaction",
            "databases.Database.transaction",
            "databases.core.Connection.transaction",
        ),
        "transaction",
    ),
    **dict.fromkeys(
        (
            "redis.asyncio.Redis.pipeline",
            "redis.asyncio.RedisCluster.pipeline",
            "redis.Redis.pipeline",
            "redis.StrictRedis.pipeline",
            "redis.client.Redis.pipeline",
        ),
        "pipeline",
    ),
    **dict.fromkeys(("pytest.raises", "pytest.warns", "contextlib.suppress"), "expectation"),
}

# What the entered object is (`async with lock:`, `async with tr:` after `tr = conn.transaction()`),
# by its type fact.
TYPE_KINDS: dict[str, ManagerKind] = {
    **dict.fromkeys(
        (
            "asyncio.Lock",
            "asyncio.Semaphore",
            "asyncio.BoundedSemaphore",
            "asyncio.Condition",
            "anyio.Lock",
            "anyio.Semaphore",
            "anyio.Condition",
            "trio.Lock",
            "trio.StrictFIFOLock",
            "trio.Semaphore",
            "trio.Condition",
        ),
        "lock",
    ),
    **dict.fromkeys(("asyncpg.transaction.Transaction", "databases.core.Transaction"), "transaction"),
    "redis.asyncio.client.Pipeline": "pipeline",
}

# unittest's expectation methods, called on the test case itself (`self.assertRaises(E)`).
UNITTEST_EXPECTATIONS = frozenset({"assertRaises", "assertRaisesRegex", "assertWarns", "assertWarnsRegex"})
UNITTEST_CASE = "unittest.TestCase"
# The last names of the expectation callees: a call named otherwise cannot be one, and is not
# worth resolving (a rule asks about every call).
_EXPECTATION_WORDS = frozenset(
    {name.rpartition(".")[2] for name, kind in CALLEE_KINDS.items() if kind == "expectation"} | UNITTEST_EXPECTATIONS
)


@dataclass(frozen=True)
class ManagerItem:
    """One item of a `with` around the statement being visited."""

    kind: ManagerKind
    qualified_name: str | None  # the callee (or, for an entered object, its type); None: unknown
    node: cst.WithItem
    is_async: bool
    statement: cst.With  # the `with` the item belongs to


def classify(context: FileContext, expr: cst.BaseExpression, scopes: Sequence[ScopeNode]) -> tuple[ManagerKind, str | None]:
    """The kind of a manager expression as seen from `scopes`, and the name that decided it.

    Also answers for a call that is not a `with` item: `pytest.raises(E, f)` is an expectation.
    """
    if isinstance(expr, cst.Call):
        callee = _callee(context, expr.func, scopes)
        if callee is not None and callee in CALLEE_KINDS:
            return CALLEE_KINDS[callee], callee
        unittest = _unittest_expectation(context, expr.func, scopes)
        if unittest is not None:
            return "expectation", unittest
        # `async with asyncio.Lock():` enters the constructed object.
        entered = context.names.type_of(expr, scopes)
        entered = known_apis.canonical_type(entered) if entered else None
        if entered in TYPE_KINDS:
            return TYPE_KINDS[entered], entered
        return "other", callee
    entered = _receiver_type(context, expr, scopes)
    if entered is not None and entered in TYPE_KINDS:
        return TYPE_KINDS[entered], entered
    return "other", entered


def may_be_expectation(call: cst.Call) -> bool:
    """A cheap test before `classify`: whether the callee's last name is an expectation's."""
    func = call.func
    name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
    return name in _EXPECTATION_WORDS


def items_of(context: FileContext, statement: cst.With, scopes: Sequence[ScopeNode]) -> tuple[ManagerItem, ...]:
    is_async = statement.asynchronous is not None
    return tuple(
        ManagerItem(*classify(context, item.item, scopes), node=item, is_async=is_async, statement=statement)
        for item in statement.items
    )


def _callee(context: FileContext, func: cst.BaseExpression, scopes: Sequence[ScopeNode]) -> str | None:
    """`asyncpg.Connection.transaction` for `conn.transaction` when `conn` has a type fact, else the
    qualified name (`asyncio.timeout`)."""
    if isinstance(func, cst.Attribute):
        receiver = _receiver_type(context, func.value, scopes)
        if receiver is not None:
            return f"{receiver}.{func.attr.value}"
    return context.names.qualified_name(func, scopes)


def _receiver_type(context: FileContext, expr: cst.BaseExpression, scopes: Sequence[ScopeNode]) -> str | None:
    if isinstance(expr, cst.Attribute):
        # `self.lock` set up in `__init__`/`setUp`: the class is the walk's, as are the frames.
        return receiver_type_of(context, expr)
    found = context.names.type_of(expr, scopes)
    return known_apis.canonical_type(found) if found else None


def _unittest_expectation(context: FileContext, func: cst.BaseExpression, scopes: Sequence[ScopeNode]) -> str | None:
    """`unittest.TestCase.assertRaises` for `self.assertRaises`, where `self` is the instance of the
    enclosing class (a method's first parameter). The class need not derive from TestCase here:
    mixins hold such tests, and the method names are unittest's own."""
    if not (
        isinstance(func, cst.Attribute)
        and func.attr.value in UNITTEST_EXPECTATIONS
        and isinstance(func.value, cst.Name)
        and context.names.instance_class(func.value.value, scopes) is not None
    ):
        return None
    return f"{UNITTEST_CASE}.{func.attr.value}"


def shown_name(expr: cst.BaseExpression, qualified_name: str | None) -> str | None:
    """How a message names a manager: its qualified name, or `self.assertRaises` as written."""
    if (
        qualified_name is not None
        and qualified_name.startswith(f"{UNITTEST_CASE}.")
        and isinstance(expr, cst.Call)
        and isinstance(expr.func, cst.Attribute)
        and isinstance(expr.func.value, cst.Name)
    ):
        return f"{expr.func.value.value}.{expr.func.attr.value}"
    return qualified_name
