"""Lint the whole corpus with every rule, to see what the rules say about real code and to catch crashes.

    python bench/real_code.py            # every project; full report in bench/results/real_code.txt
    python bench/real_code.py --projects aiohttp anyio
    python bench/real_code.py --extended --select DEFAULT   # plus trio, uvicorn, ...; default rules only

Each file is linted through the Python API in a worker process, so a crash is pinned to its file with
a traceback; then the CLI (`check --select ALL --format json`) is run on each project and must agree
with the API finding for finding. Every ATL001 ("cannot parse") is checked against CPython: if
`compile()` accepts the file, the parse error is the engine's bug, not the file's.

Exit code: 0 when nothing crashed, no ATL001 is an engine bug and the two front-ends agree; else 1.
"""

from __future__ import annotations

import argparse
import ast
import functools
import json
import os
import subprocess
import sys
import traceback
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from corpus import ALL_PROJECTS, CORPUS_DIR, CorpusError, error_tail, project_dirs, python_files
from tool import CACHE_ENV, ISOLATED_DIR, TOOL_CACHE_DIR, check_command

RESULTS_DIR = Path(__file__).resolve().parent / "results"
# The selection, handed to the worker processes: ALL, or DEFAULT for the rules on by default.
SELECT_ENV = "ATL_REAL_CODE_SELECT"
REPORT = RESULTS_DIR / "real_code.txt"
PARSE_ERROR = "ATL001"


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    column: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column} {self.code} {self.message}"

    @property
    def where(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)


@dataclass
class FileResult:
    path: str  # relative to the corpus directory
    findings: list[Finding] = field(default_factory=list)
    test_functions: int = 0  # `def test*` / `async def test*` in the file, pytest's default pattern
    crash: str | None = None  # the traceback when the engine raised


@dataclass
class ProjectResult:
    name: str
    files: list[FileResult]
    cli_problem: str | None = None  # a CLI crash, or its disagreement with the API
    parse_bugs: list[str] = field(default_factory=list)  # ATL001 on files CPython compiles

    @property
    def findings(self) -> list[Finding]:
        return [finding for result in self.files for finding in result.findings]

    @property
    def crashes(self) -> list[FileResult]:
        return [result for result in self.files if result.crash is not None]


@functools.lru_cache(maxsize=1)
def _engine():  # type: ignore[no-untyped-def]
    """Settings with every rule selected, the rules, and lint_path; loaded once per worker."""
    from async_test_lint.engine.registry import select_rules
    from async_test_lint.engine.runner import lint_path
    from async_test_lint.settings.config import Settings

    selected = os.environ.get(SELECT_ENV, "ALL")
    select = () if selected == "DEFAULT" else tuple(selected.split(","))
    settings = Settings(select=select, root=ISOLATED_DIR)
    return settings, select_rules(settings), lint_path


def lint_file(relative: str) -> FileResult:
    """Lint one corpus file with every rule; an exception becomes the result's `crash`."""
    try:
        settings, rules, lint_path = _engine()
        report = lint_path(CORPUS_DIR / relative, settings, rules, display=relative)
    except Exception:  # noqa: BLE001 - a crash on real code is exactly what this script looks for
        return FileResult(relative, crash=traceback.format_exc())
    findings = [Finding(d.path, d.line, d.column, d.code, d.message) for d in report.diagnostics]
    return FileResult(relative, findings, count_test_functions(CORPUS_DIR / relative))


def count_test_functions(path: Path) -> int:
    """How many functions pytest's default `python_functions = test` would collect by name."""
    try:
        tree = ast.parse(path.read_bytes())
    except (SyntaxError, ValueError):
        return 0
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    return sum(1 for node in ast.walk(tree) if isinstance(node, functions) and node.name.startswith("test"))


def lint_project(directory: Path, jobs: int) -> ProjectResult:
    relative = [str(path.relative_to(CORPUS_DIR)) for path in python_files(directory)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        files = list(pool.map(lint_file, relative, chunksize=8))
    result = ProjectResult(directory.name, files)
    result.parse_bugs = [str(f) for f in result.findings if f.code == PARSE_ERROR and cpython_compiles(f.path)]
    result.cli_problem = compare_with_cli(relative, result.findings, jobs)
    return result


def cpython_compiles(relative: str) -> bool:
    """Whether this interpreter's compiler accepts the file (it knows only its own Python version)."""
    path = CORPUS_DIR / relative
    try:
        compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def compare_with_cli(files: Sequence[str], expected: Sequence[Finding], jobs: int) -> str | None:
    """Run the CLI on the same files; why it disagrees with the API (None when it agrees)."""
    selected = os.environ.get(SELECT_ENV, "ALL")
    selection = [] if selected == "DEFAULT" else ["--select", selected]
    command = check_command(files, *selection, "--format", "json", "--jobs", str(jobs))
    result = subprocess.run(command, cwd=CORPUS_DIR, capture_output=True, text=True, errors="replace")
    if result.returncode not in (0, 1):
        return f"CLI exit code {result.returncode}: {error_tail(result, 3)}"
    try:
        reported = {(d["path"], d["line"], d["column"], d["code"]) for d in json.loads(result.stdout)}
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        return f"CLI output is not the expected JSON: {error}"
    wanted = {finding.where for finding in expected}
    if reported == wanted:
        return None
    only_cli, only_api = sorted(reported - wanted), sorted(wanted - reported)
    return f"CLI and API disagree: only CLI {only_cli[:5]} ({len(only_cli)}), only API {only_api[:5]} ({len(only_api)})"


# ---------------------------------------------------------------------------- reporting


def summary(project: ProjectResult) -> list[str]:
    findings = project.findings
    with_findings = sum(1 for result in project.files if result.findings)
    tests = sum(result.test_functions for result in project.files)
    lines = [
        f"== {project.name}: {len(project.files)} files, {tests} test functions, "
        f"{with_findings} with findings, {len(findings)} findings"
    ]
    counts = Counter(finding.code for finding in findings)
    lines += [f"   {code}  {count}" for code, count in sorted(counts.items())]
    lines += [f"   CRASH {result.path}" for result in project.crashes]
    lines += [f"   ENGINE BUG: ATL001 on a file CPython compiles: {bug}" for bug in project.parse_bugs]
    if project.cli_problem is not None:
        lines.append(f"   CLI: {project.cli_problem}")
    return lines


def totals(projects: Sequence[ProjectResult]) -> list[str]:
    counts = Counter(finding.code for project in projects for finding in project.findings)
    files = sum(len(project.files) for project in projects)
    tests = sum(result.test_functions for project in projects for result in project.files)
    lines = [f"== total: {len(projects)} projects, {files} files, {tests} test functions, {sum(counts.values())} findings"]
    return lines + [f"   {code}  {count}" for code, count in sorted(counts.items())]


def full_report(projects: Sequence[ProjectResult]) -> str:
    lines: list[str] = []
    for project in projects:
        lines += summary(project)
        lines += [str(finding) for finding in project.findings]
        for result in project.crashes:
            lines += [f"--- crash in {result.path}", (result.crash or "").rstrip()]
        lines.append("")
    lines += totals(projects)
    return "\n".join(lines) + "\n"


def failed(projects: Sequence[ProjectResult]) -> bool:
    return any(project.crashes or project.cli_problem or project.parse_bugs for project in projects)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", nargs="+", metavar="NAME", help="only these corpus projects")
    parser.add_argument(
        "--extended", action="store_true", help="add the precision check's extra projects (trio, uvicorn, ...)"
    )
    parser.add_argument("--select", default="ALL", help="codes to select (default ALL; DEFAULT for the default set)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    # The workers and the CLI inherit this: the project index is cached here, not in ~/.cache.
    os.environ[CACHE_ENV] = str(TOOL_CACHE_DIR / "real-code")
    os.environ[SELECT_ENV] = args.select
    try:
        names = args.projects or ([project.name for project in ALL_PROJECTS] if args.extended else None)
        directories = project_dirs(names)
    except CorpusError as error:
        print(f"corpus: {error}", file=sys.stderr)
        return 2
    projects = []
    for directory in directories:
        project = lint_project(directory, args.jobs)
        print("\n".join(summary(project)), flush=True)
        projects.append(project)
    print("\n".join(totals(projects)))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(full_report(projects))
    print(f"every finding: {REPORT}")
    return 1 if failed(projects) else 0


if __name__ == "__main__":
    sys.exit(main())
