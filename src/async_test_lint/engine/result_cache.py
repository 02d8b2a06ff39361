"""The result cache: a file's findings, kept for the next run as long as nothing they depend on changed.

A file's findings are a function of its bytes and path, the tool (its version and its own files),
the interpreter and libcst, the settings and the selected rules, the pytest configuration that applies
to it, and the project facts it reads from other files (`project/digest.py`: the modules it imports,
transitively, its conftest.py files, the `pytest_plugins` modules and the pytest config file, plus the
plugins the project declares anywhere). The key hashes all of them, so a hit can be returned without
parsing; anything that does not fit (unreadable, corrupt, another shape) is a miss and the file is
linted again.

Storage: one file per project root and run-wide part of the key, in the cache directory beside the
project indexes (bounded and removed by `clean` with them), mapping each linted file's resolved path
to its latest key and findings. Measured for 1,000 entries (about 100 KB): one pickle per project
reads in 0.3 ms and is written atomically in 0.5 ms, once per run; one file per entry in a sharded
directory took 12 ms to read (a thousand opens) and 45 ms to write (a thousand temporaries and
renames), and bounding it means listing it. Keeping only the latest entry per path keeps the file
as large as the project.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from async_test_lint.model.rule import Diagnostic, Rule
from async_test_lint.project.digest import facts_digest
from async_test_lint.project.index import (
    RESULTS_KIND,
    cache_directory,
    content_digest,
    find_project_root,
    project_for,
    read_cache_file,
    write_cache_file,
)
from async_test_lint.settings.config import Settings, pytest_config_for
from async_test_lint.version import __version__

# Bumped when what an entry holds changes shape.
RESULTS_FORMAT = 1
_DIGEST_SIZE = 16


@functools.lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """The tool as installed: its version, and the size and mtime of each of its own files (code and
    data tables), so that an edited install (an editable one, a patched table) never reads results
    of the code before; the interpreter (CPython's parser decides ATL001) and libcst's version."""
    from importlib import metadata

    hasher = hashlib.blake2b(digest_size=_DIGEST_SIZE)
    hasher.update(f"{__version__}\0{RESULTS_FORMAT}\0{sys.version}\0".encode())
    try:
        hasher.update(metadata.version("libcst").encode())
    except metadata.PackageNotFoundError:
        pass
    package = Path(__file__).resolve().parent.parent
    for directory, subdirectories, files in os.walk(package):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
        for name in sorted(files):
            path = os.path.join(directory, name)
            try:
                status = os.stat(path)
            except OSError:
                continue
            hasher.update(f"{os.path.relpath(path, package)}\0{status.st_size}\0{status.st_mtime_ns}\0".encode())
    return hasher.hexdigest()


def _rules_identity(rules: Iterable[type[Rule]]) -> str:
    return ",".join(sorted(f"{rule.code}={rule.__module__}.{rule.__qualname__}" for rule in rules))


@dataclass(frozen=True)
class Key:
    """A file's key, and the digest of the bytes it was computed from (checked again before storing)."""

    value: str
    content: str


class ProjectResults:
    """The cached results of one project root, for one run's settings and rules."""

    def __init__(self, root: Path, settings: Settings, rules: Sequence[type[Rule]]) -> None:
        self.root = root
        self.index = project_for(root)
        hasher = hashlib.blake2b(digest_size=_DIGEST_SIZE)
        for part in (
            tool_fingerprint(),
            str(root),
            repr(settings),
            _rules_identity(rules),
            # Plugins declared anywhere apply everywhere; one outside the project has no file the
            # digest could follow.
            ",".join(sorted(self.index.declared_plugins)),
        ):
            hasher.update(part.encode() + b"\0")
        self.run = hasher.hexdigest()
        self.path = cache_directory() / f"{RESULTS_KIND}-{__version__}-{self.run}.pickle"
        self.entries = self._load()
        self.changed = False

    def _load(self) -> dict[str, tuple[str, tuple[Diagnostic, ...]]]:
        data = read_cache_file(self.path)
        if isinstance(data, dict) and data.get("format") == RESULTS_FORMAT and data.get("run") == self.run:
            entries = data.get("entries")
            if isinstance(entries, dict):
                return entries
        return {}

    def key(self, path: Path, data: bytes) -> Key:
        resolved = path.resolve()
        pytest = pytest_config_for(resolved.parent)
        config_files = [pytest.path] if pytest.path is not None else []
        content = content_digest(data)
        hasher = hashlib.blake2b(digest_size=_DIGEST_SIZE)
        for part in (str(resolved), content, repr(pytest), facts_digest(self.index, resolved, config_files)):
            hasher.update(part.encode() + b"\0")
        return Key(hasher.hexdigest(), content)

    def get(self, path: Path, key: Key) -> list[Diagnostic] | None:
        entry = self.entries.get(str(path.resolve()))
        try:
            stored, diagnostics = entry  # type: ignore[misc]
        except (TypeError, ValueError):
            return None
        if stored != key.value or not isinstance(diagnostics, tuple):
            return None
        if not all(type(d) is Diagnostic for d in diagnostics):
            return None
        return list(diagnostics)

    def put(self, path: Path, key: Key, diagnostics: Sequence[Diagnostic]) -> None:
        # Stored only if the file still holds the bytes the key was computed from: the lint read it
        # again, and an edit in between must not file its findings under the old content.
        try:
            if content_digest(path.read_bytes()) != key.content:
                return
        except OSError:
            return
        self.entries[str(path.resolve())] = (key.value, tuple(d.detached() for d in diagnostics))
        self.changed = True

    def save(self) -> None:
        if self.changed:
            # The latest entry per path: the file stays as large as the project. Deleted files go.
            self.entries = {name: entry for name, entry in self.entries.items() if os.path.exists(name)}
            write_cache_file(self.path, {"format": RESULTS_FORMAT, "run": self.run, "entries": self.entries})
            self.changed = False


class ResultCache:
    """The results of one run, over every project root its files belong to."""

    def __init__(self, settings: Settings, rules: Sequence[type[Rule]]) -> None:
        self.settings = settings
        self.rules = tuple(rules)
        self.projects: dict[Path, ProjectResults] = {}

    def _project(self, path: Path) -> ProjectResults:
        root = find_project_root(path)
        project = self.projects.get(root)
        if project is None:
            project = self.projects[root] = ProjectResults(root, self.settings, self.rules)
        return project

    def key(self, path: Path) -> Key | None:
        """The file's key; None when it cannot be read (linting reports why)."""
        try:
            data = path.read_bytes()
        except OSError:
            return None
        return self._project(path).key(path, data)

    def get(self, path: Path, key: Key, display: str) -> list[Diagnostic] | None:
        """The cached findings of `path`, named `display`; None on a miss."""
        found = self._project(path).get(path, key)
        if found is None:
            return None
        return [replace(d, path=display) for d in found]

    def put(self, path: Path, key: Key, diagnostics: Sequence[Diagnostic]) -> None:
        self._project(path).put(path, key, diagnostics)

    def save(self) -> None:
        for project in self.projects.values():
            project.save()
