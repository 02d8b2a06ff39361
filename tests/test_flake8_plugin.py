"""The flake8 plugin, end to end: the real `flake8` command on files in a temporary project."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from flake8_run import run_flake8

from async_test_lint.engine import runner as engine
from async_test_lint.engine.registry import all_rules
from async_test_lint.flake8_plugin import Plugin
from async_test_lint.settings.config import Settings

SLEEPY_TEST = """\
import time


async def test_waits():
    time.sleep(0.1)


def test_sync_may_sleep():
    time.sleep(0.1)
"""

CUSTOM_BLOCKING_CALL = """\
from mylib import block


async def test_uses_the_library():
    value = block()
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    # An empty pytest.ini stops the engine's walk for pytest's configuration here, so nothing
    # above the temporary directory changes which files count as tests.
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    return tmp_path


def write(project: Path, name: str, text: str) -> Path:
    path = project / name
    path.write_text(textwrap.dedent(text))
    return path


# --- findings and their positions ----------------------------------------------------------------


def test_blocking_sleep_is_reported_at_its_line_and_column(project: Path) -> None:
    write(project, "test_sleep.py", SLEEPY_TEST)

    run = run_flake8(project, "--isolated", "--select", "ATL", "test_sleep.py")

    assert run.places() == [(5, 5, "ATL201")]
    assert run.findings[0].message.startswith("`time.sleep()` blocks the event loop")
    assert run.returncode == 1


def test_column_counts_from_the_start_of_the_line(project: Path) -> None:
    write(project, "test_sleep.py", "import time\n\n\nasync def test_waits():\n    x = 1; time.sleep(0.1)\n")

    run = run_flake8(project, "--isolated", "--select", "ATL", "test_sleep.py")

    assert run.places() == [(5, 12, "ATL201")]


# --- noqa -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("comment", ["# noqa: ATL201", "# noqa: ATL2 reason text", "# noqa:ATL201", "# noqa"])
def test_noqa_silences_the_finding(project: Path, comment: str) -> None:
    write(project, "test_sleep.py", SLEEPY_TEST.replace("time.sleep(0.1)\n", f"time.sleep(0.1)  {comment}\n", 1))

    run = run_flake8(project, "--isolated", "--select", "ATL", "test_sleep.py")

    assert run.findings == []
    assert run.returncode == 0


def test_noqa_for_another_code_does_not_silence(project: Path) -> None:
    write(project, "test_sleep.py", SLEEPY_TEST.replace("time.sleep(0.1)\n", "time.sleep(0.1)  # noqa: ATL202\n", 1))

    run = run_flake8(project, "--isolated", "--select", "ATL", "test_sleep.py")

    assert run.places() == [(5, 5, "ATL201")]


# --- noqa codes of ruff and flake8-async ----------------------------------------------------------

BLOCKING_HTTP_TEST = """\
import requests


async def test_health():
    requests.get("http://localhost")  # noqa: ASYNC251
"""


def with_comment(comment: str) -> str:
    return SLEEPY_TEST.replace("time.sleep(0.1)\n", f"time.sleep(0.1)  {comment}\n", 1)


@pytest.mark.parametrize("comment", ["# noqa: ASYNC251", "# noqa: E501, ASYNC251", "# noqa:ASYNC251 reason text"])
def test_noqa_for_the_peer_code_of_the_same_mistake_silences(project: Path, comment: str) -> None:
    write(project, "test_sleep.py", with_comment(comment))

    run = run_flake8(project, "--isolated", "--select", "ATL", "test_sleep.py")

    assert run.findings == []
    assert run.returncode == 0


def test_noqa_for_the_peer_code_of_another_mistake_does_not_silence(project: Path) -> None:
    write(project, "test_health.py", BLOCKING_HTTP_TEST)

    run = run_flake8(project, "--isolated", "--select", "ATL", "test_health.py")

    assert run.places() == [(5, 5, "ATL202")]


@pytest.mark.parametrize(
    ("arguments", "config"),
    [
        pytest.param(["--isolated", "--no-atl-peer-noqa"], None, id="flag"),
        pytest.param([], "[flake8]\natl-peer-noqa = false\n", id="config"),
        pytest.param(["--isolated", "--disable-noqa"], None, id="disable-noqa"),
    ],
)
def test_peer_codes_can_be_turned_off(project: Path, arguments: list[str], config: str | None) -> None:
    if config is not None:
        write(project, "setup.cfg", config)
    write(project, "test_sleep.py", with_comment("# noqa: ASYNC251"))

    run = run_flake8(project, *arguments, "--select", "ATL", "test_sleep.py")

    assert run.places() == [(5, 5, "ATL201")]


# --- selection is flake8's ------------------------------------------------------------------------

TWO_BLOCKING_CALLS = """\
import subprocess
import time


async def test_blocks_twice():
    time.sleep(0.1)
    subprocess.run(["true"])
"""


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--select", "ATL"], {"ATL201", "ATL203"}),
        (["--select", "ATL", "--extend-ignore", "ATL201"], {"ATL203"}),
        (["--select", "ATL", "--ignore", "ATL2"], set()),
        (["--select", "ATL203"], {"ATL203"}),
        (["--select", "E999"], set()),
        (["--select", "ATL", "--per-file-ignores", "test_blocks.py:ATL203"], {"ATL201"}),
    ],
)
def test_flake8_selection_decides_what_is_reported(
    project: Path, arguments: list[str], expected: set[str]
) -> None:
    write(project, "test_blocks.py", TWO_BLOCKING_CALLS)

    run = run_flake8(project, "--isolated", *arguments, "test_blocks.py")

    assert run.codes() == expected
    assert run.returncode == (1 if expected else 0)


# --- options from flake8's configuration -----------------------------------------------------------


@pytest.mark.parametrize("config_file", ["setup.cfg", "tox.ini", ".flake8"])
@pytest.mark.parametrize(
    "setting",
    [
        "atl-blocking-calls = mylib.block",
        "atl_blocking_calls = mylib.block",
        "atl-blocking-calls =\n    other.thing,\n    mylib.block",
    ],
)
def test_blocking_calls_option_is_read_from_flake8_config(project: Path, config_file: str, setting: str) -> None:
    write(project, config_file, f"[flake8]\nselect = ATL\n{setting}\n")
    write(project, "test_library.py", CUSTOM_BLOCKING_CALL)

    run = run_flake8(project, "test_library.py")

    assert run.places() == [(5, 13, "ATL205")]
    assert "`mylib.block()` is listed as blocking" in run.findings[0].message


def test_blocking_calls_option_from_the_command_line(project: Path) -> None:
    write(project, "test_library.py", CUSTOM_BLOCKING_CALL)

    run = run_flake8(project, "--isolated", "--select", "ATL", "--atl-blocking-calls", "mylib.block", "test_library.py")

    assert run.places() == [(5, 13, "ATL205")]


def test_without_the_option_a_library_call_is_not_blocking(project: Path) -> None:
    write(project, "test_library.py", CUSTOM_BLOCKING_CALL)

    run = run_flake8(project, "--isolated", "--select", "ATL", "test_library.py")

    assert run.findings == []
    assert run.returncode == 0


def test_options_reach_parallel_workers(project: Path) -> None:
    write(project, "setup.cfg", "[flake8]\nselect = ATL\natl-blocking-calls = mylib.block\n")
    for index in range(4):
        write(project, f"test_library_{index}.py", CUSTOM_BLOCKING_CALL)

    run = run_flake8(project, "--jobs", "2", ".")

    assert sorted((Path(f.path).name, f.code) for f in run.findings) == [
        (f"test_library_{index}.py", "ATL205") for index in range(4)
    ]


def test_every_rule_option_becomes_settings(tmp_path: Path) -> None:
    from flake8.options.parse_args import parse_args

    config = write(
        tmp_path,
        "tox.ini",
        """\
        [flake8]
        atl-test-files = checks_*.py
        atl-blocking-calls = a.block, b.block
        atl-task-spawners = helpers.spawn
        atl-test-decorators = helpers.scenario
        atl-task-names-everywhere = true
        atl-peer-noqa = false
        """,
    )
    try:
        parse_args(["--config", str(config), "file.py"])
        settings = Plugin.settings
    finally:
        Plugin.configure(Settings(), ())

    assert settings.test_files == ("checks_*.py",)
    assert settings.blocking_calls == ("a.block", "b.block")
    assert settings.task_spawners == ("helpers.spawn",)
    assert settings.test_decorators == ("helpers.scenario",)
    assert settings.task_names_everywhere is True
    assert settings.peer_noqa is False


# --- the same findings as the engine ---------------------------------------------------------------

MANY_FINDINGS = """\
import asyncio
import subprocess
import time as clock
from time import sleep as nap

import requests
from mylib import block


async def test_everything_blocks():
    clock.sleep(0.1)
    nap(0.1)
    requests.get("http://localhost")
    subprocess.check_output(["true"])
    asyncio.run(asyncio.sleep(0))
    x = [block() for _ in range(2)]
    clock.sleep(0.2)  # noqa: ATL201


async def helper():
    def in_a_thread():
        clock.sleep(1)

    await asyncio.to_thread(in_a_thread)
    await asyncio.to_thread(lambda: clock.sleep(1))


class TestGroup:
    async def test_method(self):
        with requests.Session() as session:
            session.post("http://localhost")
"""


def test_flake8_reports_exactly_what_the_engine_finds(project: Path) -> None:
    path = write(project, "test_everything.py", MANY_FINDINGS)
    settings = Settings(blocking_calls=("mylib.block",))
    # `--select ATL` turns the plugin on: its default rules, as the CLI runs them.
    default_rules = tuple(rule for rule in all_rules() if rule.default_enabled)
    expected = [
        (d.line, d.column, d.code, d.message)
        for d in engine.lint_text(path.read_text(), path.name, settings, default_rules)
    ]

    run = run_flake8(
        project, "--isolated", "--select", "ATL", "--atl-blocking-calls", "mylib.block", path.name
    )

    assert len(expected) >= 6, "the sample should exercise several rules"
    assert [(f.line, f.column, f.code, f.message) for f in run.findings] == expected


# --- opt-in rules --------------------------------------------------------------------------------


def opt_in_rule_with_example() -> tuple[str, str]:
    """An opt-in rule's code and the documented example that triggers it."""
    opt_in = [rule for rule in all_rules() if not rule.default_enabled]
    if not opt_in:
        pytest.skip("no rule has default_enabled = False yet")
    rule = opt_in[0]
    example = re.search(r"```python\n(.*?)```", rule.doc_section("Example"), re.DOTALL)
    assert example is not None, f"{rule.code} documents no ```python example under '## Example'"
    return rule.code, example.group(1)


@pytest.mark.parametrize("selection", ["--extend-select={code}", "--extend-select={prefix}", "--select={code}"])
def test_opt_in_rule_is_reported_only_when_selected(project: Path, selection: str) -> None:
    code, example = opt_in_rule_with_example()
    write(project, "test_example.py", example)
    chosen = selection.format(code=code, prefix=code[:4])

    by_default = run_flake8(project, "--isolated", "test_example.py")
    selected = run_flake8(project, "--isolated", chosen, "test_example.py")

    assert code not in by_default.codes()
    assert code in selected.codes(), f"the documented example of {code} should trigger it"


# --- files the linter cannot read ----------------------------------------------------------------


def test_syntax_error_is_flake8s_e999_and_does_not_crash(project: Path) -> None:
    write(project, "test_broken.py", "import time\n\n\nasync def test_broken(:\n    time.sleep(1)\n")
    write(project, "test_sleep.py", SLEEPY_TEST)

    run = run_flake8(project, "--isolated", "--select", "ATL,E999", "test_broken.py", "test_sleep.py")

    assert sorted((Path(f.path).name, f.line, f.code) for f in run.findings) == [
        ("test_broken.py", 4, "E999"),
        ("test_sleep.py", 5, "ATL201"),
    ]
    assert run.returncode == 1


def test_file_python_accepts_but_libcst_cannot_parse_is_atl001(project: Path) -> None:
    # CPython allows a form feed inside indentation; libcst's parser does not.
    write(project, "test_form_feed.py", "import time\n\n\nasync def test_a():\n    if 1:\n\x0c        time.sleep(1)\n")

    run = run_flake8(project, "--isolated", "--select", "ATL,E999", "test_form_feed.py")

    assert run.codes() == {"ATL001"}
    assert run.findings[0].message.startswith("cannot parse")
    assert run.returncode == 1


@pytest.mark.parametrize(
    "options",
    [
        pytest.param(["--atl-blocking-calls", "mylib.block"], id="blocking-calls-set"),
        pytest.param([], id="defaults"),
    ],
)
def test_file_without_a_trigger_word_is_not_parsed(project: Path, options: list[str]) -> None:
    # Unparsable by libcst (see above), so a finding would prove that the file was parsed.
    write(project, "test_form_feed.py", "import os\n\n\nasync def test_a():\n    if 1:\n\x0c        print(os.sep)\n")

    # The missing-await rules (ATL1) parse every file with `async` in it; the others need their words.
    run = run_flake8(project, "--isolated", "--select", "ATL2,ATL4", *options, "test_form_feed.py")

    assert run.findings == []


def test_a_failure_inside_the_linter_becomes_a_finding() -> None:
    # Too deep for libcst's recursive walk, not for CPython's parser.
    source = "import time\nx = " + " + ".join(["1"] * 1500) + "\n\n\nasync def test_a():\n    time.sleep(1)\n"
    Plugin.configure(Settings(), ())

    findings = list(Plugin(None, "test_deep.py", source.splitlines(keepends=True)).run())  # type: ignore[arg-type]

    assert [(line, column, text.split()[0]) for line, column, text, _ in findings] == [(1, 0, "ATL001")]
