"""Reading the annotated fixtures in fixtures_code/.

A fixture is real code. A comment `# ATL201:5` on a line says a finding with that code starts at that
line, at column 5 (1-based, as printed); several may share a line (`# ATL402:5 ATL401:5`), and
`# ATL201:5 "substring"` also checks the message. Header comments at the top of the file:
`# enable: ATL201, ATL4` widens the rules run (default: the code in the file name),
`# test-file: no` lints it as a non-test file (default: a test file),
`# option: blocking-calls = mylib.block` sets an option.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures_code"
ANNOTATION = re.compile(r'(ATL\d{3}):(\d+)(?:\s+"([^"]*)")?')
# Anything in a comment that starts like an annotation (`ATL20:5`, `ATL201:x`; prose such as
# "not ATL108: ..." has a space after the colon): each must
# be a whole annotation, so a typo fails the fixture instead of silently expecting nothing.
ANNOTATION_LIKE = re.compile(r"\bATL\w*:\S+")
WHOLE_ANNOTATION = re.compile(r"ATL\d{3}:\d+")
HEADER = re.compile(r"^#\s*(enable|test-file|option):\s*(.*)$")
FILE_CODE = re.compile(r"^(ATL\d{3})(?:_[A-Za-z0-9_]+)?$")


@dataclass(frozen=True)
class Expected:
    code: str
    line: int
    column: int
    message_part: str | None = None


@dataclass
class Fixture:
    path: Path
    code: str
    select: tuple[str, ...]
    is_test_file: bool = True
    options: dict[str, Any] = field(default_factory=dict)
    expected: list[Expected] = field(default_factory=list)

    @property
    def fixed_path(self) -> Path:
        return self.path.with_name(self.path.stem + ".fixed.py")

    @property
    def text(self) -> str:
        return self.path.read_bytes().decode("utf-8")


def fixture_paths() -> list[Path]:
    return sorted(
        path
        for path in FIXTURES.glob("ATL*.py")
        if not path.name.endswith(".fixed.py") and FILE_CODE.match(path.stem)
    )


def load(path: Path) -> Fixture:
    match = FILE_CODE.match(path.stem)
    assert match, f"fixture {path.name} is not named <CODE>[_variant].py"
    fixture = Fixture(path=path, code=match.group(1), select=(match.group(1),))
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines:
        header = HEADER.match(line.strip())
        if header is None:
            if line.strip() and not line.startswith("#"):
                break
            continue
        _apply_header(fixture, header.group(1), header.group(2).strip())
    fixture.expected = annotations(lines)
    return fixture


def annotations(lines: list[str]) -> list[Expected]:
    """The findings the `# ATL201:5` comments of these lines expect, in line order."""
    expected = []
    for number, line in enumerate(lines, start=1):
        if "#" not in line or HEADER.match(line.strip()):
            continue
        comment = line[line.index("#") :]
        for attempt in ANNOTATION_LIKE.findall(_without_quoted_messages(comment)):
            if not WHOLE_ANNOTATION.fullmatch(attempt):
                raise MalformedAnnotation(f"line {number}: {attempt!r} is not an annotation like ATL201:5")
        for code, column, message in ANNOTATION.findall(comment):
            expected.append(Expected(code, number, int(column), message or None))
    return expected


class MalformedAnnotation(ValueError):
    """A comment that looks like an expected finding but does not parse as one."""


def _without_quoted_messages(comment: str) -> str:
    # The message part of `# ATL201:5 "time.sleep: blocks"` may hold any text.
    return re.sub(r'"[^"]*"', '""', comment)


def _apply_header(fixture: Fixture, key: str, value: str) -> None:
    if key == "enable":
        fixture.select = tuple(part.strip() for part in value.replace(",", " ").split())
    elif key == "test-file":
        fixture.is_test_file = value.lower() not in ("no", "false", "0")
    else:
        name, _, raw = value.partition("=")
        fixture.options[name.strip().replace("-", "_")] = raw.strip()


def as_noqa(text: str) -> str:
    """The fixture with each annotation comment turned into a `# noqa` for the same codes."""

    def replace(match: re.Match[str]) -> str:
        codes = [code for code, _, _ in ANNOTATION.findall(match.group(0))]
        return "# noqa: " + ",".join(codes) if codes else match.group(0)

    return re.sub(r"#\s*ATL\d{3}:\d+.*$", replace, text, flags=re.MULTILINE)
