"""Parse once, walk once with every enabled rule, collect findings, apply fixes.

Costs (libcst 1.9, measured in bench/): a parse is the floor; position metadata costs about two
parses and full scope analysis about seven. So files without a trigger word are not parsed at all,
names are resolved from bindings collected lazily (names.py), and positions are computed only for
files that have a finding.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from async_test_lint.engine.fingerprint import attach_fingerprints, project_relative
from async_test_lint.engine.positions import locate
from async_test_lint.engine.suppression import is_suppressed, noqa_lines
from async_test_lint.model.kinds import FrameKind
from async_test_lint.model.rule import Diagnostic, Rule
from async_test_lint.project.index import ProjectIndex, project_for
from async_test_lint.semantics.context import FileContext, Frame, is_test_path
from async_test_lint.settings.config import PytestConfig, Settings, pytest_config_for
from async_test_lint.syntax.traversal import Visitor, walk

PARSE_ERROR = "ATL001"
COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


@dataclass
class FileReport:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    fixed_source: str | None = None
    messages: list[str] = field(default_factory=list)
    fixes_applied: int = 0


class _Walk(Visitor):
    """One traversal that keeps the context stacks and calls every rule's visit methods."""

    def __init__(self, context: FileContext, rules: Sequence[Rule]) -> None:
        self.context = context
        self.visits: dict[type, list[Callable[[cst.CSTNode], object]]] = {}
        self.leaves: dict[type, list[Callable[[cst.CSTNode], object]]] = {}
        self.scope_enters: list[Callable[[Frame], object]] = []
        self.scope_leaves: list[Callable[[Frame], object]] = []
        for rule in rules:
            for node_type, method_name in _visit_methods(type(rule), "visit_"):
                self.visits.setdefault(node_type, []).append(getattr(rule, method_name))
            for node_type, method_name in _visit_methods(type(rule), "leave_"):
                self.leaves.setdefault(node_type, []).append(getattr(rule, method_name))
            if hasattr(rule, "enter_scope"):
                self.scope_enters.append(rule.enter_scope)
            if hasattr(rule, "leave_scope"):
                self.scope_leaves.append(rule.leave_scope)

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.context.nodes.append(node)
        if isinstance(node, COMPREHENSIONS):
            self._push(Frame(FrameKind.COMPREHENSION, node))
        for method in self.visits.get(type(node), ()):
            method(node)
        return True

    def on_leave(self, node: cst.CSTNode) -> None:
        for method in self.leaves.get(type(node), ()):
            method(node)
        if isinstance(node, COMPREHENSIONS):
            self._pop()
        self.context.nodes.pop()

    def enter_body(self, node: cst.CSTNode) -> None:
        # A def's decorators, defaults and annotations run in the enclosing scope: the frame
        # starts at the body. So do the managers of a `with`: its items are not inside it.
        if isinstance(node, cst.With):
            self.context.enter_with_body(node)
        elif isinstance(node, cst.FunctionDef):
            self.context.start_managers()
            self.context.enter_function(node)
            self._announce(self.context.frames[-1])
        elif isinstance(node, cst.ClassDef):
            self.context.start_managers()
            self.context.enter_class(node)
            self._announce(self.context.frames[-1])
        elif isinstance(node, cst.Lambda):
            self.context.start_managers()
            self._push(Frame(FrameKind.LAMBDA, node))

    def leave_body(self, node: cst.CSTNode) -> None:
        if isinstance(node, cst.With):
            self.context.leave_with_body()
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            self._pop()
            self.context.restore_managers()

    def _push(self, frame: Frame) -> None:
        self.context.frames.append(frame)
        self._announce(frame)

    def _announce(self, frame: Frame) -> None:
        for method in self.scope_enters:
            method(frame)

    def _pop(self) -> None:
        frame = self.context.frames[-1]
        for method in self.scope_leaves:
            method(frame)
        self.context.frames.pop()


@functools.lru_cache(maxsize=None)
def _visit_methods(rule_type: type[Rule], prefix: str) -> tuple[tuple[type, str], ...]:
    found = []
    for attribute in dir(rule_type):
        if attribute.startswith(prefix):
            node_type = getattr(cst, attribute[len(prefix) :], None)
            if isinstance(node_type, type) and issubclass(node_type, cst.CSTNode):
                found.append((node_type, attribute))
    return tuple(found)


_trigger_cache: dict[object, frozenset[bytes] | None] = {}


def trigger_words(
    rules: Sequence[type[Rule]], settings: Settings, project: ProjectIndex | None = None
) -> frozenset[bytes] | None:
    """The words of which a file must contain one to be worth parsing; None: parse every file.

    Kept on the project's index when there is one, so they go when the index goes.
    """
    cache = project.derived if project is not None else _trigger_cache
    key = ("triggers", tuple(rules), settings)
    if key not in cache:
        cache[key] = _collect_trigger_words(rules, settings, project)
    return cache[key]  # type: ignore[return-value]


def _collect_trigger_words(
    rules: Sequence[type[Rule]], settings: Settings, project: ProjectIndex | None
) -> frozenset[bytes] | None:
    words: set[bytes] = set()
    for rule in rules:
        if rule.code == PARSE_ERROR:
            continue
        rule_words = rule.trigger_words(settings)
        if rule_words is None:
            return None
        words.update(word.encode() for word in rule_words)
        if project is not None:
            words.update(word.encode() for word in rule.project_trigger_words(project))
    return frozenset(words)


# Up to this many words a substring test per word is cheapest; beyond, one pass over the file's
# identifiers intersected with the set.
_FEW_WORDS = 32
_IDENTIFIER = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")


def has_trigger(data: bytes, words: frozenset[bytes] | None) -> bool:
    if words is None:
        return True
    if len(words) <= _FEW_WORDS:
        return any(word in data for word in words)
    return not words.isdisjoint(_IDENTIFIER.findall(data))


def parse(source: str | bytes) -> cst.Module:
    return cst.parse_module(source)


def parse_error_message(error: Exception, text: str) -> tuple[int, int, str]:
    """Where and why a file does not parse, in CPython's words when CPython agrees it is invalid."""
    try:
        compile(text, "<linted>", "exec", dont_inherit=True, flags=0x400)  # PyCF_ONLY_AST
    except SyntaxError as syntax_error:
        return syntax_error.lineno or 1, syntax_error.offset or 1, f"cannot parse: {syntax_error.msg}"
    except (ValueError, RecursionError, MemoryError):
        pass
    if isinstance(error, cst.ParserSyntaxError):
        return error.raw_line, error.raw_column + 1, f"cannot parse: {error.message.removeprefix('parser error: ')}"
    return 1, 1, f"cannot parse: {type(error).__name__}: {error}"


def lint_module(
    module: cst.Module,
    source: str,
    path: str,
    settings: Settings,
    rules: Sequence[type[Rule]],
    pytest: PytestConfig,
    is_test_file: bool,
    apply_noqa: bool = True,
) -> list[Diagnostic]:
    project = project_for(Path(path))
    names = project.module_names(Path(path))
    context = FileContext(
        path=path,
        source=source,
        module=module,
        settings=settings,
        pytest=pytest,
        is_test_file=is_test_file,
        project=project,
        module_name=names[0] if names else Path(path).stem,
        is_package=Path(path).name == "__init__.py",
    )
    instances = [rule(context) for rule in rules if rule.code != PARSE_ERROR]
    walk(module, _Walk(context, instances))
    diagnostics = [d for rule in instances for d in rule.diagnostics]
    if diagnostics:
        _attach_positions(module, diagnostics)
        attach_fingerprints(diagnostics, project_relative(Path(path), project.root))
        if apply_noqa:
            diagnostics = _without_noqa_silenced(diagnostics, source, settings.peer_noqa)
    return sorted(diagnostics, key=Diagnostic.sort_key)


def _attach_positions(module: cst.Module, diagnostics: list[Diagnostic]) -> None:
    positions = locate(module, [d.node for d in diagnostics if d.node is not None])
    for diagnostic in diagnostics:
        (line, column), (end_line, end_column) = positions[id(diagnostic.node)]
        diagnostic.line, diagnostic.column = line, column + 1
        diagnostic.end_line, diagnostic.end_column = end_line, end_column + 1


def _suppressed_by_noqa(
    diagnostic: Diagnostic, lines: list[str], peer_noqa: bool = True, carried: dict[int, int] | None = None
) -> bool:
    """Silenced by a noqa on its line, or, for a line inside a multi-line string or backslash
    continuation (`carried`), on the line where that stretch ends, where flake8 and ruff read it."""
    line = (carried or {}).get(diagnostic.line, diagnostic.line)
    index = line - 1
    return 0 <= index < len(lines) and is_suppressed(diagnostic.code, lines[index], peer_noqa)


def _without_noqa_silenced(diagnostics: list[Diagnostic], source: str, peer_noqa: bool) -> list[Diagnostic]:
    # Lines as the tokenizer splits them (not at form feeds, as str.splitlines would).
    lines = io.StringIO(source, newline="").readlines()
    kept = [d for d in diagnostics if not _suppressed_by_noqa(d, lines, peer_noqa)]
    if not kept or "noqa" not in source:
        return kept
    # Tokenizing costs as much as a tenth of the parse: only for findings a noqa may still reach.
    carried = noqa_lines(source)
    return [d for d in kept if not _suppressed_by_noqa(d, lines, peer_noqa, carried)]


@dataclass
class SourceFile:
    """A file's text and how to write it back exactly as it was encoded."""

    text: str
    encoding: str = "utf-8"
    bom: bool = False

    @classmethod
    def from_bytes(cls, data: bytes) -> SourceFile:
        import io
        import tokenize

        bom = data.startswith(b"\xef\xbb\xbf")
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        if bom:
            data = data[3:]
            encoding = "utf-8"
        # newline="" semantics: decode without translating line endings.
        return cls(data.decode(encoding), "utf-8" if encoding == "utf-8-sig" else encoding, bom)

    def to_bytes(self, text: str) -> bytes:
        data = text.encode(self.encoding)
        return b"\xef\xbb\xbf" + data if self.bom else data


def settings_for_path(path: Path, settings: Settings) -> tuple[PytestConfig, bool]:
    pytest = pytest_config_for(path.resolve().parent)
    return pytest, is_test_path(path, settings, pytest)


def lint_text(
    text: str,
    path: str,
    settings: Settings,
    rules: Sequence[type[Rule]],
    is_test_file: bool | None = None,
    apply_noqa: bool = True,
) -> list[Diagnostic]:
    """Lint source text; `path` decides whether it is a test file unless told.

    flake8 applies `# noqa` itself (and `--disable-noqa` must bring findings back): its plugin
    passes `apply_noqa=False`.
    """
    return parse_and_lint(text, path, settings, rules, is_test_file, apply_noqa)[1]


def parse_and_lint(
    text: str,
    path: str,
    settings: Settings,
    rules: Sequence[type[Rule]],
    is_test_file: bool | None = None,
    apply_noqa: bool = True,
) -> tuple[cst.Module | None, list[Diagnostic]]:
    """The parsed module (None when it does not parse) and its findings, whose nodes belong to it."""
    pytest, detected = settings_for_path(Path(path), settings)
    test_file = detected if is_test_file is None else is_test_file
    try:
        module = parse(text)
    except (cst.ParserSyntaxError, RecursionError, ValueError) as error:
        return None, _parse_error(path, error, text, rules)
    try:
        return module, lint_module(module, text, path, settings, rules, pytest, test_file, apply_noqa)
    except RecursionError:
        # libcst walks recursively: a pathologically deep expression parses but cannot be walked.
        too_deep = Diagnostic(PARSE_ERROR, "cannot lint: the code is nested too deeply", path, 1, 1, 1, 1)
        return None, [too_deep] if any(rule.code == PARSE_ERROR for rule in rules) else []


def _parse_error(path: str, error: Exception, text: str, rules: Sequence[type[Rule]]) -> list[Diagnostic]:
    if not any(rule.code == PARSE_ERROR for rule in rules):
        return []
    line, column, message = parse_error_message(error, text)
    diagnostic = Diagnostic(PARSE_ERROR, message, path, line, column, line, column)
    return [] if _suppressed_by_noqa(diagnostic, text.splitlines()) else [diagnostic]


def read_error(path: str, reason: str, rules: Sequence[type[Rule]], line: int = 1, column: int = 1) -> list[Diagnostic]:
    """An ATL001 finding for a file that cannot be read or decoded (when ATL001 is selected)."""
    if not any(rule.code == PARSE_ERROR for rule in rules):
        return []
    return [Diagnostic(PARSE_ERROR, reason, path, line, column, line, column)]


def load_source(path: Path, settings: Settings, rules: Sequence[type[Rule]], name: str) -> SourceFile | FileReport:
    """The file's text, or the report that ends its linting: unreadable, undecodable, or nothing to do.

    A file without any trigger word is not parsed by libcst, the costly step; CPython's own parser
    (a small fraction of libcst's cost) still checks it, so a file that does not parse is always
    reported.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        return FileReport(name, read_error(name, f"cannot read: {reason}", rules))
    try:
        source = SourceFile.from_bytes(data)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return FileReport(name, read_error(name, f"cannot decode: {error.reason} ({error.encoding})", rules, line, column))
    except (SyntaxError, LookupError) as error:
        return FileReport(name, read_error(name, f"cannot decode: {error}", rules))
    if not has_trigger(data, trigger_words(rules, settings, project_for(path))):
        return FileReport(name, _syntax_check(source.text, name, rules))
    return source


def _syntax_check(text: str, name: str, rules: Sequence[type[Rule]]) -> list[Diagnostic]:
    if not any(rule.code == PARSE_ERROR for rule in rules):
        return []
    try:
        compile(text, name, "exec", dont_inherit=True, flags=0x400)  # PyCF_ONLY_AST
        return []
    except (SyntaxError, ValueError):
        pass
    # CPython may be older than the syntax; libcst has the last word.
    try:
        parse(text)
    except (cst.ParserSyntaxError, RecursionError, ValueError) as error:
        return _parse_error(name, error, text, rules)
    return []


def lint_path(path: Path, settings: Settings, rules: Sequence[type[Rule]], display: str | None = None) -> FileReport:
    """Lint one file on disk. Never raises for a bad file: the problem becomes an ATL001 finding."""
    name = display or str(path)
    loaded = load_source(path, settings, rules, name)
    if isinstance(loaded, FileReport):
        return loaded
    # The file's own path finds its project, conftest.py files and pytest config; `display` is
    # only how findings name it (it may be relative to another directory than the cwd).
    diagnostics = lint_text(loaded.text, str(path), settings, rules)
    for diagnostic in diagnostics:
        diagnostic.path = name
    return FileReport(name, diagnostics)
