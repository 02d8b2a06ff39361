"""A finding's stable fingerprint: what it is about, not where it is.

`blake2b(path, code, the flagged source as a formatter would not change it, the enclosing function's dotted
name)`, 16 hex digits. The path is the file's path relative to its project root (where the project
index lives), in POSIX form, so a fingerprint is the same on every machine and from every working
directory. Adding or removing lines above a finding, reindenting it, or reformatting the
call across lines keeps its fingerprint; changing the flagged code, moving it to another function or
file, or another rule's finding gives a new one. Two identical findings in one function share a
fingerprint: a baseline compares them as counts.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import libcst as cst

from async_test_lint.model.rule import Diagnostic

_EMPTY = cst.Module(body=[])
_COMMENT = re.compile(r"#[^\n]*")


_SPACE_AT_PUNCTUATION = re.compile(r"\s*([()\[\]{},.:=])\s*")
_TRAILING_COMMA = re.compile(r",([)\]}])")


def normalised_source(node: cst.CSTNode) -> str:
    """The node's code as a formatter would not change it: comments dropped, whitespace folded to
    one space and removed around brackets and punctuation, trailing commas dropped."""
    code = " ".join(_COMMENT.sub("", _EMPTY.code_for_node(node)).split())
    return _TRAILING_COMMA.sub(r"\1", _SPACE_AT_PUNCTUATION.sub(r"\1", code))


def fingerprint(path: str, code: str, node: cst.CSTNode | None, scope: str) -> str:
    source = normalised_source(node) if node is not None else ""
    text = "\0".join((path.replace("\\", "/"), code, source, scope))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def project_relative(path: Path, root: Path) -> str:
    """`tests/test_x.py` for a file under `root`; the path as given for one outside it."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


def attach_fingerprints(diagnostics: list[Diagnostic], path: str) -> None:
    for diagnostic in diagnostics:
        diagnostic.fingerprint = fingerprint(path, diagnostic.code, diagnostic.node, diagnostic.scope)
