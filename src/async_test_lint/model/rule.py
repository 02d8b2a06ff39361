"""The pieces every rule is made of: the Rule base class, its findings and their fixes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar

import libcst as cst

if TYPE_CHECKING:
    from async_test_lint.semantics.context import FileContext


@dataclass(frozen=True)
class Fix:
    """A replacement for the node a finding points at, plus the imports it needs.

    `imports` holds module names to import (`"asyncio"` gives `import asyncio`).
    An unsafe fix changes runtime behaviour beyond the finding and is applied only with
    `--unsafe-fixes`.
    """

    replacement: cst.CSTNode
    title: str
    imports: tuple[str, ...] = ()
    safe: bool = True
    # The node replaced, when it is not the one the finding points at (a whole statement).
    target: cst.CSTNode | None = None


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
