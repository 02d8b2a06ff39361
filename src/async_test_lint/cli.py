"""The command line: `check`, `fix`, `rules` and `rule CODE`.

Exit codes: 0 clean, 1 findings (for `fix`: findings left, or changes shown by `--diff`),
2 a usage error, a bad option or config, a missing path, or an internal error.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from async_test_lint.engine.fixer import fix_path
from async_test_lint.engine.registry import rule_by_code, select_rules
from async_test_lint.engine.runner import FileReport, SourceFile, lint_path
from async_test_lint.knowledge import peer_codes
from async_test_lint.model.rule import Rule
from async_test_lint.project.files import PathError, discover, per_file_ignored
from async_test_lint.project.index import find_project_root, project_for
from async_test_lint.reporting import FORMATS, render, rules_table, statistics, summary
from async_test_lint.settings.config import ConfigError, Settings, find_tool_config, settings_from_pyproject
from async_test_lint.settings.options import OPTIONS
from async_test_lint.version import __version__

PROGRAM = "async-test-lint"
# Below this many files a process pool costs more than it saves.
POOL_THRESHOLD = 16


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[no-untyped-def]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROGRAM, description="Find the mistakes that make asyncio test suites lie, hang or flake.")
    parser.add_argument("--version", action="version", version=f"{PROGRAM} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    check = commands.add_parser("check", help="report findings")
    fix = commands.add_parser("fix", help="apply fixes, then report what is left")
    for sub in (check, fix):
        _add_lint_arguments(sub)
    fix.add_argument("--diff", action="store_true", help="show the changes as a diff and write nothing")
    fix.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes that change behaviour")
    commands.add_parser("rules", help="list every rule")
    rule = commands.add_parser("rule", help="show a rule's documentation")
    rule.add_argument("code", help="a rule code such as ATL201, or its name")
    return parser


def _add_lint_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", default=["."], help="files or directories (default: .)")
    for option in OPTIONS:
        if option.kind == "bool":
            parser.add_argument(option.flag, action="store_true", default=None, help=option.help)
        elif option.kind == "mapping":
            parser.add_argument(option.flag, action="append", metavar="PATTERN:CODES", default=None, help=option.help)
        else:
            parser.add_argument(option.flag, action="append", metavar="VALUE", default=None, help=option.help + " (comma separated; repeatable)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--statistics", action="store_true", help="show a count per rule instead of each finding")
    parser.add_argument("--show-source", action="store_true", help="print the source line under each finding")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    parser.add_argument("--config", type=Path, default=None, help="a pyproject.toml to read instead of searching")
    parser.add_argument("--no-respect-gitignore", action="store_true", help="lint gitignored files too")
    parser.add_argument(
        "--force-exclude", action="store_true", help="apply excludes to paths named on the command line too"
    )


def load_settings(args: argparse.Namespace) -> Settings:
    if args.config is not None:
        if not args.config.is_file():
            raise ConfigError(f"config file '{args.config}' does not exist")
        pyproject: Path | None = args.config
        if "async-test-lint" not in _tool_tables(args.config):
            pyproject = None
    else:
        pyproject = find_tool_config(Path(args.paths[0]) if args.paths else Path.cwd())
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
    return settings.updated(flags)


def _tool_tables(pyproject: Path) -> dict[str, object]:
    from async_test_lint.settings.config import load_toml

    return load_toml(pyproject).get("tool", {})


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


def _filter_per_file(reports: list[FileReport], paths: Sequence[Path], settings: Settings) -> None:
    if not settings.per_file_ignores:
        return
    for report, path in zip(reports, paths):
        report.diagnostics = [d for d in report.diagnostics if not per_file_ignored(path, d.code, settings)]


def run_check(args: argparse.Namespace) -> int:
    settings = load_settings(args)
    rules = select_rules(settings)
    paths = discover(
        args.paths, settings, respect_gitignore=not args.no_respect_gitignore, force_exclude=args.force_exclude
    )
    jobs = args.jobs if args.jobs is not None else (os.cpu_count() or 1)
    reports = _run_parallel(paths, settings, rules, jobs)
    _filter_per_file(reports, paths, settings)
    diagnostics = [d for report in reports for d in report.diagnostics]
    _emit(args, diagnostics, paths)
    return 1 if diagnostics else 0


def _emit(args: argparse.Namespace, diagnostics: list, paths: Sequence[Path]) -> None:
    if args.statistics:
        sys.stdout.write(statistics(diagnostics))
        return
    sources = _sources(diagnostics) if args.show_source else None
    sys.stdout.write(render(diagnostics, args.format, sources))
    if args.format == "text":
        sys.stdout.write(summary(diagnostics))


def _sources(diagnostics: list) -> dict[str, list[str]]:
    sources: dict[str, list[str]] = {}
    for diagnostic in diagnostics:
        if diagnostic.path not in sources:
            try:
                sources[diagnostic.path] = Path(diagnostic.path).read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                sources[diagnostic.path] = []
    return sources


def run_fix(args: argparse.Namespace) -> int:
    settings = load_settings(args)
    rules = select_rules(settings)
    paths = discover(
        args.paths, settings, respect_gitignore=not args.no_respect_gitignore, force_exclude=args.force_exclude
    )
    remaining = []
    changed = 0
    applied = 0
    diff_shown = False
    for path in paths:
        report = fix_path(path, settings, rules, unsafe=args.unsafe_fixes, write=not args.diff, display=_display(path))
        for message in report.messages:
            sys.stderr.write(f"{PROGRAM}: {message}\n")
        if report.fixed_source is not None:
            changed += 1
            applied += report.fixes_applied
            if args.diff:
                diff_shown = True
                sys.stdout.write(_diff(path, report.fixed_source))
        remaining.extend(report.diagnostics)
    remaining = [d for d in remaining if not per_file_ignored(Path(d.path), d.code, settings)]
    if not args.diff:
        _emit(args, remaining, paths)
        sys.stderr.write(f"Fixed {applied} finding(s) in {changed} file(s).\n")
    return 1 if remaining or diff_shown else 0


def _diff(path: Path, fixed: str) -> str:
    # Decoded as the fixer decoded it (coding cookie, BOM), so unchanged lines compare equal.
    original = SourceFile.from_bytes(path.read_bytes()).text
    name = _display(path)
    return "".join(
        difflib.unified_diff(
            original.splitlines(keepends=True),
            fixed.splitlines(keepends=True),
            fromfile=f"a/{name}",
            tofile=f"b/{name}",
        )
    )


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
        if args.jobs is not None and args.jobs < 1:
            raise UsageError("--jobs must be at least 1")
        return run_check(args) if args.command == "check" else run_fix(args)
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
