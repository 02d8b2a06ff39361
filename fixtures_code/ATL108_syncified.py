# enable: ATL1
"""SYNCIFIED callees (B.5): `async_to_sync` turns a coroutine function into a sync one.

asgiref is not a test dependency of this project: without it the module is skipped at import and
is lint-only.
"""

import pytest

pytest.importorskip("asgiref")

from asgiref.sync import async_to_sync  # noqa: E402

SEEDED = []


async def notify(user):
    return f"notified {user}"


@async_to_sync
async def seed(rows):
    SEEDED.extend(rows)
    return len(rows)


def seed_defaults():
    # Sync code, not a test: a SYNCIFIED call is a plain call.
    return seed(["default"])


# --- flagged ----------------------------------------------------------------------------------


def test_the_undecorated_coroutine_function_is_still_reported():
    notify("ann")  # ATL108:5


# --- not flagged ------------------------------------------------------------------------------


def test_syncified_call():
    assert seed(["a", "b"]) == 2
    assert seed_defaults() == 1


def test_wrapped_at_the_call_site():
    assert async_to_sync(notify)("bob") == "notified bob"
