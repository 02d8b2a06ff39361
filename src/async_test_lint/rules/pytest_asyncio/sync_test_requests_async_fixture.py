"""ATL708: a sync test or sync fixture that requests an async fixture nothing runs."""

from __future__ import annotations

import libcst as cst

from async_test_lint.knowledge.plugin_facts import FixtureInfo
from async_test_lint.model.kinds import FrameKind
from async_test_lint.model.rule import Rule
from async_test_lint.project.index import ProjectIndex, is_opaque
from async_test_lint.rules.pytest_asyncio._shared import STRICT
from async_test_lint.rules.pytest_asyncio.async_fixture_without_asyncio_decorator import (
    ANYIO_BACKEND,
    PLAIN_FIXTURE,
    enclosing_frame,
    other_runner_evidence,
)
from async_test_lint.semantics.context import Frame


class SyncTestRequestsAsyncFixture(Rule):
    """## What it does
    Flags a parameter of a sync test or sync fixture that receives an `async def` fixture
    decorated with plain `@pytest.fixture`, in pytest-asyncio's strict mode. The fixture is found
    the way pytest finds it (the test's class, its module, the conftest.py files above it,
    `pytest_plugins` modules).

    ## Why is this bad?
    Nothing runs that fixture: pytest does not run coroutines, and strict mode leaves fixtures
    without `@pytest_asyncio.fixture` alone. With pytest 9 and pytest-asyncio 1.5 the test errors
    at setup (`'test_x' requested an async fixture 'db', with no plugin or hook that handled it`);
    with pytest 8 it received the coroutine or async generator object instead of the value, and
    went on testing that object (a truthy one: `assert db` passed).

    A sync test requesting an async fixture pytest-asyncio does run (`@pytest_asyncio.fixture`,
    or any async fixture in auto mode) is fine, and not flagged: pytest-asyncio 1.5 runs the
    fixture on its own loop and hands the sync test the value (checked under pytest 9.2).

    ## Example
    ```python
    import pytest

    @pytest.fixture
    async def user():
        return await create_user()

    def test_name(user):
        assert user.name
    ```

    Use instead:
    ```python
    import pytest_asyncio

    @pytest_asyncio.fixture
    async def user():
        return await create_user()

    def test_name(user):
        assert user.name
    ```

    ## Fix safety
    No fix here: the fix belongs to the fixture's definition, often in another file (ATL702
    flags it and offers `@pytest_asyncio.fixture`, unsafe). Making the test async does not help
    in strict mode: an asyncio test requesting that fixture errors the same way.

    ## Known problems
    Only the direct requester is flagged: a sync test whose sync fixture requests the async one
    is reported at that fixture's parameter. Files where another plugin may run async fixtures
    (anyio, trio or aiohttp signs, as ATL702 reads them), and tests whose fixtures include
    `anyio_backend`, are skipped. Fixtures of installed plugins are not judged (only the
    project's own). Requests through `usefixtures` or `request.getfixturevalue` are not seen.
    """

    code = "ATL708"
    name = "sync-test-requests-async-fixture"
    message = (
        "sync {what} requests async fixture `{fixture}`, which nothing runs in strict mode (a setup error "
        "since pytest 9); decorate it with `@pytest_asyncio.fixture`"
    )

    @classmethod
    def trigger_words(cls, settings: object) -> frozenset[str]:
        # An async fixture of this file, or one the project defines elsewhere, by name.
        return frozenset({"async"})

    @classmethod
    def project_trigger_words(cls, project: ProjectIndex) -> frozenset[str]:
        return frozenset(
            name for module in project.modules.values() for name, f in module.fixtures.items() if f.is_async
        )

    def enter_scope(self, frame: Frame) -> None:
        context = self.context
        if frame.kind != FrameKind.FUNCTION or frame.is_async or not (frame.is_test or frame.is_fixture):
            return
        if context.pytest.asyncio_mode != STRICT:
            return
        enclosing = enclosing_frame(context, frame)
        if enclosing is None or enclosing.is_unittest_class:
            return
        function = frame.node
        assert isinstance(function, cst.FunctionDef)
        params = function.params
        candidates = [p for p in (*params.params, *params.kwonly_params) if p.default is None]
        if not candidates:
            return
        found = [(p, context.resolve_fixture(function, p.name.value)) for p in candidates]
        unrun = [(p, f) for p, f in found if isinstance(f, FixtureInfo) and _not_run_in_strict_mode(f)]
        if not unrun or other_runner_evidence(context):
            return
        closure = context.fixture_closure(function)
        if closure is not None and ANYIO_BACKEND in closure.names:
            return
        what = "test" if frame.is_test else "fixture"
        for param, fixture in unrun:
            self.report(param.name, self.message.format(what=what, fixture=fixture.name))


def _not_run_in_strict_mode(fixture: FixtureInfo) -> bool:
    return fixture.is_async and fixture.decorator == PLAIN_FIXTURE and fixture.package is None and not is_opaque(fixture)
