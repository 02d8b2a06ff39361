"""Every fixture in fixtures_code/ reports exactly what its annotations say, and fixes as its .fixed.py."""

from __future__ import annotations

from collections import Counter

import pytest
from fixture_files import Expected, Fixture, MalformedAnnotation, annotations, as_noqa, fixture_paths, load

from async_test_lint.engine.fixer import fix_text
from async_test_lint.engine.registry import all_rules, select_rules
from async_test_lint.engine.runner import lint_text
from async_test_lint.settings.config import Settings

FIXTURES = [load(path) for path in fixture_paths()]
IDS = [fixture.path.name for fixture in FIXTURES]


def settings_for(fixture: Fixture) -> Settings:
    return Settings(select=fixture.select).updated(fixture.options)


def lint(fixture: Fixture, text: str | None = None):
    settings = settings_for(fixture)
    return lint_text(
        fixture.text if text is None else text,
        str(fixture.path),
        settings,
        select_rules(settings),
        is_test_file=fixture.is_test_file,
    )


def fix(fixture: Fixture, text: str):
    settings = settings_for(fixture)
    return fix_text(text, str(fixture.path), settings, select_rules(settings), is_test_file=fixture.is_test_file)


def test_every_rule_has_a_fixture() -> None:
    covered = {fixture.code for fixture in FIXTURES}
    missing = [rule.code for rule in all_rules() if rule.code not in covered]
    assert not missing, f"rules without a fixture in fixtures_code/: {missing}"


def test_every_fixture_expects_a_finding_of_its_rule() -> None:
    empty = [f.path.name for f in FIXTURES if not any(e.code == f.code for e in f.expected)]
    assert not empty, f"fixtures with no positive case: {empty}"


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_findings_match_annotations(fixture: Fixture) -> None:
    found = lint(fixture)
    actual = sorted((d.code, d.line, d.column) for d in found)
    expected = sorted((e.code, e.line, e.column) for e in fixture.expected)
    assert actual == expected
    by_place = {(d.code, d.line, d.column): d.message for d in found}
    for item in fixture.expected:
        if item.message_part is not None:
            assert item.message_part in by_place[(item.code, item.line, item.column)]


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_noqa_silences_every_finding(fixture: Fixture) -> None:
    assert lint(fixture, as_noqa(fixture.text)) == []


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_fix_output_matches_fixed_file(fixture: Fixture) -> None:
    findings = lint(fixture)
    safe_fixes = [d for d in findings if d.fixable and d.fix_safe]
    if not fixture.fixed_path.exists():
        assert not safe_fixes, f"{fixture.path.name} has fixable findings but no .fixed.py"
        return
    assert safe_fixes, f"{fixture.fixed_path.name} exists but nothing in {fixture.path.name} is fixable"
    outcome = fix(fixture, fixture.text)
    expected = fixture.fixed_path.read_bytes().decode("utf-8")
    assert outcome.text == expected
    assert outcome.messages == []


@pytest.mark.parametrize("fixture", [f for f in FIXTURES if f.fixed_path.exists()], ids=lambda f: f.fixed_path.name)
def test_fixed_file_is_stable_valid_and_creates_no_finding(fixture: Fixture) -> None:
    fixed = fixture.fixed_path.read_bytes().decode("utf-8")
    compile(fixed, str(fixture.fixed_path), "exec")
    assert fix(fixture, fixed).text == fixed, "fix is not idempotent"
    unfixable_before = Counter(d.code for d in lint(fixture) if not (d.fixable and d.fix_safe))
    after = Counter(d.code for d in lint(fixture, fixed))
    assert after <= unfixable_before, f"the fix created findings: {after - unfixable_before}"


@pytest.mark.parametrize("comment", ["# ATL20:5", "# ATL201:x", "# ATL201:5 ATL4O1:5", "# ATL2011:5"])
def test_a_mistyped_annotation_fails_instead_of_expecting_nothing(comment: str) -> None:
    with pytest.raises(MalformedAnnotation):
        annotations([f"time.sleep(1)  {comment}"])


def test_noqa_codes_and_quoted_messages_are_not_annotations() -> None:
    lines = ['x()  # noqa: ATL201 reason', 'y()  # ATL201:5 "time.sleep: says ATL20:1"']
    assert annotations(lines) == [Expected("ATL201", 2, 5, "time.sleep: says ATL20:1")]
