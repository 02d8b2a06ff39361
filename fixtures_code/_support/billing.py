"""Project code the cross-module fixtures call: one def of every kind the project index tells apart."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

BALANCES: dict[str, int] = {}


async def charge(account: str, amount: int) -> int:
    """COROUTINE_FN."""
    await asyncio.sleep(0)
    BALANCES[account] = BALANCES.get(account, 0) - amount
    return BALANCES[account]


def currency(account: str) -> str:
    """SYNC_FN."""
    return "EUR"


def charge_later(account: str, amount: int):
    """AWAITABLE_RETURNING: a sync def whose every return is a call to a coroutine function."""
    return charge(account, amount)


async def statements(account: str) -> AsyncIterator[str]:
    """ASYNC_GEN_FN."""
    for number in range(2):
        await asyncio.sleep(0)
        yield f"{account}-{number}"


class Session:
    def __init__(self, account: str) -> None:
        self.account = account
        self.closed = False


@asynccontextmanager
async def open_session(account: str) -> AsyncIterator[Session]:
    """ASYNC_CM_FN."""
    session = Session(account)
    try:
        yield session
    finally:
        session.closed = True


class Ledger:
    """A class with both kinds of method, for receiver type facts (`Ledger().flush()` vs `.lookup()`)."""

    def __init__(self) -> None:
        self.entries: list[str] = []
        self.flushed: list[str] = []

    def record(self, entry: str) -> None:
        self.entries.append(entry)

    def lookup(self, entry: str) -> bool:
        return entry in self.entries or entry in self.flushed

    async def flush(self) -> list[str]:
        await asyncio.sleep(0)
        self.flushed.extend(self.entries)
        self.entries.clear()
        return self.flushed
