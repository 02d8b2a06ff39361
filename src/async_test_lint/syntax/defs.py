"""What calling a def returns, decided from its shape: async or not, yields or not, decorators.

Shared by the project index (which reads other files with `ast`) and the rules (which read the
linted file with libcst), so both classify a def the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from async_test_lint.model.kinds import CallKind

# Decorators that leave a coroutine function a coroutine function.
TRANSPARENT_DECORATORS = frozenset(
    {
        "builtins.staticmethod",
        "builtins.classmethod",
        "builtins.property",
        "abc.abstractmethod",
        "typing.override",
        "typing_extensions.override",
        "functools.cache",
        "functools.lru_cache",
        "functools.wraps",
        "tenacity.retry",
        "backoff.on_exception",
        "backoff.on_predicate",
        "unittest.mock.patch",
        "unittest.mock.patch.object",
        "unittest.mock.patch.dict",
        "unittest.mock.patch.multiple",
        "mock.patch",
        "mock.patch.object",
        "staticmethod",
        "classmethod",
        "property",
    }
)
TRANSPARENT_PREFIXES = ("pytest.mark.",)
ASYNC_CONTEXT_MANAGER_DECORATORS = frozenset({"contextlib.asynccontextmanager"})
SYNCIFYING_DECORATORS = frozenset({"asgiref.sync.async_to_sync", "asgiref.sync.AsyncToSync"})
FIXTURE_DECORATORS = frozenset({"pytest.fixture", "pytest_asyncio.fixture"})


@dataclass(frozen=True)
class DefShape:
    is_async: bool
    has_yield: bool
    # Qualified names of the decorators, outermost first ("?" where unresolvable).
    decorators: tuple[str, ...] = ()
    # Decorators defined in the project that were proven to keep a coroutine function async.
    async_preserving: frozenset[str] = frozenset()
    # Project decorators whose sync wrapper returns the wrapped call: the result is a coroutine
    # handed through a plain def (an awaitable-returning function).
    pass_through: frozenset[str] = frozenset()


def classify(shape: DefShape) -> tuple[CallKind, bool]:
    """(kind, is_fixture): coroutine, awaitable, async_gen, async_cm, syncified, sync or unknown."""
    is_fixture = any(d in FIXTURE_DECORATORS for d in shape.decorators)
    if shape.is_async:
        kind = CallKind.ASYNC_GEN if shape.has_yield else CallKind.COROUTINE
    else:
        kind = CallKind.SYNC
    for decorator in shape.decorators:
        if decorator in ASYNC_CONTEXT_MANAGER_DECORATORS:
            kind = CallKind.ASYNC_CM
        elif decorator in SYNCIFYING_DECORATORS:
            kind = CallKind.SYNCIFIED
        elif decorator in shape.pass_through:
            kind = CallKind.AWAITABLE if kind == CallKind.COROUTINE else kind
        elif decorator in FIXTURE_DECORATORS or _is_transparent(decorator, shape):
            continue
        else:
            return CallKind.UNKNOWN, is_fixture
    return kind, is_fixture


def _is_transparent(decorator: str, shape: DefShape) -> bool:
    return (
        decorator in TRANSPARENT_DECORATORS
        or decorator.startswith(TRANSPARENT_PREFIXES)
        or decorator in shape.async_preserving
    )
