"""Applying fixes: one pass per round over the fixes whose edits do not overlap (engine/edits.py),
imports added once, rounds until nothing changes.

A fix is never allowed to lose anything: one whose edit would drop a comment is not applied, a round
whose output does not parse (or no longer compiles where the original did, or lost a comment) is
retried fix by fix and the offending fixes are dropped whole with a message, and files are written crash-safely (engine/writing.py)
with their encoding, BOM and line endings kept.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from async_test_lint.engine.edits import PlannedFix, apply_fixes, plan
from async_test_lint.engine.runner import FileReport, lint_text, load_source, parse_and_lint
from async_test_lint.engine.writing import WriteError, write_file
from async_test_lint.model.rule import Diagnostic, Rule
from async_test_lint.project.files import per_file_ignored
from async_test_lint.semantics.calls import comments
from async_test_lint.settings.config import Settings

MAX_ROUNDS = 10


@dataclass
class FixOutcome:
    text: str
    diagnostics: list[Diagnostic]
    applied: int = 0
    messages: list[str] = field(default_factory=list)


def _compiles(text: str) -> bool:
    try:
        compile(text, "<fixed>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def _problem(module: cst.Module, text: str, original_compiles: bool) -> str | None:
    """Why the fixed `text` cannot be kept, or None."""
    try:
        fixed = cst.parse_module(text)
    except cst.ParserSyntaxError:
        return "its result is not valid Python"
    if original_compiles and not _compiles(text):
        return "its result is not valid Python"
    # Each edit keeps its comments; this checks the whole result, imports included.
    if comments(module) - comments(fixed):
        return "its result would lose a comment"
    return None


def _one_round(
    module: cst.Module, diagnostics: list[Diagnostic], unsafe: bool, messages: list[str]
) -> tuple[str, int]:
    text = module.code
    chosen = plan(module, diagnostics, unsafe)
    if not chosen:
        return text, 0
    original_compiles = _compiles(text)
    candidate, applied = apply_fixes(module, chosen)
    if _problem(module, candidate, original_compiles) is None:
        return candidate, len(applied)
    # Retried fix by fix: a fix (all of its edits) that spoils the result is dropped whole.
    kept: list[PlannedFix] = []
    for fix in applied:
        candidate, together = apply_fixes(module, [*kept, fix])
        problem = _problem(module, candidate, original_compiles)
        if problem is None and len(together) == len(kept) + 1:
            kept.append(fix)
        elif problem is not None:
            diagnostic = fix.diagnostic
            messages.append(
                f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}: {diagnostic.code} fix dropped: {problem}"
            )
    if not kept:
        return text, 0
    text, applied = apply_fixes(module, kept)
    return text, len(applied)


def fix_text(
    text: str,
    path: str,
    settings: Settings,
    rules: Sequence[type[Rule]],
    unsafe: bool = False,
    is_test_file: bool | None = None,
) -> FixOutcome:
    """Fix `text` in bounded rounds; returns the new text and the findings left in it."""
    outcome = FixOutcome(text, [])
    for _ in range(MAX_ROUNDS):
        module, outcome.diagnostics = parse_and_lint(outcome.text, path, settings, rules, is_test_file)
        if module is None:
            break
        # A dropped fix is tried again every round: report it once, from the last round, whose
        # positions are those of the text that is returned.
        outcome.messages = []
        new_text, applied = _one_round(module, outcome.diagnostics, unsafe, outcome.messages)
        if not applied or new_text == outcome.text:
            break
        outcome.text = new_text
        outcome.applied += applied
    else:
        outcome.diagnostics = lint_text(outcome.text, path, settings, rules, is_test_file)
    return outcome


def fix_path(
    path: Path,
    settings: Settings,
    rules: Sequence[type[Rule]],
    unsafe: bool = False,
    write: bool = True,
    display: str | None = None,
) -> FileReport:
    """Fix one file on disk (see engine/writing.py for how), or only compute the fixed text when
    `write` is False.

    Raises WriteError when the fixed text cannot be written: the caller reports it for this file
    and goes on with the next one.
    """
    name = display or str(path)
    # A rule that per-file-ignores turns off here must not fix the file either.
    rules = tuple(rule for rule in rules if not per_file_ignored(path, rule.code, settings))
    try:
        read_at: os.stat_result | None = path.stat()
    except OSError:
        read_at = None  # load_source reports it
    source = load_source(path, settings, rules, name)
    if isinstance(source, FileReport):
        return source
    outcome = fix_text(source.text, name, settings, rules, unsafe=unsafe)
    report = FileReport(name, outcome.diagnostics, messages=outcome.messages, fixes_applied=outcome.applied)
    if outcome.text != source.text:
        report.fixed_source = outcome.text
        if write:
            try:
                data = source.to_bytes(outcome.text)
            except UnicodeEncodeError as error:
                raise WriteError(name, f"the fixed text cannot be encoded in {source.encoding}: {error.reason}") from None
            write_file(path, data, unchanged_since=read_at)
    return report
