"""The real-code corpus: pinned source distributions of async projects, with their test suites.

Sdists (not wheels) are used because they carry the tests, which is what this linter is for.
Each is fetched with pip (`pip download --no-deps --no-binary :all:`) into bench/.cache/sdists/
and unpacked into bench/.cache/corpus/<name>-<version>/. Both steps are skipped when already done,
so only the first run touches the network.

    python bench/corpus.py            # download what is missing, print each project and its .py count
    python bench/corpus.py --extended # the same, with the extra projects of the precision check
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
CACHE_DIR = BENCH_DIR / ".cache"
SDIST_DIR = CACHE_DIR / "sdists"
CORPUS_DIR = CACHE_DIR / "corpus"


@dataclass(frozen=True)
class Project:
    name: str
    version: str

    @property
    def key(self) -> str:
        return f"{self.name}-{self.version}"

    @property
    def requirement(self) -> str:
        return f"{self.name}=={self.version}"

    @property
    def source_dir(self) -> Path:
        return CORPUS_DIR / self.key


# Pinned to the newest release on PyPI when the corpus was assembled; bump deliberately, since a
# new version changes the files and therefore every benchmark number.
PROJECTS: tuple[Project, ...] = (
    Project("httpx", "0.28.1"),
    Project("starlette", "1.10.0"),
    Project("aiosqlite", "0.22.1"),
    Project("aiohttp", "3.14.5"),
    Project("anyio", "4.16.0"),
    Project("redis", "8.1.0"),
    Project("asyncpg", "0.32.0"),
    Project("pytest-asyncio", "1.5.0"),
)

# More async projects with large test suites, for the precision check (`real_code.py --extended`)
# only: the benchmark's numbers stay comparable across runs because they never include these.
EXTENDED: tuple[Project, ...] = (
    Project("trio", "0.32.0"),
    Project("aiobotocore", "2.23.0"),
    Project("asyncssh", "2.21.0"),
    Project("motor", "3.7.1"),
    Project("uvicorn", "0.35.0"),
    Project("tortoise-orm", "0.25.1"),
)
ALL_PROJECTS: tuple[Project, ...] = PROJECTS + EXTENDED

# Small but real: a test-heavy project and a library-heavy one, for `--quick` smoke runs.
QUICK: tuple[str, ...] = ("aiosqlite", "pytest-asyncio")


class CorpusError(Exception):
    """A project could not be downloaded or unpacked."""


def select_projects(names: Iterable[str] | None = None) -> tuple[Project, ...]:
    """The pinned projects named (all of them when `names` is None)."""
    if names is None:
        return PROJECTS
    wanted = set(names)
    unknown = wanted - {project.name for project in ALL_PROJECTS}
    if unknown:
        raise CorpusError(f"not in the corpus: {', '.join(sorted(unknown))}")
    return tuple(project for project in ALL_PROJECTS if project.name in wanted)


def download(project: Project) -> Path:
    """The project's sdist archive, downloaded with pip unless already cached."""
    directory = SDIST_DIR / project.key
    existing = _archives(directory)
    if existing:
        return existing[0]
    directory.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
        "--no-binary", ":all:", project.requirement, "-d", str(directory),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True)
    archives = _archives(directory)
    if result.returncode != 0 or not archives:
        raise CorpusError(f"pip download {project.requirement} failed: {error_tail(result)}")
    return archives[0]


def error_tail(result: subprocess.CompletedProcess[str], count: int = 2) -> str:
    """The last lines a failed command printed, without pip's WARNING noise, joined on one line."""
    lines = [line for line in (result.stderr or result.stdout).strip().splitlines() if "WARNING" not in line]
    return " | ".join(lines[-count:]) or f"exit code {result.returncode}"


def _archives(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.name.endswith((".tar.gz", ".tgz", ".zip")))


def unpack(project: Project, archive: Path) -> Path:
    """The unpacked source tree; extracted to a temporary directory and renamed, so never half-done."""
    target = project.source_dir
    if target.is_dir():
        return target
    CORPUS_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CORPUS_DIR, prefix=f".{project.key}-") as scratch:
        scratch_dir = Path(scratch)
        _extract(archive, scratch_dir)
        entries = list(scratch_dir.iterdir())
        # An sdist holds one top directory (`name-version/`): it becomes the project root.
        if len(entries) != 1 or not entries[0].is_dir():
            raise CorpusError(f"{archive.name} has no single top directory")
        shutil.move(str(entries[0]), str(target))
    return target


def _extract(archive: Path, destination: Path) -> None:
    try:
        if archive.name.endswith(".zip"):
            with zipfile.ZipFile(archive) as handle:
                handle.extractall(destination)
            return
        with tarfile.open(archive) as handle:
            # The "data" filter refuses absolute paths, links out of the tree and device files.
            handle.extractall(destination, filter="data")
    except (tarfile.TarError, zipfile.BadZipFile, OSError) as error:
        raise CorpusError(f"cannot unpack {archive.name}: {error}") from error


def ensure(project: Project) -> Path:
    """The project's unpacked source directory, fetching and unpacking it if needed."""
    if project.source_dir.is_dir():
        return project.source_dir
    return unpack(project, download(project))


def project_dirs(names: Iterable[str] | None = None) -> list[Path]:
    """The unpacked source directory of each selected project, downloading what is missing."""
    return [ensure(project) for project in select_projects(names)]


def python_files(directory: Path) -> list[Path]:
    """Every .py file under `directory`, sorted, so every tool is handed the same list."""
    return sorted(path for path in directory.rglob("*.py") if path.is_file())


def corpus_files(directories: Iterable[Path]) -> Iterator[Path]:
    for directory in directories:
        yield from python_files(directory)


def main() -> int:
    failed = 0
    for project in ALL_PROJECTS if "--extended" in sys.argv[1:] else PROJECTS:
        try:
            directory = ensure(project)
        except CorpusError as error:
            print(f"{project.key:28} FAILED: {error}", file=sys.stderr)
            failed += 1
            continue
        files = python_files(directory)
        lines = sum(path.read_bytes().count(b"\n") for path in files)
        print(f"{project.key:28} {len(files):5} .py files {lines:8} lines  {directory}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
