"""Writing a file back: its new content, and `# noqa` comments added by `check --add-noqa`.

How a file is written, as vim's `backupcopy=auto` and Emacs' backup-by-copying rules do:

- A read-only file (no write bit in its mode, `chmod 444`) is refused, even for root.
- The new content is first written to a temporary file beside the original and fsynced.
- A plain file (one link, an owner and group the temporary file can take, no extended attributes)
  is then replaced by renaming the temporary file over it, after giving it the original's mode,
  owner and group: a crash leaves either the old file or the new one, never a mix.
- Any other file (a hard link, a file whose owner cannot be given to a new file, a file with
  extended attributes or ACLs, or a directory that takes no new file) is rewritten in place,
  through the same inode, so that its other names, owner, mode and attributes stay: the whole
  content is written from offset 0, the file is cut to the new length, and fsynced. The temporary
  copy, fsynced before the first byte of the original is touched, is removed only after that: a
  crash mid-write leaves the complete new text on disk beside the file, and the error names it.
"""

from __future__ import annotations

import io
import os
import re
import stat
import tempfile
import tokenize
from collections.abc import Iterable, Mapping
from pathlib import Path

from async_test_lint.engine.suppression import NOQA, noqa_lines, suppressed_codes

TEMPORARY_SUFFIX = ".atl-tmp"


class WriteError(Exception):
    """A file that could not be written; the run goes on with the next file."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"cannot write {path}: {reason}")
        self.path = str(path)
        self.reason = reason


def write_file(path: Path, data: bytes, unchanged_since: os.stat_result | None = None) -> None:
    """Replace the content of `path` (a symlink's target) with `data`; raises WriteError.

    `unchanged_since` is the file's stat from when it was read: a file changed since then (an
    editor saved it while `fix` ran) is refused rather than overwritten.
    """
    try:
        # Renaming over a symlink would replace the link and leave the file it points to unfixed.
        real = path.resolve(strict=True)
        before = real.stat()
    except (OSError, RuntimeError) as error:
        raise WriteError(path, _reason(error)) from None
    if not stat.S_ISREG(before.st_mode):
        raise WriteError(path, "not a regular file")
    if not before.st_mode & 0o222:
        raise WriteError(path, f"the file is read-only (mode {stat.S_IMODE(before.st_mode):o}); make it writable to fix it")
    if unchanged_since is not None and _signature(before) != _signature(unchanged_since):
        raise WriteError(path, "the file changed on disk while it was being fixed; run again")
    copy, handle = _temporary_copy(real, data)
    try:
        renamed = _can_rename_over(real, before, copy, handle)
        if renamed:
            os.replace(copy, real)
    except OSError as error:
        _remove(copy)
        raise WriteError(path, _reason(error)) from None
    finally:
        os.close(handle)
    if renamed:
        _sync_directory(real.parent)
    else:
        _overwrite_in_place(path, real, data, copy)


def _signature(result: os.stat_result) -> tuple[int, int, int]:
    return result.st_ino, result.st_size, result.st_mtime_ns


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _temporary_copy(real: Path, data: bytes) -> tuple[str, int]:
    """The new content, fsynced in a new file beside `real` (or in the temp dir); its path and fd."""
    try:
        handle, name = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=TEMPORARY_SUFFIX)
    except OSError:
        # A directory that takes no new file: the copy only guards the in-place write, anywhere will do.
        try:
            handle, name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=TEMPORARY_SUFFIX)
        except OSError as error:
            raise WriteError(real, f"cannot make a temporary copy: {_reason(error)}") from None
    try:
        _write_all(handle, data)
        os.fsync(handle)
    except OSError as error:
        os.close(handle)
        _remove(name)
        raise WriteError(real, _reason(error)) from None
    return name, handle


def _can_rename_over(real: Path, before: os.stat_result, copy: str, handle: int) -> bool:
    """Give the copy the original's mode, owner and group; False when renaming would change what
    the file is (its other links, owner, attributes) or the copy is not beside it."""
    if before.st_nlink != 1 or Path(copy).parent != real.parent or _extended_attributes(real):
        return False
    copied = os.fstat(handle)
    if (copied.st_uid, copied.st_gid) != (before.st_uid, before.st_gid):
        try:
            os.fchown(handle, before.st_uid, before.st_gid)
        except (OSError, AttributeError):  # AttributeError: no fchown on Windows
            return False
    os.chmod(copy, stat.S_IMODE(before.st_mode))
    return True


def _extended_attributes(real: Path) -> bool:
    if not hasattr(os, "listxattr"):
        return False
    try:
        return bool(os.listxattr(real))
    except OSError:
        return False


def _overwrite_in_place(path: Path, real: Path, data: bytes, copy: str) -> None:
    try:
        handle = os.open(real, os.O_WRONLY | getattr(os, "O_BINARY", 0))
    except OSError as error:
        _remove(copy)  # the original was not touched
        raise WriteError(path, _reason(error)) from None
    try:
        _write_all(handle, data)
        # Cut only once the whole new text is in: the file is never shorter than its new content.
        os.ftruncate(handle, len(data))
        os.fsync(handle)
    except OSError as error:
        raise WriteError(path, f"{_reason(error)}; the fixed text is in {copy}") from None
    finally:
        os.close(handle)
    _remove(copy)


def _write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    offset = 0
    while offset < len(data):
        os.lseek(handle, offset, os.SEEK_SET)
        offset += os.write(handle, view[offset:])


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no directory handles to sync."""
    if os.name == "nt":
        return
    try:
        handle = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _remove(name: str) -> None:
    try:
        os.unlink(name)
    except OSError:
        pass


# --- noqa comments --------------------------------------------------------------------------


def add_noqa(text: str, codes_by_line: Mapping[int, Iterable[str]]) -> tuple[str, int]:
    """`text` with `# noqa: CODE` for each line's codes (merged into an existing noqa comment, at
    the end of the string or continuation the line is part of); and how many codes were added."""
    # Split where the tokenizer splits (not at form feeds, as str.splitlines would).
    lines = io.StringIO(text, newline="").readlines()
    targets = noqa_lines(text)
    wanted: dict[int, set[str]] = {}
    for line, codes in codes_by_line.items():
        wanted.setdefault(targets.get(line, line), set()).update(code.upper() for code in codes)
    comments = _comment_columns(text)
    added = 0
    for line, codes in sorted(wanted.items()):
        if not 0 < line <= len(lines):
            continue
        new_line, count = _with_noqa(lines[line - 1], comments.get(line), codes)
        lines[line - 1] = new_line
        added += count
    return "".join(lines), added


def _comment_columns(text: str) -> dict[int, int]:
    """Line -> the column where its comment starts (so a `#` inside a string is never taken for one)."""
    columns: dict[int, int] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text, newline="").readline):
            if token.type == tokenize.COMMENT:
                columns[token.start[0]] = token.start[1]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return columns


_LINE_END = re.compile(r"(\r\n|\r|\n)?$")


def _with_noqa(line: str, comment_column: int | None, codes: set[str]) -> tuple[str, int]:
    ending = _LINE_END.search(line).group(0)  # type: ignore[union-attr]
    body = line[: len(line) - len(ending)] if ending else line
    if comment_column is not None:
        code_part, comment = body[:comment_column], body[comment_column:]
        match = NOQA.search(comment)
        if match is not None:
            existing = suppressed_codes(match.group(0))
            if existing is not None and not existing:
                return line, 0  # a bare noqa silences everything already
            listed = _listed_codes(match.group(0))
            missing = sorted(code for code in codes if not any(code.startswith(prefix) for prefix in existing or ()))
            if not missing:
                return line, 0
            merged = f"# noqa: {', '.join([*listed, *missing])}"
            comment = comment[: match.start()] + merged + comment[match.end() :]
            return code_part + comment + ending, len(missing)
    body = body.rstrip(" \t")
    return f"{body}  # noqa: {', '.join(sorted(codes))}{ending}", len(codes)


def _listed_codes(noqa: str) -> list[str]:
    _, _, codes = noqa.partition(":")
    return [code.upper() for code in re.findall(r"[A-Z]+[0-9]+", codes, re.IGNORECASE)]
