"""How `fix` writes a file (engine/writing.py): one failure never ends the run, a read-only file is
refused, owner, mode and hard links stay, and no crash point leaves the new text only half on disk.

The first tests run the real command; the failure points are reached in-process, by making one
system call fail.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from cli_run import FIXED_SLEEPING_TEST, SLEEPING_TEST, codes_by_file, run_cli, write

from async_test_lint.engine import writing
from async_test_lint.engine.writing import WriteError, write_file

NEW = b"print('new')\n"
OLD = b"print('the old text, longer than the new one')\n"


def leftovers(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir() if path.name.endswith(writing.TEMPORARY_SUFFIX))


# --- through the command ------------------------------------------------------------------------


def test_a_read_only_file_is_refused_and_the_run_goes_on(tmp_path) -> None:
    locked = write(tmp_path / "test_a_locked.py", SLEEPING_TEST)
    os.chmod(locked, 0o444)
    other = write(tmp_path / "test_b_other.py", SLEEPING_TEST)
    result = run_cli("fix", ".", cwd=tmp_path)
    assert result.returncode == 2  # something failed
    assert (
        "async-test-lint: error: cannot write test_a_locked.py: the file is read-only (mode 444); make it writable to fix it"
        in result.stderr
    )
    assert locked.read_text() == SLEEPING_TEST
    assert stat.S_IMODE(locked.stat().st_mode) == 0o444
    assert other.read_text() == FIXED_SLEEPING_TEST  # the file after it was still fixed
    assert codes_by_file(result.stdout) == {"test_a_locked.py": ["ATL201"]}  # what is left on disk
    assert "Fixed 1 finding(s) in 1 file(s)." in result.stderr
    assert leftovers(tmp_path) == []


def test_a_hard_link_is_rewritten_in_place(tmp_path) -> None:
    target = write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    other_name = tmp_path / "elsewhere" / "copy_of_test_sleep.py"
    other_name.parent.mkdir()
    os.link(target, other_name)
    inode = target.stat().st_ino
    result = run_cli("fix", "test_sleep.py", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert other_name.read_text() == target.read_text() == FIXED_SLEEPING_TEST
    assert target.stat().st_ino == inode and target.stat().st_nlink == 2
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to own files as another user")
def test_owner_group_and_mode_are_kept(tmp_path) -> None:
    target = write(tmp_path / "test_sleep.py", SLEEPING_TEST)
    os.chown(target, 4321, 4322)
    os.chmod(target, 0o640)
    result = run_cli("fix", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    after = target.stat()
    assert (after.st_uid, after.st_gid, stat.S_IMODE(after.st_mode)) == (4321, 4322, 0o640)
    assert target.read_text() == FIXED_SLEEPING_TEST


def test_per_file_ignores_keep_fix_away(tmp_path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.async-test-lint]\nper-file-ignores = { "legacy/*" = ["ATL201"] }\n')
    legacy = write(tmp_path / "legacy" / "test_old.py", SLEEPING_TEST)
    new = write(tmp_path / "tests" / "test_new.py", SLEEPING_TEST)
    run_cli("fix", ".", cwd=tmp_path)
    assert legacy.read_text() == SLEEPING_TEST
    assert new.read_text() == FIXED_SLEEPING_TEST


# --- write_file, in-process ---------------------------------------------------------------------


def test_a_plain_file_is_replaced_by_a_rename(tmp_path) -> None:
    target = tmp_path / "module.py"
    target.write_bytes(OLD)
    os.chmod(target, 0o751)
    inode = target.stat().st_ino
    write_file(target, NEW)
    assert target.read_bytes() == NEW
    assert target.stat().st_ino != inode
    assert stat.S_IMODE(target.stat().st_mode) == 0o751
    assert leftovers(tmp_path) == []


def test_a_file_whose_owner_cannot_be_given_is_rewritten_in_place(tmp_path, monkeypatch) -> None:
    target = tmp_path / "module.py"
    target.write_bytes(OLD)
    inode = target.stat().st_ino
    monkeypatch.setattr(writing, "_can_rename_over", lambda *args: False)  # as for a foreign owner
    write_file(target, NEW)
    assert target.read_bytes() == NEW  # cut to the new, shorter length
    assert target.stat().st_ino == inode
    assert leftovers(tmp_path) == []


def test_a_foreign_owner_that_cannot_be_reproduced_means_in_place(tmp_path, monkeypatch) -> None:
    target = tmp_path / "module.py"
    target.write_bytes(OLD)
    inode = target.stat().st_ino
    real_fstat = os.fstat

    def fstat_as_another_user(handle):  # the temporary file comes out owned by someone else
        result = list(real_fstat(handle))
        result[stat.ST_UID] += 1
        return os.stat_result(result)

    def refuse(*args):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "fstat", fstat_as_another_user)
    monkeypatch.setattr(os, "fchown", refuse)
    write_file(target, NEW)
    assert target.read_bytes() == NEW and target.stat().st_ino == inode


def test_a_directory_that_takes_no_new_file_means_in_place_with_the_copy_elsewhere(tmp_path, monkeypatch) -> None:
    target = tmp_path / "module.py"
    target.write_bytes(OLD)
    inode = target.stat().st_ino
    real_mkstemp = writing.tempfile.mkstemp
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()

    def mkstemp(*args, dir=None, **kwargs):
        if dir is not None:
            raise PermissionError(13, "Permission denied")
        return real_mkstemp(*args, dir=outside, **kwargs)

    monkeypatch.setattr(writing.tempfile, "mkstemp", mkstemp)
    write_file(target, NEW)
    assert target.read_bytes() == NEW and target.stat().st_ino == inode
    assert list(outside.iterdir()) == []


def test_a_crash_mid_overwrite_leaves_the_complete_new_text_beside_the_file(tmp_path, monkeypatch) -> None:
    target = tmp_path / "module.py"
    target.write_bytes(OLD)
    other = tmp_path / "other-name.py"
    os.link(target, other)  # in place, then

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "ftruncate", disk_full)
    with pytest.raises(WriteError) as raised:
        write_file(target, NEW)
    [copy] = leftovers(tmp_path)
    assert (tmp_path / copy).read_bytes() == NEW
    assert str(tmp_path / copy) in str(raised.value) and "No space left on device" in str(raised.value)
    # Never shorter than the new text: the cut comes only after every new byte is written.
    assert target.read_bytes().startswith(NEW)


def test_a_failed_rename_leaves_the_original_and_no_temporary_file(tmp_path, monkeypatch) -> None:
    target = tmp_path / "module.py"
    target.write_bytes(OLD)

    def fail(*args):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(WriteError, match="Input/output error"):
        write_file(target, NEW)
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == []


def test_a_deleted_file_is_an_error_not_a_new_file(tmp_path) -> None:
    with pytest.raises(WriteError, match="No such file"):
        write_file(tmp_path / "gone.py", NEW)
    assert list(tmp_path.iterdir()) == []


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path) -> None:
    target = tmp_path / "module.py"
    target.write_bytes(OLD)
    read_at = target.stat()
    target.write_bytes(OLD + b"# saved by an editor meanwhile\n")
    with pytest.raises(WriteError, match="changed on disk"):
        write_file(target, NEW, unchanged_since=read_at)
    assert target.read_bytes().endswith(b"meanwhile\n")


def test_a_read_only_file_is_refused_even_for_root(tmp_path) -> None:
    target = tmp_path / "module.py"
    target.write_bytes(OLD)
    os.chmod(target, 0o444)
    with pytest.raises(WriteError, match="read-only"):
        write_file(target, NEW)
    assert target.read_bytes() == OLD


# --- where --add-noqa puts a comment ------------------------------------------------------------


def test_noqa_lines_map_a_string_or_continuation_to_its_last_line() -> None:
    text = 'a = f("""\nx\n""")\nb = 1 + \\\n    2\nc = (\n    3\n)\n'
    assert writing.noqa_lines(text) == {1: 3, 2: 3, 4: 5}


def test_add_noqa_keeps_crlf_and_merges_without_duplicates() -> None:
    text = "x = 1  # noqa: ATL201\r\ny = 2\r\n"
    added, count = writing.add_noqa(text, {1: {"ATL201", "ATL402"}, 2: {"ATL4"}})
    assert added == "x = 1  # noqa: ATL201, ATL402\r\ny = 2  # noqa: ATL4\r\n"
    assert count == 2
    assert writing.add_noqa(added, {1: {"ATL402"}, 2: {"ATL401"}}) == (added, 0)  # ATL4 covers ATL401
