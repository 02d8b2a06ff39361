"""Which files to lint: walk directories, skip VCS, virtualenvs, build output, excludes and gitignored paths."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pathspec

from async_test_lint.settings.config import Settings

DEFAULT_EXCLUDES = (
    ".git",
    ".hg",
    ".svn",
    ".tox",
    ".nox",
    ".venv",
    "venv",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    "__pycache__",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "*.egg-info",
)


class PathError(Exception):
    """A path given on the command line does not exist."""


def exclude_spec(settings: Settings) -> pathspec.PathSpec:
    patterns = list(DEFAULT_EXCLUDES if settings.exclude is None else settings.exclude)
    patterns += settings.extend_exclude
    return pathspec.GitIgnoreSpec.from_lines(patterns)


def _absolute(path: Path) -> Path:
    """`path` made absolute, its directories' symlinks resolved but not its own name.

    Patterns then match a symlink where it lies, and a broken or looping symlink does not raise
    (`Path.resolve()` raises RuntimeError on a loop): reading it reports ATL001 instead.
    """
    absolute = Path(os.path.abspath(path))
    return absolute.parent.resolve() / absolute.name


def _relative(path: Path, root: Path) -> str:
    try:
        return _absolute(path).relative_to(root).as_posix()
    except ValueError:
        return _absolute(path).as_posix().lstrip("/")


class _GitIgnores:
    """The .gitignore files met on the way down, each applying below its own directory."""

    def __init__(self) -> None:
        self._specs: dict[Path, pathspec.PathSpec | None] = {}

    def _spec(self, directory: Path) -> pathspec.PathSpec | None:
        if directory not in self._specs:
            ignore_file = directory / ".gitignore"
            spec = None
            if ignore_file.is_file():
                try:
                    lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
                    spec = pathspec.GitIgnoreSpec.from_lines(lines)
                except OSError:
                    spec = None
            self._specs[directory] = spec
        return self._specs[directory]

    def ignored(self, path: Path, is_dir: bool, top: Path) -> bool:
        for directory in (path.parent, *path.parent.parents):
            spec = self._spec(directory)
            if spec is not None:
                relative = path.relative_to(directory).as_posix() + ("/" if is_dir else "")
                if spec.match_file(relative):
                    return True
            if directory == top or (directory / ".git").exists():
                break
        return False


def _is_virtualenv(directory: Path) -> bool:
    return (directory / "pyvenv.cfg").is_file()


def discover(
    paths: Sequence[str], settings: Settings, respect_gitignore: bool = True, force_exclude: bool = False
) -> list[Path]:
    """The Python files under `paths`, sorted; raises PathError for a path that does not exist.

    As in ruff, a path named on the command line is linted even when an exclude pattern matches
    it, unless `force_exclude` is set (pre-commit passes every changed file, so its hooks set it).
    Inside a directory that is itself excluded but was named explicitly, patterns apply to the
    paths below it.
    """
    spec = exclude_spec(settings)
    gitignores = _GitIgnores()
    found: dict[Path, None] = {}
    for name in paths:
        path = Path(name)
        if not path.exists():
            raise PathError(f"path '{name}' does not exist")
        if path.is_file():
            if not (force_exclude and _excluded(path, spec, settings.root, is_dir=False)):
                found[path] = None
            continue
        anchor = settings.root
        if _excluded(path, spec, settings.root, is_dir=True):
            if force_exclude:
                continue
            anchor = path.resolve()
        for file in _walk(path, spec, anchor, gitignores if respect_gitignore else None):
            found[file] = None
    return sorted(found)


def _excluded(path: Path, spec: pathspec.PathSpec, root: Path, is_dir: bool) -> bool:
    suffix = "/" if is_dir else ""
    relative = _relative(path, root)
    return spec.match_file(relative + suffix) or spec.match_file(path.name + suffix)


def _walk(top: Path, spec: pathspec.PathSpec, anchor: Path, gitignores: _GitIgnores | None) -> Iterator[Path]:
    resolved_top = top.resolve()
    for directory, subdirs, files in os.walk(top):
        here = Path(directory)
        keep = []
        for sub in sorted(subdirs):
            child = here / sub
            if _excluded(child, spec, anchor, is_dir=True) or _is_virtualenv(child):
                continue
            if gitignores is not None and gitignores.ignored(_absolute(child), True, resolved_top):
                continue
            keep.append(sub)
        subdirs[:] = keep
        for file in sorted(files):
            if not file.endswith(".py"):
                continue
            child = here / file
            if _excluded(child, spec, anchor, is_dir=False):
                continue
            if gitignores is not None and gitignores.ignored(_absolute(child), False, resolved_top):
                continue
            yield child


def project_python_files(root: Path) -> Iterator[Path]:
    """Every Python file of a project, for its index: default excludes and gitignore apply,
    the user's excludes do not (an excluded module can still be imported by a linted one)."""
    spec = pathspec.GitIgnoreSpec.from_lines(DEFAULT_EXCLUDES)
    yield from _walk(root, spec, root.resolve(), _GitIgnores())


def per_file_ignored(path: Path, code: str, settings: Settings) -> bool:
    relative = _relative(path, settings.root)
    for pattern, codes in settings.per_file_ignores:
        spec = pathspec.GitIgnoreSpec.from_lines([pattern])
        if (spec.match_file(relative) or spec.match_file(path.name)) and any(
            code.startswith(prefix.upper()) for prefix in codes
        ):
            return True
    return False
