"""ATL701 fixed (`fix --unsafe-fixes` of unmarked_async_test_bad.py): the body runs and fails."""

import pytest


@pytest.mark.asyncio
async def test_false_assertion_never_runs():
    assert 1 == 2, "the body ran"
