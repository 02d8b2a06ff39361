"""Output formats: text, json, sarif (GitHub code scanning) and github (workflow annotations)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from async_test_lint.engine.registry import all_rules, rule_by_code
from async_test_lint.model.rule import Diagnostic
from async_test_lint.version import __version__

FORMATS = ("text", "json", "sarif", "github")
PROJECT_URL = "https://pypi.org/project/async-test-lint/"


def render(diagnostics: Sequence[Diagnostic], output_format: str, show_source: dict[str, list[str]] | None = None) -> str:
    if output_format == "json":
        return json.dumps([d.to_dict() for d in diagnostics], indent=2) + "\n"
    if output_format == "sarif":
        return json.dumps(sarif(diagnostics), indent=2) + "\n"
    if output_format == "github":
        return "".join(github_line(d) + "\n" for d in diagnostics)
    return "".join(text_line(d, show_source) for d in diagnostics)


def text_line(diagnostic: Diagnostic, sources: dict[str, list[str]] | None = None) -> str:
    marker = " [*]" if diagnostic.fixable and diagnostic.fix_safe else ""
    line = f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}: {diagnostic.code}{marker} {diagnostic.message}\n"
    if sources is not None:
        lines = sources.get(diagnostic.path, [])
        if 0 < diagnostic.line <= len(lines):
            line += f"    {lines[diagnostic.line - 1].rstrip()}\n"
    return line


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    if not diagnostics:
        return "All checks passed.\n"
    fixable = sum(1 for d in diagnostics if d.fixable and d.fix_safe)
    noun = "error" if len(diagnostics) == 1 else "errors"
    text = f"Found {len(diagnostics)} {noun}."
    if fixable:
        text += f"\n[*] {fixable} fixable with `async-test-lint fix`."
    return text + "\n"


def statistics(diagnostics: Sequence[Diagnostic], output_format: str = "text") -> str:
    """A count per rule, most frequent first: text rows, or with `json` an object of code -> count.

    sarif and github report each finding; the CLI refuses `--statistics` with them, as ruff does.
    """
    counts = sorted(Counter(d.code for d in diagnostics).items(), key=lambda item: (-item[1], item[0]))
    if output_format == "json":
        return json.dumps(dict(counts), indent=2) + "\n"
    rows = []
    for code, count in counts:
        rule = rule_by_code(code)
        fixable = "[*]" if any(d.code == code and d.fixable for d in diagnostics) else "   "
        rows.append(f"{count:>6}  {code}  {fixable} {rule.name if rule else ''}")
    return "\n".join(rows) + ("\n" if rows else "")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    # As GitHub's actions/toolkit does: `,` and `:` delimit the properties of a workflow command.
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(diagnostic: Diagnostic) -> str:
    message = _escape_data(diagnostic.message)
    return (
        f"::error title=async-test-lint ({diagnostic.code}),file={_escape_property(diagnostic.path)},"
        f"line={diagnostic.line},col={diagnostic.column},endLine={diagnostic.end_line},"
        f"endColumn={diagnostic.end_column}::{diagnostic.code} {message}"
    )


def sarif(diagnostics: Sequence[Diagnostic]) -> dict[str, object]:
    rules = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary()},
            "fullDescription": {"text": rule.documentation()},
            "defaultConfiguration": {"enabled": rule.default_enabled, "level": "error"},
        }
        for rule in all_rules()
    ]
    results = [
        {
            "ruleId": d.code,
            "level": "error",
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": d.path.replace("\\", "/")},
                        "region": {
                            "startLine": d.line,
                            "startColumn": d.column,
                            "endLine": d.end_line or d.line,
                            "endColumn": d.end_column or d.column,
                        },
                    }
                }
            ],
        }
        for d in diagnostics
    ]
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "async-test-lint",
                        "version": __version__,
                        "informationUri": PROJECT_URL,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }


def rules_table() -> str:
    """The Markdown table of every rule, as the README and `async-test-lint rules` show it."""
    lines = [
        "| Code | Name | Default | Fix | What it does |",
        "| --- | --- | --- | --- | --- |",
    ]
    for rule in all_rules():
        default = "on" if rule.default_enabled else "opt-in"
        fix = "yes" if rule.fix_title else ""
        lines.append(f"| {rule.code} | {rule.name} | {default} | {fix} | {rule.summary()} |")
    return "\n".join(lines) + "\n"
