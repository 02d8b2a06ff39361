"""Running the real `flake8` in a subprocess, and reading its findings."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

OUTPUT_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<code>[A-Z]+[0-9]+) (?P<message>.*)$")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    column: int
    code: str
    message: str


@dataclass
class Flake8Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def findings(self) -> list[Finding]:
        return [parse_output_line(line) for line in self.stdout.splitlines() if line.strip()]

    def codes(self) -> set[str]:
        return {finding.code for finding in self.findings}

    def places(self) -> list[tuple[int, int, str]]:
        return [(finding.line, finding.column, finding.code) for finding in self.findings]


def parse_output_line(line: str) -> Finding:
    match = OUTPUT_LINE.match(line)
    assert match is not None, f"unexpected flake8 output line: {line!r}"
    return Finding(
        match["path"], int(match["line"]), int(match["column"]), match["code"], match["message"]
    )


def run_flake8(project: Path, *args: str) -> Flake8Run:
    completed = subprocess.run(
        [sys.executable, "-m", "flake8", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in completed.stdout + completed.stderr, completed.stdout + completed.stderr
    return Flake8Run(completed.returncode, completed.stdout, completed.stderr)
