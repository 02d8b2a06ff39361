"""Support package for the cross-module ATL1xx fixtures.

The fixtures import it as `_support`: pytest's default `prepend` import mode puts the directory of
a test file (fixtures_code/) on sys.path, and the linter's project index treats that directory as a
root too (rule_specs.md 0.3). The names below are re-exports, so `from _support import charge` must
resolve through this file to `_support.billing.charge`.
"""

from .billing import Ledger, charge, charge_later, currency, open_session, statements

__all__ = ["Ledger", "charge", "charge_later", "currency", "open_session", "statements"]
