# enable: ATL1
# Cross-module resolution. The project index must include fixtures_code/ as a root: pytest's default
# `prepend` import mode puts this file's directory on sys.path, which is how `_support` imports
# (rule_specs.md 0.3). `from _support import charge` resolves through the re-export in
# _support/__init__.py to `_support.billing.charge`.
from unittest.mock import patch

import pytest

import _support.billing as billing
from _support import charge, charge_later, currency, open_session, statements
from _support.billing import Ledger


class AuditedLedger(Ledger):
    async def flush(self):
        super().flush()  # ATL101:9
        return self.flushed


@pytest.fixture
def ledger() -> Ledger:
    return Ledger()


# --- flagged ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_functions_from_another_module():
    charge("acct", 5)  # ATL101:5
    billing.charge("acct", 5)  # ATL101:5
    charge_later("acct", 5)  # ATL101:5 AWAITABLE_RETURNING: reported, no safe fix
    open_session("acct")  # ATL101:5 ASYNC_CM_FN: reported, no safe fix (it needs `async with`)


@pytest.mark.asyncio
async def test_methods_of_a_class_from_another_module(ledger):
    ledger.flush()  # ATL101:5
    local = Ledger()
    local.flush()  # ATL101:5
    Ledger().flush()  # ATL101:5
    await AuditedLedger().flush()


@pytest.mark.asyncio
async def test_patched_coroutine_function_is_an_async_mock():
    with patch("_support.billing.charge") as fake_charge:
        fake_charge("acct", 1)  # ATL101:9
        fake_charge.assert_called_once_with("acct", 1)


@patch("_support.billing.currency")
@patch("_support.billing.charge")
@pytest.mark.asyncio
async def test_patch_decorators_bind_bottom_up(fake_charge, fake_currency):
    fake_charge("acct", 2)  # ATL101:5
    assert fake_currency("acct") is not None


@pytest.mark.asyncio
async def test_other_codes_across_modules():
    statements("acct")  # ATL105:5
    assert Ledger().flush() is not None  # ATL103:12


@pytest.mark.xfail(strict=True, raises=TypeError, reason="ATL104 has no fix")
@pytest.mark.asyncio
async def test_sync_with_over_an_async_context_manager():
    with open_session("acct") as session:  # ATL104:10
        assert not session.closed


# --- not flagged ------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_awaited_and_sync_calls_across_modules():
    before = billing.BALANCES.get("n", 0)
    assert await charge("n", 1) == before - 1
    assert await charge_later("n", 1) == before - 2
    assert currency("n") == "EUR"
    ledger = Ledger()
    ledger.record("x")
    assert ledger.lookup("x")
    assert Ledger().lookup("y") is False
    assert await ledger.flush() == ["x"]
    async with open_session("n") as session:
        assert not session.closed
    assert [line async for line in statements("n")] == ["n-0", "n-1"]


@pytest.mark.asyncio
async def test_patched_targets():
    with patch("_support.billing.currency") as fake_currency:
        fake_currency("n")
    with patch("_support.billing.charge") as fake_charge:
        await fake_charge("n", 1)
        fake_charge.assert_awaited_once_with("n", 1)
