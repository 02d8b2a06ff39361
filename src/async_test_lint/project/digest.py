"""What a file's findings depend on outside the file itself, as one digest.

A file's findings depend on its own text, the tool and its settings, and on facts read from other
files of the project: the defs and classes of the modules it imports (and of theirs, since
re-exports, decorators and base classes are followed), the `conftest.py` files above it and the
`pytest_plugins` modules (its fixtures), and pytest's config file. `facts_digest` hashes the content
digests of all those files, found by following imports through the project index transitively. It is
conservative: an edit anywhere in that closure changes the digest, an edit outside it does not. A
result cache keys a file's findings by (its content, the tool version, the settings, this digest).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from async_test_lint.project.index import ProjectIndex


def _imported_files(index: ProjectIndex, qualified: str) -> frozenset[Path]:
    """The files of the longest importable prefix of `qualified` (`pkg.mod` for `pkg.mod.func`)."""
    parts = qualified.split(".")
    for cut in range(len(parts), 0, -1):
        files = index.files_of(".".join(parts[:cut]))
        if files:
            return files
    return frozenset()


def dependencies(index: ProjectIndex, path: Path) -> frozenset[Path]:
    """The project files whose content the findings on `path` may depend on (not `path` itself)."""
    path = path.resolve()
    start = [*index.visible_conftests(path), path]
    plugins = set(index.declared_plugins)
    # Many modules import the same names: resolve each target once per call.
    files_of: dict[str, frozenset[Path]] = {}
    seen: set[Path] = set()
    pending = list(start)
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        info = index.files.get(current)
        if info is None:
            continue
        targets = {*info.imports.values(), *info.star_imports, *info.plugins}
        for target in targets | plugins:
            if target not in files_of:
                files_of[target] = _imported_files(index, target)
            pending.extend(files_of[target] - seen)
    seen.discard(path)
    return frozenset(seen)


def facts_digest(index: ProjectIndex, path: Path, config_files: Iterable[Path] = ()) -> str:
    """The digest of everything outside `path` its findings depend on (see the module docs)."""
    hasher = hashlib.blake2b(digest_size=16)
    for dependency in sorted(dependencies(index, path)):
        hasher.update(f"{dependency}\0{index.digests.get(dependency, '')}\0".encode())
    for config in sorted(config_files):
        try:
            content = config.read_bytes()
        except OSError:
            content = b""
        hasher.update(f"{config}\0".encode() + content + b"\0")
    return hasher.hexdigest()
