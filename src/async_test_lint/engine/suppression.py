"""`# noqa` comments for the CLI (flake8 applies its own, with the same meaning).

`# noqa` silences every finding on its line; `# noqa: ATL201,ATL4` silences those codes and any code
that starts with a listed prefix. Text after the codes is a reason and is ignored. A code of ruff or
flake8-async that flags the same mistake as one of ours (`# noqa: ASYNC251` for ATL201) silences
ours too, unless `peer-noqa` is off: the table is `data/peer_noqa_codes.toml` (peer_codes.py).
"""

from __future__ import annotations

import io
import re
import tokenize

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


def noqa_lines(text: str) -> dict[int, int]:
    """For each line that a multi-line string or a backslash continuation carries on, the line where
    that stretch ends: the only place a comment can go, and where flake8 and ruff read its noqa.

    flake8 reads a noqa anywhere in the stretch between two NEWLINE/NL tokens; ruff reads it at the
    end of the string or continuation. Lines not in the mapping hold their own noqa.
    """
    mapping: dict[int, int] = {}
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text, newline="").readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return mapping
    first = last = None
    for token in tokens:
        if token.type in (tokenize.ENDMARKER, tokenize.DEDENT):
            continue
        start, end = token.start[0], token.end[0]
        first = start if first is None else min(first, start)
        last = end if last is None else max(last, end)
        if token.type in (tokenize.NEWLINE, tokenize.NL):
            if last > first:
                for line in range(first, last):
                    mapping[line] = last
            first = last = None
    return mapping
