"""The command line: `check`, `fix`, `rules`, `rule CODE` and `clean`.

Exit codes: 0 clean, 1 findings (for `fix`: findings left, or changes shown by `--diff`),
2 a usage error, a bad option or config, a missing path, a file `fix` could not write, or an
internal error.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from async_test_lint.engine.fixer import fix_path, fix_text
from async_test_lint.engine.registry import (
    all_rules,
    rule_by_code,
    select_rules,
    validate_codes,
)
from async_test_lint.engine.result_cache import Key, ResultCache
from async_test_lint.engine.runner import (
    PARSE_ERROR,
    FileReport,
    SourceFile,
    lint_path,
    lint_text,
    read_error,
    settings_for_path,
)
from async_test_lint.engine.writing import WriteError, add_noqa, write_file
from async_test_lint.knowledge import peer_codes
from async_test_lint.model.rule import Diagnostic, Rule
from async_test_lint.project.files import PathError, discover, per_file_ignored
from async_test_lint.project.index import (
    cache_directory,
    cache_disabled,
    clear_cache,
    find_project_root,
    project_for,
)
from async_test_lint.reporting import FORMATS, render, rules_table, statistics, summary
from async_test_lint.settings.config import (
    ConfigError,
    Settings,
    find_tool_config,
    settings_from_pyproject,
)
from async_test_lint.settings.options import OPTIONS, split_list
from async_test_lint.version import __version__

PROGRAM = "async-test-lint"
# Below this many files a process pool costs more than it saves.
POOL_THRESHOLD = 16
STDIN = "-"
NO_FILES = "No Python files found under the given path(s)"


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[no-untyped-def]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROGRAM, description="Find the mistakes that make asyncio test suites lie, hang or flake.")
    parser.add_argument("--version", action="version", version=f"{PROGRAM} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    check = commands.add_parser("check", help="report findings (with --fix: fix them first)")
    fix = commands.add_parser("fix", help="apply fixes, then report what is left (the same as check --fix)")
    for sub in (check, fix):
        _add_lint_arguments(sub)
    check.add_argument(
        "--fix", action=argparse.BooleanOptionalAction, default=False, help="apply fixes (the same as the fix command)"
    )
    check.add_argument(
        "--add-noqa", action="store_true", help="add `# noqa: CODE` to every line with a finding, then exit 0"
    )
    fix.set_defaults(fix=True, add_noqa=False)
    commands.add_parser("rules", help="list every rule")
    rule = commands.add_parser("rule", help="show a rule's documentation")
    rule.add_argument("code", help="a rule code such as ATL201, or its name")
    clean = commands.add_parser("clean", help="remove the cache (project indexes and results)")
    clean.add_argument("-q", "--quiet", action="store_true", help="print nothing")
    return parser


def _add_lint_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", help="files or directories (default: .); `-` reads the source from standard input"
    )
    for option in OPTIONS:
        if option.kind == "bool":
            parser.add_argument(option.flag, action=argparse.BooleanOptionalAction, default=None, help=option.help)
        elif option.kind == "mapping":
            parser.add_argument(option.flag, action="append", metavar="PATTERN:CODES", default=None, help=option.help)
        else:
            parser.add_argument(option.flag, action="append", metavar="VALUE", default=None, help=option.help + " (comma separated; repeatable)")
    flag = argparse.BooleanOptionalAction
    parser.add_argument("--diff", action="store_true", help="show the fixes as a diff and write nothing")
    parser.add_argument("--unsafe-fixes", action=flag, default=False, help="also apply fixes that change behaviour")
    parser.add_argument("--show-fixes", action=flag, default=False, help="list the fixes applied, per file and rule")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument(
        "--statistics",
        action="store_true",
        help="show a count per rule instead of each finding (text, or a JSON object with --format json)",
    )
    parser.add_argument("--show-source", action=flag, default=False, help="print the source line under each finding")
    parser.add_argument("-o", "--output-file", type=Path, default=None, help="write the report to FILE, not stdout")
    parser.add_argument("-q", "--quiet", action="store_true", help="print the findings and nothing else")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    parser.add_argument("--config", type=Path, default=None, help="a pyproject.toml to read instead of searching")
    parser.add_argument(
        "--no-cache", action="store_true", help="neither read nor write the cache (project indexes and results)"
    )
    parser.add_argument(
        "--stdin-filename", default=None, metavar="NAME", help="with `-`: lint standard input as if it were the file NAME"
    )
    parser.add_argument(
        "--show-settings", action="store_true", help="print the effective settings for the (first) file and exit"
    )
    parser.add_argument("--respect-gitignore", action=flag, default=True, help="skip gitignored files (default: on)")
    parser.add_argument(
        "--force-exclude", action=flag, default=False, help="apply excludes to paths named on the command line too"
    )


# --- settings and rule selection ----------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """One source's `select` / `extend-select` / `ignore`, as ruff resolves them."""

    select: tuple[str, ...] | None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


def _specificity(pattern: str) -> int:
    # ruff's order: ALL, then the linter prefix (ATL), then ever longer prefixes, then a full code.
    return 0 if pattern.upper() == "ALL" else len(pattern)


def _codes(pattern: str) -> set[str]:
    wanted = pattern.upper()
    return {rule.code for rule in all_rules() if wanted == "ALL" or rule.code.startswith(wanted)}


def resolve_selection(selections: Sequence[Selection]) -> tuple[str, ...]:
    """The enabled codes, resolved as ruff does.

    The sources come in rising priority (the default set, the config file, the command line). A
    source that has `select` starts over from it; one that has only `extend-select`/`ignore` adjusts
    the set so far. Within a source, selectors apply from the least specific (`ALL`, `ATL`) to the
    most (`ATL401`), and at equal specificity `ignore` wins: `select = ["ATL4"]` with
    `ignore = ["ATL401"]` leaves ATL401 off, `select = ["ATL401"]` with `ignore = ["ATL4"]` leaves it on.
    """
    enabled: set[str] = set()
    for selection in selections:
        updates: dict[str, bool] = {}
        chosen = (*(selection.select or ()), *selection.extend_select)
        for level in sorted({_specificity(p) for p in (*chosen, *selection.ignore)}):
            for pattern in chosen:
                if _specificity(pattern) == level:
                    updates.update(dict.fromkeys(_codes(pattern), True))
            for pattern in selection.ignore:
                if _specificity(pattern) == level:
                    updates.update(dict.fromkeys(_codes(pattern), False))
        if selection.select is not None:
            enabled = {code for code, on in updates.items() if on}
        else:
            enabled = (enabled | {code for code, on in updates.items() if on}) - {c for c, on in updates.items() if not on}
    return tuple(sorted(enabled))


def _flag_list(args: argparse.Namespace, attribute: str) -> tuple[str, ...] | None:
    values = getattr(args, attribute, None)
    return None if values is None else tuple(split_list(",".join(values)))


@dataclass
class Loaded:
    settings: Settings
    config: Path | None
    selections: tuple[Selection, ...]


def load_settings(args: argparse.Namespace, start: Path) -> Loaded:
    if args.config is not None:
        if not args.config.is_file():
            raise ConfigError(f"config file '{args.config}' does not exist")
        pyproject: Path | None = args.config
        if "async-test-lint" not in _tool_tables(args.config):
            pyproject = None
    else:
        pyproject = find_tool_config(start)
    settings = settings_from_pyproject(pyproject)
    if pyproject is None and args.config is not None:
        settings = Settings(root=args.config.parent.resolve())
    if pyproject is not None:
        try:
            select_rules(settings)  # an unknown code in the file is reported with the file's name
        except ConfigError as error:
            raise ConfigError(f"{pyproject}: {error}") from None
    flags = {}
    for option in OPTIONS:
        value = getattr(args, option.attribute, None)
        if value is not None:
            flags[option.attribute] = value if option.kind != "list" else ",".join(value)
    if "per_file_ignores" in flags:
        flags["per_file_ignores"] = "\n".join(flags["per_file_ignores"])
    command_line = Selection(_flag_list(args, "select"), _flag_list(args, "extend_select") or (), _flag_list(args, "ignore") or ())
    validate_codes([*(command_line.select or ()), *command_line.extend_select, *command_line.ignore])
    selections = (
        Selection(tuple(rule.code for rule in all_rules() if rule.default_enabled)),
        Selection(settings.select or None, settings.extend_select, settings.ignore),
        command_line,
    )
    codes = resolve_selection(selections)
    merged = settings.updated(flags)
    # select_rules reads one flat selection: the resolved codes (or none at all).
    merged = replace(merged, select=codes or ("ALL",), extend_select=(), ignore=() if codes else ("ALL",))
    return Loaded(merged, pyproject, selections)


def _tool_tables(pyproject: Path) -> dict[str, object]:
    from async_test_lint.settings.config import load_toml

    return load_toml(pyproject).get("tool", {})


# --- linting ------------------------------------------------------------------------------------


def _display(path: Path) -> str:
    return os.path.relpath(path) if not path.is_absolute() else str(path)


def _lint_one(path: Path, settings: Settings, rules: tuple[type[Rule], ...]) -> FileReport:
    report = lint_path(path, settings, rules, display=_display(path))
    report.diagnostics = [d.detached() for d in report.diagnostics]
    return report


def _run_parallel(paths: Sequence[Path], settings: Settings, rules: tuple[type[Rule], ...], jobs: int) -> list[FileReport]:
    if jobs <= 1 or len(paths) < POOL_THRESHOLD:
        return [_lint_one(path, settings, rules) for path in paths]
    # Build (and cache on disk) each project's index once here, so that the workers load it
    # instead of all building it at the same time.
    for root in {find_project_root(path) for path in paths}:
        project_for(root)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        chunk = max(1, len(paths) // (jobs * 8))
        return list(pool.map(_lint_one, paths, [settings] * len(paths), [rules] * len(paths), chunksize=chunk))


def _check_files(
    paths: Sequence[Path], settings: Settings, rules: tuple[type[Rule], ...], jobs: int, use_cache: bool
) -> list[FileReport]:
    """Each file's report: from the result cache when its key is there (the file's bytes are hashed,
    never parsed), else linted (in the pool) and stored. The index built here for the keys is the
    one the pool's forked workers inherit."""
    if not use_cache or cache_disabled():
        return _run_parallel(paths, settings, rules, jobs)
    cache = ResultCache(settings, rules)
    reports: list[FileReport | None] = []
    misses: list[tuple[int, Key | None]] = []
    for position, path in enumerate(paths):
        key = cache.key(path)
        found = None if key is None else cache.get(path, key, _display(path))
        reports.append(None if found is None else FileReport(_display(path), found))
        if found is None:
            misses.append((position, key))
    linted = _run_parallel([paths[position] for position, _ in misses], settings, rules, jobs)
    for (position, key), report in zip(misses, linted):
        reports[position] = report
        if key is not None:
            cache.put(paths[position], key, report.diagnostics)
    cache.save()
    return [report for report in reports if report is not None]


def _kept(diagnostics: list[Diagnostic], path: Path, settings: Settings, text: str | None = None) -> list[Diagnostic]:
    """Without the findings `per-file-ignores` drops (noqa, also at the end of a multi-line string
    or continuation, is the engine's)."""
    if settings.per_file_ignores:
        diagnostics = [d for d in diagnostics if not per_file_ignored(path, d.code, settings)]
    return diagnostics


def _reads_stdin(args: argparse.Namespace) -> bool:
    if STDIN in args.paths:
        if len(args.paths) > 1:
            raise UsageError("`-` (standard input) cannot be combined with other paths")
        return True
    if args.stdin_filename is not None:
        if args.paths:
            raise UsageError("--stdin-filename reads standard input: pass `-` as the only path")
        return True
    return False


def _check_combinations(args: argparse.Namespace) -> None:
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.statistics and args.format not in ("text", "json"):
        raise UsageError(f"--statistics prints text or json, not {args.format} (which reports each finding)")
    if args.add_noqa and (args.fix or args.diff):
        raise UsageError("--add-noqa cannot be combined with --fix or --diff")


@contextlib.contextmanager
def _report_stream(args: argparse.Namespace, default: TextIO) -> Iterator[TextIO]:
    if args.output_file is None:
        yield default
        return
    try:
        stream = args.output_file.open("w", encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write --output-file '{args.output_file}': {error.strerror or error}") from None
    with stream:
        yield stream


def run_lint(args: argparse.Namespace) -> int:
    _check_combinations(args)
    stdin = _reads_stdin(args)
    if args.no_cache:
        os.environ["ASYNC_TEST_LINT_NO_CACHE"] = "1"  # inherited by the worker processes
    if stdin:
        start = Path(args.stdin_filename) if args.stdin_filename else Path.cwd()
    else:
        start = Path(args.paths[0]) if args.paths else Path.cwd()
    loaded = load_settings(args, start)
    settings = loaded.settings
    rules = select_rules(settings)
    if args.show_settings:
        return show_settings(args, loaded, rules, stdin)
    if stdin:
        return run_stdin(args, settings, rules)
    paths = discover(
        args.paths or ["."], settings, respect_gitignore=args.respect_gitignore, force_exclude=args.force_exclude
    )
    with _report_stream(args, sys.stdout) as out:
        if not paths:
            if not args.quiet:
                sys.stderr.write(f"{PROGRAM}: warning: {NO_FILES}\n")
            if args.format != "text":
                _emit(args, [], out)
            return 0
        if args.fix or args.diff:
            return run_fix(args, settings, rules, paths, out)
        return run_check(args, settings, rules, paths, out)


def _exit_code(args: argparse.Namespace, findings: bool, failed: bool = False) -> int:
    if failed:
        return 2
    return 1 if findings and not args.exit_zero else 0


def run_check(args: argparse.Namespace, settings: Settings, rules: tuple[type[Rule], ...], paths: Sequence[Path], out: TextIO) -> int:
    jobs = args.jobs if args.jobs is not None else (os.cpu_count() or 1)
    reports = _check_files(paths, settings, rules, jobs, use_cache=not args.add_noqa)
    for report, path in zip(reports, paths):
        report.diagnostics = _kept(report.diagnostics, path, settings)
    if args.add_noqa:
        return run_add_noqa(args, reports, paths)
    diagnostics = [d for report in reports for d in report.diagnostics]
    _emit(args, diagnostics, out)
    return _exit_code(args, bool(diagnostics))


def _emit(args: argparse.Namespace, diagnostics: list[Diagnostic], out: TextIO, sources: dict[str, list[str]] | None = None) -> None:
    if args.statistics:
        out.write(statistics(diagnostics, args.format))
        return
    if args.show_source and sources is None:
        sources = _sources(diagnostics)
    out.write(render(diagnostics, args.format, sources if args.show_source else None))
    if args.format == "text" and not args.quiet:
        out.write(summary(diagnostics))


def _sources(diagnostics: list[Diagnostic]) -> dict[str, list[str]]:
    sources: dict[str, list[str]] = {}
    for diagnostic in diagnostics:
        if diagnostic.path not in sources:
            try:
                sources[diagnostic.path] = Path(diagnostic.path).read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                sources[diagnostic.path] = []
    return sources


def run_fix(args: argparse.Namespace, settings: Settings, rules: tuple[type[Rule], ...], paths: Sequence[Path], out: TextIO) -> int:
    remaining: list[Diagnostic] = []
    fixed_codes: dict[str, Counter[str]] = {}
    changed = applied = 0
    diff_shown = failed = False
    for path in paths:
        name = _display(path)
        before = None
        if args.show_fixes and not args.diff:
            before = Counter(d.code for d in _kept(_lint_one(path, settings, rules).diagnostics, path, settings))
        try:
            report = fix_path(path, settings, rules, unsafe=args.unsafe_fixes, write=not args.diff, display=name)
        except WriteError as error:
            # Reported for this file; the others are still fixed. What is on disk is what is left.
            failed = True
            sys.stderr.write(f"{PROGRAM}: error: {error}\n")
            report, before = _lint_one(path, settings, rules), None
        for message in report.messages:
            sys.stderr.write(f"{PROGRAM}: {message}\n")
        report.diagnostics = _kept(report.diagnostics, path, settings, None if args.diff else report.fixed_source)
        if report.fixed_source is not None:
            changed += 1
            applied += report.fixes_applied
            if args.diff:
                diff_shown = True
                out.write(_diff(path, report.fixed_source))
        if before is not None:
            gone = before - Counter(d.code for d in report.diagnostics)
            if gone:
                fixed_codes[name] = gone
        remaining.extend(report.diagnostics)
    if not args.diff:
        _emit(args, remaining, out)
        if args.show_fixes:
            out.write(_fixes_listing(fixed_codes))
        if not args.quiet:
            sys.stderr.write(f"Fixed {applied} finding(s) in {changed} file(s).\n")
    return _exit_code(args, bool(remaining) or diff_shown, failed)


def _fixes_listing(fixed_codes: dict[str, Counter[str]]) -> str:
    """`--show-fixes`, in ruff's shape: per file, how many findings of each rule were fixed."""
    total = sum(sum(counts.values()) for counts in fixed_codes.values())
    if not total:
        return "No findings fixed.\n"
    lines = [f"Fixed {total} finding(s):"]
    for name, counts in fixed_codes.items():
        lines.append(f"- {name}:")
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            rule = rule_by_code(code)
            lines.append(f"    {count} \u00d7 {code} ({rule.name if rule else code})")
    return "\n".join(lines) + "\n"


def _diff(path: Path, fixed: str, original: str | None = None) -> str:
    # Decoded as the fixer decoded it (coding cookie, BOM), so unchanged lines compare equal.
    if original is None:
        try:
            original = SourceFile.from_bytes(path.read_bytes()).text
        except (OSError, ValueError, SyntaxError, LookupError):
            original = ""
    name = _display(path) if str(path) != STDIN else STDIN
    return "".join(
        difflib.unified_diff(
            original.splitlines(keepends=True),
            fixed.splitlines(keepends=True),
            fromfile=f"a/{name}",
            tofile=f"b/{name}",
        )
    )


# --- standard input -----------------------------------------------------------------------------


def run_stdin(args: argparse.Namespace, settings: Settings, rules: tuple[type[Rule], ...]) -> int:
    """Lint (or fix) standard input as if it were the file `--stdin-filename` (default: `-`).

    Its path decides the config, pytest's configuration, whether it is a test file and its
    per-file-ignores. With a fix, the fixed source goes to standard output, byte for byte as it
    came in but for the fixes (a diff with `--diff`), and the report to standard error.
    """
    name = args.stdin_filename or STDIN
    data = sys.stdin.buffer.read()
    fixing = args.fix or args.diff
    messages: list[str] = []
    text = fixed = None
    try:
        source = SourceFile.from_bytes(data)
    except (UnicodeDecodeError, SyntaxError, LookupError) as error:
        source = None
        diagnostics = read_error(name, f"cannot decode: {error}", rules)
    if source is not None:
        text = source.text
        if fixing:
            outcome = fix_text(text, name, settings, rules, unsafe=args.unsafe_fixes)
            diagnostics, messages, fixed = outcome.diagnostics, outcome.messages, outcome.text
        else:
            diagnostics = lint_text(text, name, settings, rules)
    diagnostics = _kept(diagnostics, Path(name), settings, fixed if fixed is not None else text or "")
    for message in messages:
        sys.stderr.write(f"{PROGRAM}: {message}\n")
    if args.diff:
        changes = _diff(Path(name), fixed, text) if fixed is not None and fixed != text else ""
        sys.stdout.write(changes)
        return _exit_code(args, bool(changes))
    if fixing:
        sys.stdout.flush()
        sys.stdout.buffer.write(source.to_bytes(fixed) if source is not None and fixed is not None else data)
        sys.stdout.flush()
    sources = {name: (fixed if fixed is not None else text or "").splitlines()}
    with _report_stream(args, sys.stderr if fixing else sys.stdout) as out:
        _emit(args, diagnostics, out, sources)
        if fixing and args.show_fixes and text is not None and fixed is not None:
            before = Counter(d.code for d in _kept(lint_text(text, name, settings, rules), Path(name), settings, text))
            gone = before - Counter(d.code for d in diagnostics)
            out.write(_fixes_listing({name: gone} if gone else {}))
    return _exit_code(args, bool(diagnostics))


# --- --add-noqa ---------------------------------------------------------------------------------


def run_add_noqa(args: argparse.Namespace, reports: Sequence[FileReport], paths: Sequence[Path]) -> int:
    """Add `# noqa: CODE` for every finding (ATL001 aside: a file that does not parse takes no
    comment), written the way `fix` writes."""
    added = 0
    failed = False
    for report, path in zip(reports, paths):
        wanted: dict[int, set[str]] = {}
        for diagnostic in report.diagnostics:
            if diagnostic.code != PARSE_ERROR:
                wanted.setdefault(diagnostic.line, set()).add(diagnostic.code)
        if not wanted:
            continue
        try:
            read_at = path.stat()
            source = SourceFile.from_bytes(path.read_bytes())
            text, count = add_noqa(source.text, wanted)
            if count:
                write_file(path, source.to_bytes(text), unchanged_since=read_at)
                added += count
        except WriteError as error:
            failed = True
            sys.stderr.write(f"{PROGRAM}: error: {error}\n")
        except (OSError, ValueError, SyntaxError, LookupError) as error:
            failed = True
            sys.stderr.write(f"{PROGRAM}: error: cannot add noqa to {report.path}: {error}\n")
    if not args.quiet:
        sys.stderr.write(f"Added {added} noqa directive(s).\n")
    return 2 if failed else 0


# --- settings and the cache ---------------------------------------------------------------------


def show_settings(args: argparse.Namespace, loaded: Loaded, rules: tuple[type[Rule], ...], stdin: bool) -> int:
    """The effective settings for one file: the first path (or the first file under it)."""
    settings = loaded.settings
    if stdin:
        target = Path(args.stdin_filename or STDIN)
    else:
        named = Path(args.paths[0]) if args.paths else Path(".")
        found = discover([str(named)], settings, respect_gitignore=args.respect_gitignore) if named.is_dir() else [named]
        target = found[0] if found else named
    pytest, is_test = settings_for_path(target, settings)
    no_cache = args.no_cache or cache_disabled()

    def listing(values: Sequence[str] | None) -> str:
        return "(not set)" if values is None else json.dumps(list(values))

    lines = [
        f"Settings for: {target}",
        f"Config file: {loaded.config or '(none: defaults and flags)'}",
        f"Project root: {find_project_root(target)}",
        f"Test file: {'yes' if is_test else 'no'}",
        f"Rules ({len(rules)}): {' '.join(rule.code for rule in rules)}",
        "Selection (default set, then the config file, then the command line):",
    ]
    for source, selection in zip(("config file", "command line"), loaded.selections[1:]):
        lines.append(
            f"  {source}: select = {listing(selection.select)}, extend-select = {json.dumps(list(selection.extend_select))}, "
            f"ignore = {json.dumps(list(selection.ignore))}"
        )
    lines.append("Options:")
    for option in OPTIONS:
        if option.key in ("select", "extend-select", "ignore"):
            continue
        value = getattr(settings, option.attribute)
        if option.kind == "mapping":
            value = {pattern: list(codes) for pattern, codes in value}
        elif isinstance(value, tuple):
            value = list(value)
        lines.append(f"  {option.key} = {json.dumps(value)}")
    lines += [
        f"pytest config: {pytest.path or '(none: pytest defaults)'}",
        f"  python_files = {json.dumps(list(pytest.python_files))}",
        f"  python_functions = {json.dumps(list(pytest.python_functions))}",
        f"  python_classes = {json.dumps(list(pytest.python_classes))}",
        f"  asyncio_mode = {pytest.asyncio_mode}",
        f"Cache directory: {cache_directory()}{' (disabled)' if no_cache else ''}",
    ]
    with _report_stream(args, sys.stdout) as out:
        out.write("\n".join(lines) + "\n")
    return 0


def run_clean(args: argparse.Namespace) -> int:
    directory = cache_directory()
    removed = clear_cache()
    if not args.quiet:
        sys.stdout.write(f"Removed {removed} cache file(s) from {directory}\n")
    return 0


def run_rule(args: argparse.Namespace) -> int:
    rule = rule_by_code(args.code)
    if rule is None:
        raise ConfigError(f"unknown rule {args.code!r} (see '{PROGRAM} rules')")
    default = "on by default" if rule.default_enabled else "opt-in (enable with --extend-select)"
    fix = f"; fix: {rule.fix_title}" if rule.fix_title else ""
    sys.stdout.write(f"# {rule.code}: {rule.name}\n\n{default}{fix}\n\nMessage: {rule.message}\n\n{rule.documentation()}\n")
    peer_section = peer_codes.rule_section(rule.code)
    if peer_section:
        sys.stdout.write(f"\n{peer_section}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
        if args.command == "rules":
            sys.stdout.write(rules_table())
            return 0
        if args.command == "rule":
            return run_rule(args)
        if args.command == "clean":
            return run_clean(args)
        return run_lint(args)
    except UsageError as error:
        sys.stderr.write(f"{PROGRAM}: error: {error}\n")
        return 2
    except (ConfigError, PathError) as error:
        sys.stderr.write(f"{PROGRAM}: error: {error}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `async-test-lint check | head`: the reader left; say nothing more, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as error:  # noqa: BLE001 - any crash must still exit 2 with a readable line
        sys.stderr.write(f"{PROGRAM}: internal error: {type(error).__name__}: {error}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
