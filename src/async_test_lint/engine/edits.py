"""The edits of fixes, placed and applied: which fixes go together in one round, and one pass that
applies their edits, each fix all or nothing, then adds their imports once.

Overlap is judged on what each edit changes, not on the finding. A replacement rewrites its node's
span, a removed decorator or parameter its own span. An added decorator acts at the point where the
def's name starts and an inserted statement at the point before (or after) its anchor statement;
each hangs on its node (the def, the anchor), which no other edit may rewrite as a whole. Two edits
meet when their spans share text, when they act at the same point, when a point falls strictly inside
a rewritten span, or when one rewrites the node the other hangs on. Two fixes whose edits meet are
not applied in the same round (the later one waits for the next round); fixes on different nodes of
one line, or a decorator added to a def whose body another fix changes, apply together. Every edit
keeps every comment: one that would drop a comment makes its fix not applicable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor

from async_test_lint.engine.positions import Position, locate
from async_test_lint.model.rule import (
    AddDecorator,
    Diagnostic,
    Edit,
    Import,
    ImportSpec,
    InsertStatement,
    RemoveDecorator,
    RemoveParameter,
    Replace,
)
from async_test_lint.semantics.calls import comments

Span = tuple[Position, Position]  # a point when start == end


@dataclass(frozen=True)
class Place:
    """Where an edit acts: the text it rewrites (`span`, a point for an insertion) and, for a
    decorator or statement it adds, the span of the node it hangs on (`host`)."""

    span: Span
    host: Span | None = None

    def meets(self, other: Place) -> bool:
        return _overlap(self.span, other.span) or _covers(self.span, other.host) or _covers(other.span, self.host)


@dataclass(frozen=True, eq=False)
class PlannedFix:
    """A fix chosen for this round: its finding, its edits, and where each edit acts."""

    diagnostic: Diagnostic
    edits: tuple[Edit, ...]
    places: tuple[Place, ...]

    @property
    def imports(self) -> tuple[ImportSpec, ...]:
        assert self.diagnostic.fix is not None
        return tuple(self.diagnostic.fix.imports)


def plan(module: cst.Module, diagnostics: Sequence[Diagnostic], unsafe: bool) -> list[PlannedFix]:
    """The fixes to apply this round, in finding order: applicable, and not overlapping an earlier one."""
    candidates: list[tuple[Diagnostic, tuple[Edit, ...]]] = []
    for diagnostic in diagnostics:
        fix = diagnostic.fix
        if fix is None or (not fix.safe and not unsafe):
            continue
        edits = fix.edits_at(diagnostic.node)
        if edits:
            candidates.append((diagnostic, edits))
    wanted = {
        id(node): node
        for _, edits in candidates
        for edit in edits
        for node in (_changed_node(edit), edit.function if isinstance(edit, AddDecorator) else None)
        if node is not None
    }
    located = locate(module, wanted.values())
    chosen: list[PlannedFix] = []
    taken: list[Place] = []
    for diagnostic, edits in candidates:
        places = _places(edits, located)
        if places is None or not all(map(_applicable, edits)) or _self_overlapping(edits, places):
            continue
        if any(place.meets(other) for place in places for other in taken):
            continue
        taken.extend(places)
        chosen.append(PlannedFix(diagnostic, edits, places))
    return chosen


def apply_fixes(module: cst.Module, fixes: Sequence[PlannedFix]) -> tuple[str, list[PlannedFix]]:
    """The module's code with the fixes' edits and imports, and the fixes applied (each whole)."""
    fixes = list(fixes)
    while True:
        transformer = _ApplyEdits(fixes)
        updated = module.visit(transformer)
        complete = [fix for fix in fixes if all(id(edit) in transformer.applied for edit in fix.edits)]
        if len(complete) == len(fixes):
            break
        fixes = complete  # an edit that found no place: its fix is left out whole, and the rest redone
    imports = sorted({spec for fix in fixes for spec in fix.imports}, key=_import_key)
    if imports:
        context = CodemodContext()
        for spec in imports:
            if isinstance(spec, Import):
                AddImportsVisitor.add_needed_import(context, spec.module, asname=spec.alias)
            else:
                AddImportsVisitor.add_needed_import(context, spec.module, spec.name, spec.alias)
        updated = AddImportsVisitor(context).transform_module(updated)
    return updated.code, fixes


# --- placing edits ----------------------------------------------------------------------------------


def _changed_node(edit: Edit) -> cst.CSTNode | None:
    """The node whose position gives the edit's span (None: nothing to change, not applicable)."""
    if isinstance(edit, Replace):
        return edit.node
    if isinstance(edit, AddDecorator):
        return edit.function.name
    if isinstance(edit, RemoveDecorator):
        return edit.decorator
    if isinstance(edit, RemoveParameter):
        return _parameter(edit.function.params, edit.name)
    return edit.anchor


def _places(edits: Sequence[Edit], located: dict[int, tuple[Position, Position]]) -> tuple[Place, ...] | None:
    """Where each edit acts; None when a node is not in the module (the fix cannot apply)."""
    places: list[Place] = []
    for edit in edits:
        node = _changed_node(edit)
        if node is None or id(node) not in located:
            return None
        start, end = located[id(node)]
        if isinstance(edit, AddDecorator):
            places.append(Place((start, start), located.get(id(edit.function))))
        elif isinstance(edit, InsertStatement):
            point = start if edit.before is not None else end
            places.append(Place((point, point), (start, end)))
        else:
            places.append(Place((start, end)))
    return tuple(places)


def _overlap(first: Span, second: Span) -> bool:
    """Spans that share text, points that coincide, or a point strictly inside a span."""
    (a, b), (c, d) = first, second
    if a == b and c == d:
        return a == c
    if a == b:
        return c < a < d
    if c == d:
        return a < c < b
    return a < d and c < b


def _covers(span: Span, host: Span | None) -> bool:
    """Whether `span` rewrites the whole of the node `host` is the span of."""
    return host is not None and span[0] != span[1] and span[0] <= host[0] and host[1] <= span[1]


def _self_overlapping(edits: Sequence[Edit], places: Sequence[Place]) -> bool:
    """A fix whose replacement meets another of its own edits is malformed. Several edits of one
    def (add a decorator, remove another, drop a parameter) or inserts at one place compose."""
    pairs = ((i, j) for i in range(len(edits)) for j in range(i + 1, len(edits)))
    return any(
        (isinstance(edits[i], Replace) or isinstance(edits[j], Replace)) and places[i].meets(places[j])
        for i, j in pairs
    )


def _applicable(edit: Edit) -> bool:
    if isinstance(edit, Replace):
        return not (comments(edit.node) - comments(edit.new))
    if isinstance(edit, RemoveDecorator):
        return any(d is edit.decorator for d in edit.function.decorators) and not comments(edit.decorator)
    if isinstance(edit, RemoveParameter):
        return _without_parameter(edit.function, edit.name) is not None
    if isinstance(edit, InsertStatement):
        return isinstance(edit.anchor, cst.BaseStatement)
    return True


# --- parameters -------------------------------------------------------------------------------------

_PARAMETER_LISTS = ("posonly_params", "params", "kwonly_params")


def _parameter(params: cst.Parameters, name: str) -> cst.Param | None:
    for field_name in _PARAMETER_LISTS:
        for param in getattr(params, field_name):
            if param.name.value == name:
                return param  # type: ignore[no-any-return]
    return None


def _without_parameter(function: cst.FunctionDef, name: str) -> cst.FunctionDef | None:
    """`function` without parameter `name`, commas fixed up; None when absent or a comment would go.

    The parameter leaves with its own comma. When it was the last of its list, the one before it
    takes its comma and the space after it (none, or a trailing comma and the line break before
    `)`), so `(a, event_loop)` gives `(a)` and a one-per-line signature keeps its shape.
    """
    params = function.params
    for field_name in _PARAMETER_LISTS:
        group: list[cst.Param] = list(getattr(params, field_name))
        index = next((i for i, param in enumerate(group) if param.name.value == name), None)
        if index is None:
            continue
        removed = group.pop(index)
        if index == len(group) and index > 0:
            last = removed.comma, removed.whitespace_after_param
            group[index - 1] = group[index - 1].with_changes(comma=last[0], whitespace_after_param=last[1])
        try:
            new_params = params.with_changes(**{field_name: group})
        except cst.CSTValidationError:  # `(a, *, event_loop)`: a bare `*` needs a keyword-only parameter
            return None
        if comments(params) - comments(new_params):
            return None
        updated = function.with_changes(params=new_params)
        if not _has_parameters(new_params) and not comments(function.whitespace_before_params):
            # `(\n    event_loop,\n)` becomes `()`, not `(\n    )`.
            updated = updated.with_changes(whitespace_before_params=cst.SimpleWhitespace(""))
        return updated
    return None


def _has_parameters(params: cst.Parameters) -> bool:
    return bool(
        params.posonly_params
        or params.params
        or params.kwonly_params
        or isinstance(params.star_arg, cst.Param | cst.ParamStar)
        or params.star_kwarg is not None
    )


# --- applying edits ---------------------------------------------------------------------------------


class _ApplyEdits(cst.CSTTransformer):
    """One pass: replacements on their nodes, def edits on the def, inserts on the enclosing block.

    Def and block edits work on the updated node, so they compose with the edits inside it; a body
    or decorator list keeps its length until its owner is left, so original and updated elements
    line up by index.
    """

    def __init__(self, fixes: Sequence[PlannedFix]) -> None:
        super().__init__()
        self.replacements: dict[int, Replace] = {}
        self.function_edits: dict[int, list[AddDecorator | RemoveDecorator | RemoveParameter]] = defaultdict(list)
        self.inserts: dict[int, list[InsertStatement]] = defaultdict(list)
        self.applied: set[int] = set()
        for fix in fixes:
            for edit in fix.edits:
                if isinstance(edit, Replace):
                    self.replacements[id(edit.node)] = edit
                elif isinstance(edit, InsertStatement):
                    self.inserts[id(edit.anchor)].append(edit)
                else:
                    self.function_edits[id(edit.function)].append(edit)

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode):  # type: ignore[override]
        key = id(original_node)
        replace = self.replacements.get(key)
        if replace is not None:
            self.applied.add(id(replace))
            return replace.new
        if key in self.function_edits:
            assert isinstance(original_node, cst.FunctionDef) and isinstance(updated_node, cst.FunctionDef)
            updated_node = self._edit_function(original_node, updated_node, self.function_edits[key])
        if self.inserts and isinstance(original_node, cst.Module | cst.IndentedBlock):
            assert isinstance(updated_node, cst.Module | cst.IndentedBlock)
            updated_node = self._insert(original_node, updated_node)
        return updated_node

    def _edit_function(
        self,
        original: cst.FunctionDef,
        updated: cst.FunctionDef,
        edits: Sequence[AddDecorator | RemoveDecorator | RemoveParameter],
    ) -> cst.FunctionDef:
        removed: set[int] = set()
        outermost: list[cst.Decorator] = []
        innermost: list[cst.Decorator] = []
        for edit in edits:
            if isinstance(edit, RemoveDecorator):
                index = next((i for i, d in enumerate(original.decorators) if d is edit.decorator), None)
                if index is None or index in removed:
                    continue
                removed.add(index)
            elif isinstance(edit, AddDecorator):
                (outermost if edit.outermost else innermost).append(edit.node)
            else:
                without = _without_parameter(updated, edit.name)
                if without is None:
                    continue
                updated = without
            self.applied.add(id(edit))
        kept = [d for i, d in enumerate(updated.decorators) if i not in removed]
        return updated.with_changes(decorators=[*outermost, *kept, *innermost])

    def _insert(
        self, original: cst.Module | cst.IndentedBlock, updated: cst.Module | cst.IndentedBlock
    ) -> cst.Module | cst.IndentedBlock:
        if not any(id(statement) in self.inserts for statement in original.body):
            return updated
        body: list[cst.BaseStatement] = []
        for anchor, statement in zip(original.body, updated.body, strict=True):
            edits = self.inserts.get(id(anchor), [])
            before = [edit.node for edit in edits if edit.before is not None]
            if before:
                # The anchor's leading comments and blank lines stay on top, above the new lines.
                leading = list(getattr(statement, "leading_lines", ()))
                first = before[0]
                before[0] = first.with_changes(leading_lines=[*leading, *getattr(first, "leading_lines", ())])
                statement = statement.with_changes(leading_lines=[])
            body.extend(before)
            body.append(statement)
            body.extend(edit.node for edit in edits if edit.after is not None)
            self.applied.update(id(edit) for edit in edits)
        return updated.with_changes(body=body)


def _import_key(spec: ImportSpec) -> tuple[str, str, str]:
    if isinstance(spec, Import):
        return (spec.module, "", spec.alias or "")
    return (spec.module, spec.name, spec.alias or "")
