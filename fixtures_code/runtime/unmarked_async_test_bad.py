"""ATL701 at run time: strict mode skips the unmarked async test, so its false assertion never fails."""


async def test_false_assertion_never_runs():
    assert 1 == 2, "the body ran"
