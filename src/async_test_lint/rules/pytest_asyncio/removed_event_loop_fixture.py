"""ATL704: pytest-asyncio's `event_loop` fixture, removed in 1.0: requested or overridden."""

from __future__ import annotations

import libcst as cst

from async_test_lint.knowledge.plugin_facts import FixtureInfo
from async_test_lint.model.kinds import FrameKind
from async_test_lint.model.rule import Rule
from async_test_lint.rules.pytest_asyncio.async_fixture_without_asyncio_decorator import enclosing_frame, fixture_name
from async_test_lint.semantics.context import Frame

EVENT_LOOP = "event_loop"
DISABLED = "disabled"
INSTEAD = (
    "use `loop_scope=` on the asyncio mark or fixture for a shared loop, `asyncio.get_running_loop()` "
    "inside the coroutine, or the `event_loop_policy` fixture to change the policy"
)


class RemovedEventLoopFixture(Rule):
    """## What it does
    Flags pytest-asyncio's `event_loop` fixture: a test or fixture that requests it as a
    parameter, and a fixture named `event_loop` defined in a test module or `conftest.py` (the
    override pytest-asyncio < 1.0 documented for a custom or wider-scoped loop).

    ## Why is this bad?
    pytest-asyncio 1.0 removed the fixture (deprecated since 0.22). A test requesting it errors at
    setup with `fixture 'event_loop' not found`. An override is worse: pytest-asyncio 1.x ignores
    it, so the async tests requesting it get a loop that is not the one they run on (`asyncio.
    get_running_loop() is event_loop` is False), and whatever the override configured (a
    session-wide loop, a policy, uvloop) silently no longer applies.

    ## Example
    ```python
    @pytest.fixture(scope="session")
    def event_loop():
        loop = asyncio.new_event_loop()
        yield loop
        loop.close()

    @pytest.mark.asyncio
    async def test_server(event_loop):
        server = await event_loop.create_server(Handler, port=0)
    ```

    Use instead:
    ```python
    @pytest.mark.asyncio(loop_scope="session")
    async def test_server():
        server = await asyncio.get_running_loop().create_server(Handler, port=0)
    ```

    ## Fix safety
    No fix: which replacement fits depends on what the loop was for. A wider loop becomes
    `loop_scope="session"` (or `"module"`) on the asyncio mark and on the async fixtures sharing
    it; a use of the loop inside a coroutine becomes `asyncio.get_running_loop()`; a custom loop
    policy becomes an override of the `event_loop_policy` fixture (or, in pytest-asyncio >= 1.4,
    the `pytest_asyncio_loop_factories` hook); a sync fixture doing
    `event_loop.run_until_complete(...)` becomes an async fixture.

    ## Known problems
    The installed pytest-asyncio version is not known to a static linter: the rule assumes 1.0 or
    later, as most projects now pin. On pytest-asyncio 0.2x the request is only deprecated: silence
    the rule there (`ignore = ["ATL704"]`). A parameter `event_loop` that resolves to a fixture
    the project defines itself is not flagged (that definition is, when it is in a test module or
    `conftest.py`); one defined elsewhere (a plugin module of the project) is not flagged at all.
    A project that does not use pytest-asyncio and names a fixture of its own `event_loop` is
    flagged wrongly. Requests through `@pytest.mark.usefixtures("event_loop")` or
    `request.getfixturevalue("event_loop")` are not seen. Nothing is flagged when pytest-asyncio
    is disabled (`-p no:asyncio`).
    """

    code = "ATL704"
    name = "removed-event-loop-fixture"
    message = "the `event_loop` fixture was removed in pytest-asyncio 1.0 ({what}); " + INSTEAD
    REQUESTED = "requesting it errors with `fixture 'event_loop' not found`"
    OVERRIDDEN = "this override is ignored: tests run on another loop"

    @classmethod
    def trigger_words(cls, settings: object) -> frozenset[str]:
        return frozenset({EVENT_LOOP})

    def enter_scope(self, frame: Frame) -> None:
        context = self.context
        if frame.kind != FrameKind.FUNCTION or not (frame.is_test or frame.is_fixture):
            return
        if context.pytest.asyncio_mode == DISABLED:
            return
        function = frame.node
        assert isinstance(function, cst.FunctionDef)
        enclosing = enclosing_frame(context, frame)
        if enclosing is None or enclosing.is_unittest_class:
            return
        if frame.is_fixture and context.is_test_file and fixture_name(function) == EVENT_LOOP:
            self.report(function.name, self.message.format(what=self.OVERRIDDEN))
        params = function.params
        for param in (*params.params, *params.kwonly_params):
            if param.name.value != EVENT_LOOP:
                continue
            found = context.resolve_fixture(function, EVENT_LOOP)
            # Only pytest-asyncio's own (the plugin table marks it removed); a project's own
            # `event_loop`, or one that cannot be read, is not this finding.
            if isinstance(found, FixtureInfo) and found.removed_in is not None and found.package == "pytest-asyncio":
                self.report(param.name, self.message.format(what=self.REQUESTED))

