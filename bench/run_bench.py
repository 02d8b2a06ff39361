"""Side-by-side timing of async-test-lint, the libcst parse-only floor and peer linters, on real code.

    python bench/run_bench.py              # whole corpus, 3 rounds
    python bench/run_bench.py --quick      # two small projects, for a smoke run
    python bench/run_bench.py --repeat 5 --projects aiohttp anyio

Every mode is handed the same .py files (the corpus). The rounds are interleaved (round 1 runs every
mode once, then round 2...) so a burst of load on this shared machine hits all modes alike; each
mode's median is compared with the median of the parse-only floor, in wall time and in CPU time
(steadier on a shared machine). The ratios are the headline, not the seconds. Results also go to
bench/results/bench-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import libcst
from corpus import (
    CACHE_DIR,
    CORPUS_DIR,
    QUICK,
    CorpusError,
    corpus_files,
    error_tail,
    project_dirs,
    select_projects,
)
from tool import (
    CACHE_ENV,
    SOURCE_DIR,
    TOOL_CACHE_DIR,
    check_command,
    cli_problem,
    fresh_cache_dir,
    isolated_config,
    source_fingerprint,
    tool_env,
)

RESULTS_DIR = Path(__file__).resolve().parent / "results"
PEERS_VENV = CACHE_DIR / "peers-venv"
FLOOR = "libcst parse-only (floor, in-process)"
# A finding line as flake8, ruff (concise) and fixit print it, `path:line:col: CODE message` or
# `path@line:col RuleName: message`; group 1 is the code or rule name.
FINDING_LINE = re.compile(r"^\S+?[:@]\d+:\d+:?\s+(\w+)", re.MULTILINE)
UNPARSABLE = "unparsable"  # the floor's "code": files libcst could not parse
PARSE_ERROR = "ATL001"

Counts = Counter[str]  # findings per code


@dataclass(frozen=True)
class Peer:
    """A peer linter installed into PEERS_VENV, pinned so that numbers stay comparable."""

    name: str
    packages: tuple[str, ...]
    executable: str


PEERS: tuple[Peer, ...] = (
    Peer("flake8-async", ("flake8==7.5.0", "flake8-async==26.8.1"), "flake8"),
    Peer("fixit", ("fixit==2.2.1",), "fixit"),
    Peer("ruff", ("ruff==0.17.6",), "ruff"),
)


class RunFailed(Exception):
    """A mode did not complete (crash, bad exit code)."""


@dataclass
class Mode:
    """One thing to time. `run` returns its findings counted per code."""

    name: str
    cores: str
    run: Callable[[], Counts] | None
    command: list[str] | None = None
    unavailable: str | None = None
    prime: bool = False  # run once untimed first (a warm cache)
    times: list[float] = field(default_factory=list)  # wall seconds
    cpu_times: list[float] = field(default_factory=list)  # CPU seconds, this process and its children
    codes: Counts | None = None  # from the last successful run
    failures: list[str] = field(default_factory=list)

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu_times) if self.cpu_times else None

    @property
    def findings(self) -> int | None:
        return None if self.codes is None else sum(self.codes.values())


# ---------------------------------------------------------------------------- in-process modes


def parse_only(files: Sequence[Path]) -> Callable[[], Counts]:
    """The floor for any libcst-based linter: read and parse every file, nothing else."""

    def run() -> Counts:
        failures = 0
        for path in files:
            try:
                libcst.parse_module(path.read_bytes())
            except (libcst.ParserSyntaxError, RecursionError, ValueError):
                failures += 1
        return Counter({UNPARSABLE: failures})

    return run


def api_mode(files: Sequence[Path]) -> Mode:
    """This tool through its Python API, in this process, one core, default rules, cold cache."""
    name = "async-test-lint API lint_path (in-process, cold)"
    try:
        from async_test_lint.engine.registry import select_rules
        from async_test_lint.engine.runner import lint_path
        from async_test_lint.settings.config import Settings

        settings = Settings(root=isolated_config().parent)
        rules = select_rules(settings)
    except Exception as error:  # noqa: BLE001 - src/ may be mid-edit; report, do not crash
        return Mode(name, "1", None, unavailable=f"import failed: {type(error).__name__}: {error}")

    def run() -> Counts:
        with fresh_cache_dir() as directory:
            os.environ[CACHE_ENV] = directory  # read when an index is built, so set per run
            _forget_indexes()
            return Counter(d.code for path in files for d in lint_path(path, settings, rules).diagnostics)

    return Mode(name, "1", run)


def _forget_indexes() -> None:
    """Drop the project indexes this process built, so that each in-process run starts cold."""
    try:
        from async_test_lint.project.index import forget_indexes
    except ImportError:  # an engine without a project index has nothing to forget
        return
    forget_indexes()


def files_past_trigger_scan(files: Sequence[Path]) -> int | None:
    """How many files the engine's bytes scan lets through to the parser (default rules)."""
    try:
        from async_test_lint.engine.registry import select_rules
        from async_test_lint.engine.runner import has_trigger, trigger_words
        from async_test_lint.settings.config import Settings

        settings = Settings()
        words = trigger_words(select_rules(settings), settings)
    except Exception:  # noqa: BLE001 - an engine detail that may change; the number is optional
        return None
    return sum(1 for path in files if has_trigger(path.read_bytes(), words))


# ---------------------------------------------------------------------------- subprocess modes


def run_counted(command: list[str], count: Callable[[str], Counts], env: dict[str, str] | None = None) -> Counts:
    """Run `command` in the corpus directory; exit codes 0 (clean) and 1 (findings) are success."""
    result = subprocess.run(command, cwd=CORPUS_DIR, capture_output=True, text=True, errors="replace", env=env)
    if result.returncode not in (0, 1):
        raise RunFailed(f"exit code {result.returncode}: {error_tail(result)}")
    return count(result.stdout)


def subprocess_run(
    command: list[str], count: Callable[[str], Counts], env: dict[str, str] | None = None
) -> Callable[[], Counts]:
    return lambda: run_counted(command, count, env)


def cold_cli_run(command: list[str]) -> Callable[[], Counts]:
    """The CLI with an empty cache directory of its own: a first run on a fresh checkout."""

    def run() -> Counts:
        with fresh_cache_dir() as directory:
            return run_counted(command, count_json, tool_env(directory))

    return run


def count_json(stdout: str) -> Counts:
    return Counter(finding["code"] for finding in json.loads(stdout))


def count_lines(stdout: str) -> Counts:
    return Counter(FINDING_LINE.findall(stdout))


def tool_modes(files: Sequence[str]) -> list[Mode]:
    """This tool's CLI: one core, all cores, every rule (cold cache), and all cores on a warm cache."""
    problem = cli_problem()
    if problem is not None:
        return [Mode("async-test-lint check", "-", None, unavailable=f"CLI not runnable: {problem}")]
    cores = str(os.cpu_count() or 1)
    cold: list[tuple[str, str, tuple[str, ...]]] = [
        ("async-test-lint check --jobs 1 (cold)", "1", ("--jobs", "1")),
        (f"async-test-lint check --jobs {cores} (cold)", cores, ("--jobs", cores)),
        ("async-test-lint check --jobs 1 --select ALL (cold)", "1", ("--jobs", "1", "--select", "ALL")),
    ]
    modes = []
    for name, mode_cores, options in cold:
        command = check_command(files, "--format", "json", *options)
        modes.append(Mode(name, mode_cores, cold_cli_run(command), command))
    warm = check_command(files, "--format", "json", "--jobs", cores)
    warm_env = tool_env(TOOL_CACHE_DIR / "warm")
    name = f"async-test-lint check --jobs {cores} (warm)"
    modes.append(Mode(name, cores, subprocess_run(warm, count_json, warm_env), warm, prime=True))
    return modes


# ---------------------------------------------------------------------------- peers


def _venv_bin(name: str) -> Path:
    return PEERS_VENV / "bin" / name


def _installed(peer: Peer) -> bool:
    if not _venv_bin(peer.executable).is_file():
        return False
    pins = [package.split("==") for package in peer.packages]
    code = f"import importlib.metadata as m, sys; sys.exit(any(m.version(n) != v for n, v in {pins!r}))"
    return subprocess.run([str(_venv_bin("python")), "-c", code], capture_output=True).returncode == 0


def ensure_peer(peer: Peer) -> str | None:
    """Install the peer into PEERS_VENV if missing; the reason it is unavailable, or None."""
    if _installed(peer):
        return None
    if not _venv_bin("python").is_file():
        made = subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], capture_output=True, text=True)
        if made.returncode != 0:
            return f"cannot create {PEERS_VENV}: {error_tail(made, 1)}"
    print(f"installing {' '.join(peer.packages)} into {PEERS_VENV} ...", file=sys.stderr)
    pip = [str(_venv_bin("python")), "-m", "pip", "install", "--quiet", *peer.packages]
    result = subprocess.run(pip, capture_output=True, text=True)
    if result.returncode != 0 or not _installed(peer):
        return f"pip install failed: {error_tail(result, 1)}"
    return None


def peer_modes(files: Sequence[str]) -> list[Mode]:
    """flake8-async, fixit and ruff at their defaults (all cores), isolated from the projects' configs.

    No single-core flake8 row: flake8-async runs libcst on every file and takes ~20x the floor, so a
    second flake8 row would double the benchmark's length for a number that says the same.
    """
    commands: dict[str, list[tuple[str, str, list[str], dict[str, str] | None]]] = {
        "flake8-async": [
            ("flake8 --select ASYNC (flake8-async)", "all",
             [str(_venv_bin("flake8")), "--isolated", "--select", "ASYNC", *files], None),
        ],
        "fixit": [
            ("fixit lint", "all",
             [str(_venv_bin("fixit")), "--config-file", str(isolated_config()), "lint", *files], None),
        ],
        "ruff": [
            ("ruff check --select ASYNC,RUF006", "all",
             [str(_venv_bin("ruff")), "check", "--isolated", "--no-cache", "--output-format", "concise",
              "--select", "ASYNC,RUF006", *files], None),
        ],
    }  # fmt: skip
    modes = []
    for peer in PEERS:
        problem = ensure_peer(peer)
        for name, cores, command, env in commands[peer.name]:
            if problem is not None:
                modes.append(Mode(name, cores, None, unavailable=problem))
            else:
                modes.append(Mode(name, cores, subprocess_run(command, count_lines, env), command))
    return modes


# ---------------------------------------------------------------------------- measuring


def measure(modes: Sequence[Mode], repeat: int, slow_limit: float) -> None:
    """Interleaved rounds: every mode once per round, so load bursts hit all modes alike.

    A mode whose first run takes longer than `slow_limit` seconds is not repeated: at that length
    one run's noise is small against the ratio, and repeating it would make the benchmark last an hour.
    A failed run is recorded and the mode tried again next round: src/ is edited while the benchmark
    runs, and a half-saved module is a passing failure, not the mode's result.
    """
    for mode in modes:
        if mode.run is not None and mode.prime:
            _timed(mode)
            mode.times.clear()
            mode.cpu_times.clear()
    for round_number in range(1, repeat + 1):
        for mode in modes:
            if mode.run is None or (mode.times and mode.times[0] > slow_limit):
                continue
            outcome = _timed(mode)
            print(f"  round {round_number}/{repeat}  {mode.name:48} {outcome}", file=sys.stderr)


def cpu_seconds() -> float:
    """CPU time of this process plus every finished child (and the children they waited for)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _timed(mode: Mode) -> str:
    """Run the mode once, recording its times or its failure; a line for the progress log.

    CPU time is kept next to wall time: on a shared machine a busy neighbour stretches wall time,
    while the CPU a single-core mode uses hardly changes, so its CPU ratio is the steadier number.
    """
    assert mode.run is not None
    start, cpu_start = time.perf_counter(), cpu_seconds()
    try:
        codes = mode.run()
    except Exception as error:  # noqa: BLE001 - an in-process engine crash is a result, not a stop
        mode.failures.append(str(error) if isinstance(error, RunFailed) else f"{type(error).__name__}: {error}")
        return f"FAILED: {mode.failures[-1]}"
    mode.times.append(time.perf_counter() - start)
    mode.cpu_times.append(cpu_seconds() - cpu_start)
    mode.codes = codes
    return f"{mode.times[-1]:.2f}s wall, {mode.cpu_times[-1]:.2f}s cpu"


def status(mode: Mode) -> str | None:
    if mode.unavailable is not None:
        return f"unavailable ({mode.unavailable})"
    if mode.failures and not mode.times:
        return f"failed ({mode.failures[-1]})"
    return None


def _ratio(value: float | None, floor: float | None) -> float | None:
    return value / floor if value is not None and floor else None


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def table(modes: Sequence[Mode]) -> str:
    floor = modes[0]
    header = f"{'mode':50} {'cores':>5} {'wall s':>7} {'x floor':>8} {'cpu s':>7} {'x floor':>8} {'findings':>9}"
    rows = [header, "-" * len(header)]
    for mode in modes:
        problem = status(mode)
        if problem is not None:
            rows.append(f"{mode.name:50} {mode.cores:>5} {problem}")
            continue
        wall_ratio = _cell(_ratio(mode.median, floor.median))
        cpu_ratio = _cell(_ratio(mode.cpu_median, floor.cpu_median))
        findings = "-" if mode.findings is None else str(mode.findings)
        runs = f"  ({len(mode.times)} run{'s' if len(mode.times) != 1 else ''}"
        runs += f", {len(mode.failures)} failed)" if mode.failures else ")"
        rows.append(
            f"{mode.name:50} {mode.cores:>5} {_cell(mode.median):>7} {wall_ratio:>8} "
            f"{_cell(mode.cpu_median):>7} {cpu_ratio:>8} {findings:>9}{runs}"
        )
    return "\n".join(rows)


def write_json(modes: Sequence[Mode], corpus: dict[str, object], repeat: int, source: dict[str, str | None]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = RESULTS_DIR / f"bench-{stamp}.json"
    data = {
        "when": stamp,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "libcst": _version("libcst"),
        "repeat": repeat,
        "source": source,
        "corpus": corpus,
        "floor_seconds": modes[0].median,
        "floor_cpu_seconds": modes[0].cpu_median,
        "modes": [
            {
                "name": mode.name,
                "cores": mode.cores,
                "status": status(mode) or "ok",
                "times": mode.times,
                "failed_runs": mode.failures,
                "cpu_times": mode.cpu_times,
                "median": mode.median,
                "ratio_to_floor": _ratio(mode.median, modes[0].median),
                "cpu_median": mode.cpu_median,
                "cpu_ratio_to_floor": _ratio(mode.cpu_median, modes[0].cpu_median),
                "findings": mode.findings,
                "codes": dict(sorted(mode.codes.items())) if mode.codes is not None else None,
                "command": _short_command(mode.command),
            }
            for mode in modes
        ],
    }
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path


def _version(distribution: str) -> str:
    import importlib.metadata

    return importlib.metadata.version(distribution)


def _short_command(command: list[str] | None) -> str | None:
    """The command without its file list, which would be thousands of paths."""
    if command is None:
        return None
    options = [part for part in command if not part.endswith(".py")]
    return " ".join(options) + " FILES..."


def corpus_summary(projects: Sequence[str], files: Sequence[Path]) -> dict[str, object]:
    return {
        "projects": list(projects),
        "files": len(files),
        "lines": sum(path.read_bytes().count(b"\n") for path in files),
        "bytes": sum(path.stat().st_size for path in files),
        "files_past_trigger_scan": files_past_trigger_scan(files),
    }


def git_commit() -> str | None:
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=SOURCE_DIR, capture_output=True, text=True)
    return result.stdout.strip() or None


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="rounds; each mode's median is reported")
    parser.add_argument("--quick", action="store_true", help=f"only {' and '.join(QUICK)}")
    parser.add_argument("--projects", nargs="+", metavar="NAME", help="only these corpus projects")
    parser.add_argument("--no-peers", action="store_true", help="skip flake8-async, fixit and ruff")
    parser.add_argument("--slow-limit", type=float, default=60.0, metavar="SECONDS", help="run slower modes only once")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def build_modes(files: Sequence[Path], with_peers: bool) -> list[Mode]:
    """The floor first (every ratio divides by it), then this tool, then the peers."""
    relative = [str(path.relative_to(CORPUS_DIR)) for path in files]
    modes = [Mode(FLOOR, "1", parse_only(files)), api_mode(files), *tool_modes(relative)]
    return modes + peer_modes(relative) if with_peers else modes


def report(modes: Sequence[Mode], corpus: dict[str, object], repeat: int, source: dict[str, str | None]) -> None:
    print(f"\n{corpus['files']} files, {corpus['lines']} lines; median of up to {repeat} runs; "
          f"x floor = median / the parse-only floor's median (wall, and CPU summed over processes)\n")  # fmt: skip
    print(table(modes))
    print(f"\nfiles libcst cannot parse: {modes[0].findings}; files past the engine's trigger scan "
          f"(default rules): {corpus['files_past_trigger_scan']} of {corpus['files']}")  # fmt: skip
    for warning in warnings(modes, source):
        print(f"WARNING: {warning}")
    print(f"results: {write_json(modes, corpus, repeat, source)}")


def warnings(modes: Sequence[Mode], source: dict[str, str | None]) -> list[str]:
    """What makes this run's numbers not comparable with a clean run."""
    found = []
    if source["before"] != source["after"]:
        found.append("src/async_test_lint changed during the run; the modes ran different code. Run again.")
    unparsable = modes[0].codes[UNPARSABLE] if modes[0].codes is not None else 0
    gave_up = max((mode.codes[PARSE_ERROR] for mode in modes[1:] if mode.codes is not None), default=0)
    if gave_up > unparsable:
        found.append(
            f"async-test-lint reported {gave_up} {PARSE_ERROR} where libcst failed on {unparsable} files: "
            "a file it gives up on costs less than a parse, so its ratios are too good (see bench/real_code.py)"
        )
    return found


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    source = {"commit": git_commit(), "before": source_fingerprint()}
    names = QUICK if args.quick else args.projects
    try:
        projects = [project.key for project in select_projects(names)]
        files = list(corpus_files(project_dirs(names)))
    except CorpusError as error:
        print(f"corpus: {error}", file=sys.stderr)
        return 2
    corpus = corpus_summary(projects, files)
    print(f"corpus: {', '.join(projects)}: {corpus['files']} files, {corpus['lines']} lines", file=sys.stderr)
    modes = build_modes(files, with_peers=not args.no_peers)
    measure(modes, args.repeat, args.slow_limit)
    source["after"] = source_fingerprint()
    report(modes, corpus, args.repeat, source)
    return 0 if modes[0].median is not None else 1


if __name__ == "__main__":
    sys.exit(main())
