"""Each rule documents itself, its examples are true, and the README's table is the registry's."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from fixture_files import ROOT

from async_test_lint.engine.registry import all_rules
from async_test_lint.engine.runner import lint_text
from async_test_lint.knowledge.peer_codes import markdown_table, rule_section
from async_test_lint.reporting import rules_table
from async_test_lint.settings.config import Settings

RULES = list(all_rules())
IDS = [rule.code for rule in RULES]
CODE_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
REQUIRED_SECTIONS = ("What it does", "Why is this bad?", "Example", "Known problems")


def findings(rule, source: str) -> list[str]:
    settings = Settings(select=(rule.code,)).updated(rule.example_settings)
    return [d.code for d in lint_text(source, "tests/test_example.py", settings, [rule], is_test_file=True)]


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_docstring_has_the_sections(rule) -> None:
    for section in REQUIRED_SECTIONS:
        assert rule.doc_section(section), f"{rule.code} lacks '## {section}'"
    if rule.fix_title:
        assert rule.doc_section("Fix safety"), f"{rule.code} fixes but has no '## Fix safety'"
    assert re.fullmatch(r"ATL\d{3}", rule.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_example_raises_and_use_instead_does_not(rule) -> None:
    example_section = rule.doc_section("Example")
    before, _, after = example_section.partition("Use instead:")
    bad = CODE_BLOCK.findall(before)
    good = CODE_BLOCK.findall(after)
    assert bad and good, f"{rule.code}: Example needs a python block before and after 'Use instead:'"
    assert rule.code in findings(rule, bad[0])
    assert rule.code not in findings(rule, good[0])


def test_readme_rules_table_is_generated() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- rules-table:start -->\n", "<!-- rules-table:end -->"
    assert start in readme and end in readme
    table = readme.split(start, 1)[1].split(end, 1)[0]
    assert table == rules_table(), "README rules table drifted: paste `async-test-lint rules` between the markers"


def test_readme_peer_codes_table_is_the_data_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- peer-codes-table:start -->\n", "<!-- peer-codes-table:end -->"
    assert start in readme and end in readme
    table = readme.split(start, 1)[1].split(end, 1)[0]
    assert table == markdown_table(), (
        "README peer codes table drifted from data/peer_noqa_codes.toml: paste "
        "`python -c 'from async_test_lint.knowledge.peer_codes import markdown_table as t; print(t(), end=\"\")'` between the markers"
    )


def test_rule_command_prints_the_docstring() -> None:
    for rule in RULES:
        result = subprocess.run(
            [sys.executable, "-m", "async_test_lint", "rule", rule.code], capture_output=True, text=True
        )
        assert result.returncode == 0
        assert rule.documentation() in result.stdout
        assert rule_section(rule.code) in result.stdout
