"""The pieces every rule is made of: the Rule base class, its findings and their fixes (the edits
and imports a fix is made of; `engine/edits.py` applies them)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar

import libcst as cst

if TYPE_CHECKING:
    from async_test_lint.semantics.context import FileContext


@dataclass(frozen=True)
class Import:
    """`import module` (`import module as alias`)."""

    module: str
    alias: str | None = None


@dataclass(frozen=True)
class ImportFrom:
    """`from module import name` (`... as alias`); merged into an existing `from module import ...`.

    Build it with `semantics.calls.name_reference`, which reuses a name the file already has
    (`from unittest.mock import AsyncMock as AM` gives `AM` and no import to add).
    """

    module: str
    name: str
    alias: str | None = None


ImportSpec = Import | ImportFrom


# The edits a fix is made of. Each names the nodes of the tree being linted that it changes; the
# fixer judges overlap between fixes on those nodes' spans, and applies a fix's edits all or none.


@dataclass(frozen=True, eq=False)
class Replace:
    """`node` becomes `new` (an expression, a statement, a decorator: any node of the tree)."""

    node: cst.CSTNode
    new: cst.CSTNode


@dataclass(frozen=True, eq=False)
class AddDecorator:
    """Adds `@decorator` to `function`: above its other decorators, or just above the `def`
    when `outermost` is False. Comments above the function stay above it."""

    function: cst.FunctionDef
    decorator: cst.Decorator | cst.BaseExpression
    outermost: bool = True

    @property
    def node(self) -> cst.Decorator:
        if isinstance(self.decorator, cst.Decorator):
            return self.decorator
        return cst.Decorator(decorator=self.decorator)


@dataclass(frozen=True, eq=False)
class RemoveDecorator:
    """Removes `decorator` (one of `function.decorators`); not applicable when it holds a comment."""

    function: cst.FunctionDef
    decorator: cst.Decorator


@dataclass(frozen=True, eq=False)
class RemoveParameter:
    """Removes the parameter called `name` from `function`'s signature, fixing up the commas; not
    applicable when the function has no such parameter or removing it would drop a comment."""

    function: cst.FunctionDef
    name: str


@dataclass(frozen=True, eq=False)
class InsertStatement:
    """Inserts `statement` right before or right after a statement (give `before` or `after`).

    It takes the indentation of the block it lands in. Before a statement, it goes between that
    statement's leading comments (and blank lines) and its own line, as ruff inserts: the comments
    stay on top. A small statement (`x = 1`) is wrapped in a line of its own.
    """

    statement: cst.BaseStatement | cst.BaseSmallStatement
    before: cst.BaseStatement | None = None
    after: cst.BaseStatement | None = None

    def __post_init__(self) -> None:
        if (self.before is None) == (self.after is None):
            raise ValueError("InsertStatement takes exactly one of `before` and `after`")

    @property
    def anchor(self) -> cst.BaseStatement:
        anchor = self.before if self.before is not None else self.after
        assert anchor is not None
        return anchor

    @property
    def node(self) -> cst.BaseStatement:
        if isinstance(self.statement, cst.BaseSmallStatement):
            return cst.SimpleStatementLine(body=[self.statement])
        return self.statement


Edit = Replace | AddDecorator | RemoveDecorator | RemoveParameter | InsertStatement


@dataclass(frozen=True)
class Fix:
    """The edits that fix a finding, the imports they need, a title and a safety.

    Two forms. The short one replaces one node: `Fix(new, title)` replaces the node the finding
    points at, `Fix(new, title, target=statement)` another node (a whole statement). The general one
    lists its edits, which may touch several places:

        Fix(
            title="Use `@pytest_asyncio.fixture` and drop `event_loop`",
            edits=[Replace(decorator.decorator, reference), RemoveParameter(function, "event_loop")],
            imports=[ImportFrom("unittest.mock", "AsyncMock")],
        )

    (both forms may be combined: the replacement comes first). A fix applies atomically: all of its
    edits and imports, or nothing. `imports` holds `Import`/`ImportFrom`; a plain string is a module
    (`"asyncio"` gives `import asyncio`). An unsafe fix changes runtime behaviour beyond the finding
    and is applied only with `--unsafe-fixes`.
    """

    replacement: cst.CSTNode | None = None
    title: str = ""
    # Any sequence is accepted; stored as a tuple of `Import`/`ImportFrom`.
    imports: Sequence[ImportSpec | str] = ()
    safe: bool = True
    # The node replaced, when it is not the one the finding points at (a whole statement).
    target: cst.CSTNode | None = None
    edits: Sequence[Edit] = ()

    def __post_init__(self) -> None:
        imports = tuple(Import(spec) if isinstance(spec, str) else spec for spec in self.imports)
        object.__setattr__(self, "imports", imports)
        object.__setattr__(self, "edits", tuple(self.edits))
        if self.replacement is None and not self.edits:
            raise ValueError("a Fix needs a replacement or edits")

    def edits_at(self, node: cst.CSTNode | None) -> tuple[Edit, ...]:
        """The fix's edits, the short form resolved against the node its finding points at."""
        if self.replacement is None:
            return self.edits
        target = self.target or node
        if target is None:
            return ()  # detached from its tree: nothing left to apply
        return (Replace(target, self.replacement), *self.edits)


@dataclass
class Diagnostic:
    """One finding. `line` and `column` are 1-based, as printed."""

    code: str
    message: str
    path: str
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0
    fix: Fix | None = None
    node: cst.CSTNode | None = field(default=None, repr=False, compare=False)
    # Kept when the finding is detached from its tree (sent between processes).
    fix_title: str | None = None
    fix_safe: bool = True
    # The dotted name of the enclosing class(es) and function(s) ("" at module level), and the
    # stable fingerprint the engine derives from it (engine/fingerprint.py).
    scope: str = ""
    fingerprint: str = ""

    def __post_init__(self) -> None:
        if self.fix is not None:
            self.fix_title, self.fix_safe = self.fix.title, self.fix.safe

    @property
    def fixable(self) -> bool:
        return self.fix_title is not None

    def detached(self) -> Diagnostic:
        """A copy without syntax-tree references, cheap to pickle."""
        return replace(self, fix=None, node=None, fix_title=self.fix_title, fix_safe=self.fix_safe)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "fix": None if self.fix_title is None else {"title": self.fix_title, "safe": self.fix_safe},
            "fingerprint": self.fingerprint,
        }


_SECTION = re.compile(r"^## (.+)$", re.MULTILINE)


class Rule:
    """Base class of every rule.

    A rule is one subclass in one module under `async_test_lint.rules`. Its docstring is its
    documentation; `code`, `name` and `message` are the data the registry, the README table and
    the `rules` command read. Visit methods (`visit_Call`, `leave_FunctionDef`, ...) are called
    by the engine's single walk; `self.context` answers where the walk is and what a name means.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    message: ClassVar[str]
    default_enabled: ClassVar[bool] = True
    fix_title: ClassVar[str | None] = None
    # Settings the docstring's Example needs to fire (options named in its `## Options`).
    example_settings: ClassVar[dict[str, Any]] = {}

    def __init__(self, context: FileContext) -> None:
        self.context = context
        self.diagnostics: list[Diagnostic] = []

    @classmethod
    def trigger_words(cls, settings: Any) -> frozenset[str] | None:
        """Identifiers of which at least one must appear in a file's bytes for the rule to fire
        there, under the given settings. None (the default) means the rule can fire on any file;
        an empty set means it cannot fire at all."""
        return None

    @classmethod
    def project_trigger_words(cls, project: Any) -> frozenset[str]:
        """More trigger identifiers that come from the project (names of its async defs)."""
        return frozenset()

    def report(
        self, node: cst.CSTNode, message: str | None = None, fix: Fix | None = None
    ) -> None:
        self.diagnostics.append(
            Diagnostic(
                code=self.code,
                message=message or self.message,
                path=self.context.path,
                fix=fix,
                node=node,
                scope=self.context.scope_name,
            )
        )

    @classmethod
    def documentation(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def doc_section(cls, title: str) -> str:
        """The text under `## title` in the rule's docstring ('' when absent)."""
        doc = cls.documentation()
        matches = list(_SECTION.finditer(doc))
        for index, match in enumerate(matches):
            if match.group(1).strip().lower() == title.lower():
                end = matches[index + 1].start() if index + 1 < len(matches) else len(doc)
                return doc[match.end() : end].strip()
        return ""

    @classmethod
    def summary(cls) -> str:
        """The first sentence of 'What it does', for tables."""
        text = " ".join(cls.doc_section("What it does").split())
        return text.split(". ")[0].rstrip(".") + "." if text else cls.message
