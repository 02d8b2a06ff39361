"""`# noqa` comments for the CLI (flake8 applies its own, with the same meaning).

`# noqa` silences every finding on its line; `# noqa: ATL201,ATL4` silences those codes and any code
that starts with a listed prefix. Text after the codes is a reason and is ignored. A code of ruff or
flake8-async that flags the same mistake as one of ours (`# noqa: ASYNC251` for ATL201) silences
ours too, unless `peer-noqa` is off: the table is `data/peer_noqa_codes.toml` (peer_codes.py).
"""

from __future__ import annotations

import re

from async_test_lint.knowledge.peer_codes import silenced_by

# The same shape as flake8's: codes are letters followed by digits, separated by commas or spaces.
NOQA = re.compile(
    r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?",
    re.IGNORECASE,
)
CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)


def suppressed_codes(line: str) -> frozenset[str] | None:
    """None when the line has no noqa; an empty set for a bare noqa (silences everything)."""
    match = NOQA.search(line)
    if match is None:
        return None
    codes = match.group("codes")
    if not codes:
        return frozenset()
    return frozenset(code.upper() for code in CODE.findall(codes))


def is_suppressed(code: str, line: str, peer_noqa: bool = True) -> bool:
    codes = suppressed_codes(line)
    if codes is None:
        return False
    if not codes or any(code.startswith(prefix) for prefix in codes):
        return True
    return peer_noqa and code in silenced_by(codes)


def is_suppressed_by_peer_code(code: str, line: str) -> bool:
    """The line's noqa names a peer linter's code that stands for `code` (flake8 checks our own)."""
    codes = suppressed_codes(line)
    return codes is not None and code in silenced_by(codes)
