"""Applying fixes: one transformer pass per round, imports added once, rounds until nothing changes.

A fix is never allowed to lose anything: one that would drop a comment is not applied, a round whose
output does not parse (or no longer compiles where the original did) is retried fix by fix and the
offending fixes are dropped with a message, and files are written atomically with their encoding,
BOM and line endings kept.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor

from async_test_lint.engine.runner import FileReport, lint_text, load_source, parse_and_lint
from async_test_lint.model.rule import Diagnostic, Rule
from async_test_lint.semantics.calls import comments
from async_test_lint.settings.config import Settings

MAX_ROUNDS = 10


@dataclass
class FixOutcome:
    text: str
    diagnostics: list[Diagnostic]
    applied: int = 0
    messages: list[str] = field(default_factory=list)


class _Replace(cst.CSTTransformer):
    def __init__(self, replacements: dict[int, cst.CSTNode]) -> None:
        super().__init__()
        self.replacements = replacements

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode):  # type: ignore[override]
        return self.replacements.get(id(original_node), updated_node)


def _replaced(diagnostic: Diagnostic) -> cst.CSTNode:
    assert diagnostic.fix is not None and diagnostic.node is not None
    return diagnostic.fix.target or diagnostic.node


def _keepscomments(diagnostic: Diagnostic) -> bool:
    assert diagnostic.fix is not None
    return not (comments(_replaced(diagnostic)) - comments(diagnostic.fix.replacement))


def _choose(diagnostics: Sequence[Diagnostic], unsafe: bool) -> list[Diagnostic]:
    """Fixable findings whose nodes do not overlap; the rest wait for the next round."""
    chosen: list[Diagnostic] = []
    taken: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for diagnostic in diagnostics:
        fix = diagnostic.fix
        if fix is None or (not fix.safe and not unsafe) or not _keepscomments(diagnostic):
            continue
        span = ((diagnostic.line, diagnostic.column), (diagnostic.end_line, diagnostic.end_column))
        if any(span[0] < other[1] and other[0] < span[1] for other in taken):
            continue
        taken.append(span)
        chosen.append(diagnostic)
    return chosen


def _apply(module: cst.Module, fixes: Sequence[Diagnostic]) -> str:
    replacements = {id(_replaced(d)): d.fix.replacement for d in fixes if d.fix is not None}
    updated = module.visit(_Replace(replacements))
    imports = sorted({name for d in fixes if d.fix is not None for name in d.fix.imports})
    if imports:
        context = CodemodContext()
        for name in imports:
            AddImportsVisitor.add_needed_import(context, name)
        updated = AddImportsVisitor(context).transform_module(updated)
    return updated.code


def _compiles(text: str) -> bool:
    try:
        compile(text, "<fixed>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def _valid(text: str, original_compiles: bool) -> bool:
    try:
        cst.parse_module(text)
    except cst.ParserSyntaxError:
        return False
    return _compiles(text) or not original_compiles


def _one_round(
    module: cst.Module, diagnostics: list[Diagnostic], unsafe: bool, messages: list[str]
) -> tuple[str, int]:
    text = module.code
    chosen = _choose(diagnostics, unsafe)
    if not chosen:
        return text, 0
    original_compiles = _compiles(text)
    candidate = _apply(module, chosen)
    if _valid(candidate, original_compiles):
        return candidate, len(chosen)
    kept: list[Diagnostic] = []
    for diagnostic in chosen:
        if _valid(_apply(module, [*kept, diagnostic]), original_compiles):
            kept.append(diagnostic)
        else:
            messages.append(
                f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}: "
                f"{diagnostic.code} fix dropped: its result is not valid Python"
            )
    if not kept:
        return text, 0
    return _apply(module, kept), len(kept)


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
    """Fix one file on disk (atomically), or only compute the fixed text when `write` is False."""
    name = display or str(path)
    source = load_source(path, settings, rules, name)
    if isinstance(source, FileReport):
        return source
    outcome = fix_text(source.text, name, settings, rules, unsafe=unsafe)
    report = FileReport(name, outcome.diagnostics, messages=outcome.messages, fixes_applied=outcome.applied)
    if outcome.text != source.text:
        report.fixed_source = outcome.text
        if write:
            write_atomically(path, source.to_bytes(outcome.text))
    return report


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, keep its mode, then rename over it."""
    # Renaming over a symlink would replace the link and leave the file it points to unfixed.
    path = path.resolve()
    mode = path.stat().st_mode
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
