"""`# noqa` lines, and the table of peer linters' codes that silence our rules."""

from __future__ import annotations

import re

import pytest

from async_test_lint.engine.registry import all_rules
from async_test_lint.engine.suppression import is_suppressed, is_suppressed_by_peer_code
from async_test_lint.knowledge.peer_codes import peer_codes, rule_section, silenced_by

SLEEP = "    time.sleep(0.1)"


@pytest.mark.parametrize(
    ("comment", "code", "expected"),
    [
        ("# noqa: ASYNC251", "ATL201", True),
        ("# noqa: ASYNC251", "ATL202", False),
        ("# noqa: E501, ASYNC251", "ATL201", True),
        ("# noqa:E501,ASYNC251 the loop may stall here", "ATL201", True),
        ("# noqa: RUF006", "ATL402", True),
        ("# noqa: ASYNC220", "ATL203", True),
        ("# noqa: ATL201", "ATL201", True),
        ("# noqa", "ATL201", True),
        ("# noqa: E501", "ATL201", False),
        # Peer codes are matched exactly, as ruff matches them: a prefix is not a peer code.
        ("# noqa: ASYNC25", "ATL201", False),
        ("# noqa: ASYNC2512", "ATL201", False),
        # A code that no longer means one thing across tools and versions is not in the table.
        ("# noqa: ASYNC101", "ATL201", False),
        ("# noqa: ASYNC230", "ATL205", False),
    ],
)
def test_noqa_codes_and_peer_codes(comment: str, code: str, expected: bool) -> None:
    assert is_suppressed(code, f"{SLEEP}  {comment}") is expected


@pytest.mark.parametrize("comment", ["# noqa: ASYNC251", "# noqa: E501, ASYNC251"])
def test_peer_codes_can_be_turned_off(comment: str) -> None:
    assert is_suppressed("ATL201", f"{SLEEP}  {comment}", peer_noqa=False) is False
    assert is_suppressed("ATL201", f"{SLEEP}  # noqa: ATL201, ASYNC251", peer_noqa=False) is True


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f"{SLEEP}  # noqa: ASYNC251", True),
        (f"{SLEEP}  # noqa: E501,ASYNC251", True),
        # flake8 decides these itself: the plugin's own check is about peer codes only.
        (f"{SLEEP}  # noqa", False),
        (f"{SLEEP}  # noqa: ATL201", False),
        (SLEEP, False),
    ],
)
def test_the_flake8_plugins_check_is_about_peer_codes_only(line: str, expected: bool) -> None:
    assert is_suppressed_by_peer_code("ATL201", line) is expected


# --- the table ---------------------------------------------------------------------------------


def test_the_asked_for_equivalences_are_in_the_table() -> None:
    assert silenced_by(["ASYNC251"]) == {"ATL201"}
    assert silenced_by(["ASYNC210"]) == silenced_by(["ASYNC212"]) == {"ATL202"}
    assert silenced_by(["ASYNC220"]) == silenced_by(["ASYNC221"]) == silenced_by(["ASYNC222"]) == {"ATL203"}
    assert silenced_by(["RUF006"]) == {"ATL402"}
    assert silenced_by(["ASYNC251", "RUF006", "E501"]) == {"ATL201", "ATL402"}


def test_every_entry_is_well_formed() -> None:
    known = {rule.code for rule in all_rules()}
    codes = [peer.code for peer in peer_codes()]
    assert len(codes) == len(set(codes))
    for peer in peer_codes():
        assert re.fullmatch(r"(ASYNC|RUF)\d{3}", peer.code), peer.code
        assert peer.silences and set(peer.silences) <= known, peer
        assert peer.names, f"{peer.code} names the rule in neither ruff nor flake8-async"
        assert peer.why.strip(), peer.code


def test_rule_section_lists_the_peer_codes_of_the_rule_only() -> None:
    section = rule_section("ATL402")
    assert section.startswith("## Peer noqa codes\n")
    assert "`RUF006`" in section and "`ASYNC300`" in section and "ASYNC251" not in section
    assert rule_section("ATL204") == ""


def test_a_noqa_where_a_multi_line_string_ends_silences_check_and_fix_alike(tmp_path) -> None:
    from async_test_lint.engine.fixer import fix_text
    from async_test_lint.engine.registry import select_rules
    from async_test_lint.engine.runner import lint_text
    from async_test_lint.settings.config import Settings

    source = (
        "import asyncio\nimport time\n\n\nasync def test_waits():\n"
        '    time.sleep(len("""\n    a long\n    text\n    """))  # noqa: ATL201\n'
        "    time.sleep(0)\n"
    )
    settings = Settings(select=("ATL201",))
    rules = select_rules(settings)
    assert [d.line for d in lint_text(source, "test_x.py", settings, rules)] == [10]
    fixed = fix_text(source, "test_x.py", settings, rules, is_test_file=True).text
    assert 'time.sleep(len("""' in fixed and "await asyncio.sleep(0)" in fixed
