"""Peer linters' codes whose `# noqa` also silences our rules (`data/peer_noqa_codes.toml`).

`time.sleep(1)  # noqa: ASYNC251` already says, for ruff and flake8-async, that this line may
block; ATL201 honours it. The table is the one place that says which peer code silences which of
our codes; the noqa check (suppression.py), the flake8 plugin, `async-test-lint rule CODE` and
the README's table all read it through this module.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

TABLE_FILE = "peer_noqa_codes.toml"
TOOLS = ("ruff", "flake8-async")


@dataclass(frozen=True)
class PeerCode:
    code: str
    silences: tuple[str, ...]
    why: str
    # Tool -> the rule's name there, for the tools that have this code with this meaning.
    names: tuple[tuple[str, str], ...]

    def name_in(self, tool: str) -> str | None:
        return dict(self.names).get(tool)


@lru_cache(maxsize=1)
def peer_codes() -> tuple[PeerCode, ...]:
    text = resources.files("async_test_lint").joinpath("data", TABLE_FILE).read_text(encoding="utf-8")
    return tuple(
        PeerCode(
            code=code,
            silences=tuple(entry["silences"]),
            why=entry["why"],
            names=tuple((tool, entry[tool]) for tool in TOOLS if tool in entry),
        )
        for code, entry in tomllib.loads(text).items()
    )


@lru_cache(maxsize=1)
def _silenced_by_code() -> dict[str, frozenset[str]]:
    return {peer.code: frozenset(peer.silences) for peer in peer_codes()}


def silenced_by(noqa_codes: Iterable[str]) -> frozenset[str]:
    """Our codes that a `# noqa` listing `noqa_codes` silences through peer codes (exact matches)."""
    table = _silenced_by_code()
    return frozenset().union(*(table.get(code, ()) for code in noqa_codes))


def peer_codes_for(rule_code: str) -> tuple[PeerCode, ...]:
    return tuple(peer for peer in peer_codes() if rule_code in peer.silences)


def _names(peer: PeerCode) -> str:
    return ", ".join(f"{tool} `{name}`" for tool, name in peer.names)


def rule_section(rule_code: str) -> str:
    """The `rule CODE` documentation's section listing the peer codes that silence the rule ('' if none)."""
    peers = peer_codes_for(rule_code)
    if not peers:
        return ""
    lines = [
        "## Peer noqa codes",
        f"A `# noqa` naming one of these codes of ruff or flake8-async silences {rule_code} too (unless",
        "`peer-noqa = false`; under flake8, `atl-peer-noqa = false` or `--disable-noqa`):",
        "",
    ]
    lines += [f"- `{peer.code}` ({_names(peer)}): {peer.why}" for peer in peers]
    return "\n".join(lines) + "\n"


def markdown_table() -> str:
    """The README's table of peer codes."""
    lines = ["| Peer code | Rule in ruff / flake8-async | Silences | The shared mistake |", "| --- | --- | --- | --- |"]
    for peer in peer_codes():
        silences = ", ".join(peer.silences)
        lines.append(f"| {peer.code} | {_names(peer)} | {silences} | {peer.why} |")
    return "\n".join(lines) + "\n"
