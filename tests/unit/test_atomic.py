"""atomic_write: retries on Windows sharing violations, disk full, verification, temp cleanup."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from tic_desktop.core import atomic
from tic_desktop.core.atomic import TMP_PREFIX, atomic_write, cleanup_stray_temps
from tic_desktop.storage.errors import DiskFull, StorageError


def temps(directory: Path) -> list[Path]:
    return [p for p in directory.iterdir() if p.name.startswith(TMP_PREFIX)]


def sharing_violation() -> PermissionError:
    exc = PermissionError(errno.EACCES, "The process cannot access the file")
    exc.winerror = 32  # type: ignore[attr-defined]
    return exc


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(atomic, "_sleep", slept.append)
    return slept


def flaky_replace(monkeypatch: pytest.MonkeyPatch, failures: int, exc_factory=sharing_violation) -> list[int]:
    real = os.replace
    calls: list[int] = []

    def replace(src: str | Path, dst: str | Path) -> None:
        calls.append(1)
        if len(calls) <= failures:
            raise exc_factory()
        real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    return calls


def test_writes_new_file(tmp_path: Path) -> None:
    target = tmp_path / "out.ticsheet"
    atomic_write(target, b"hello")
    assert target.read_bytes() == b"hello"
    assert temps(tmp_path) == []


def test_replaces_existing_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o640
    assert temps(tmp_path) == []


@pytest.mark.parametrize("failures", [1, 3, len(atomic.REPLACE_DELAYS)])
def test_retries_sharing_violation_then_succeeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float], failures: int
) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    calls = flaky_replace(monkeypatch, failures)
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert len(calls) == failures + 1
    assert sleeps == list(atomic.REPLACE_DELAYS[:failures])
    assert temps(tmp_path) == []


def test_backoff_is_bounded() -> None:
    assert atomic.REPLACE_DELAYS[0] == 0.05 and max(atomic.REPLACE_DELAYS) == 1.0
    assert 2.0 <= sum(atomic.REPLACE_DELAYS) <= 3.5


def test_gives_up_above_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    calls = flaky_replace(monkeypatch, len(atomic.REPLACE_DELAYS) + 1)
    with pytest.raises(StorageError) as info:
        atomic_write(target, b"new")
    assert info.value.code == "file.locked"
    assert len(calls) == len(atomic.REPLACE_DELAYS) + 1
    assert target.read_bytes() == b"old"
    assert temps(tmp_path) == []


def test_other_errors_are_not_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    calls = flaky_replace(monkeypatch, 1, lambda: OSError(errno.EXDEV, "cross-device link"))
    with pytest.raises(OSError):
        atomic_write(target, b"new")
    assert len(calls) == 1 and sleeps == []
    assert target.read_bytes() == b"old"
    assert temps(tmp_path) == []


@pytest.mark.parametrize("where", ["write", "fsync"])
def test_disk_full_leaves_target_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")

    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "fsync":
        monkeypatch.setattr(atomic.os, "fsync", full)
    else:
        real_fdopen = os.fdopen

        class FullFile:
            def __init__(self, fd: int, mode: str) -> None:
                self._f = real_fdopen(fd, mode)

            def __enter__(self) -> FullFile:
                return self

            def __exit__(self, *exc: object) -> None:
                self._f.close()

            def write(self, data: bytes) -> int:
                self._f.write(data[:1])
                raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(atomic.os, "fdopen", FullFile)
    with pytest.raises(DiskFull) as info:
        atomic_write(target, b"new content")
    assert info.value.code == "disk.full"
    assert target.read_bytes() == b"old"
    assert temps(tmp_path) == []


def test_eio_is_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def eio(_fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(atomic.os, "fsync", eio)
    with pytest.raises(StorageError) as info:
        atomic_write(tmp_path / "x", b"1")
    assert info.value.code == "disk.io_error"
    assert list(tmp_path.iterdir()) == []


def test_verify_failure_before_replace_keeps_old(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    seen: list[bytes] = []

    def verify(path: Path) -> None:
        seen.append(path.read_bytes())
        raise ValueError("signature does not verify")

    with pytest.raises(StorageError) as info:
        atomic_write(target, b"new", verify=verify)
    assert info.value.code == "file.verify_failed"
    assert seen == [b"new"]  # the temp file was checked, the target never touched
    assert target.read_bytes() == b"old"
    assert temps(tmp_path) == []


def test_verify_failure_after_replace_restores_old(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    calls: list[Path] = []

    def verify(path: Path) -> None:
        calls.append(path)
        if path == target:  # the re-read after the replace fails (e.g. an antivirus rewrote it)
            raise ValueError("re-read differs")

    with pytest.raises(StorageError):
        atomic_write(target, b"new", verify=verify)
    assert len(calls) == 2
    assert target.read_bytes() == b"old"
    assert temps(tmp_path) == []


def test_verify_failure_after_replace_of_new_file_removes_it(tmp_path: Path) -> None:
    target = tmp_path / "new.bin"

    def verify(path: Path) -> None:
        if path == target:
            raise ValueError("re-read differs")

    with pytest.raises(StorageError):
        atomic_write(target, b"new", verify=verify)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("winerror", [5, 32, 33])
def test_each_windows_lock_error_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float], winerror: int
) -> None:
    def locked() -> OSError:
        exc = OSError(errno.EACCES, "locked")
        exc.winerror = winerror  # type: ignore[attr-defined]
        return exc

    flaky_replace(monkeypatch, 2, locked)
    atomic_write(tmp_path / "x", b"1")
    assert len(sleeps) == 2


def test_posix_permission_error_is_not_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    monkeypatch.setattr(atomic.sys, "platform", "linux")
    flaky_replace(monkeypatch, 1, lambda: PermissionError(errno.EACCES, "Permission denied"))
    with pytest.raises(PermissionError):
        atomic_write(tmp_path / "x", b"1")
    assert sleeps == [] and list(tmp_path.iterdir()) == []


def test_verify_runs_twice_on_success(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    checked: list[bytes] = []
    atomic_write(target, b"new", verify=lambda p: checked.append(p.read_bytes()))
    assert checked == [b"new", b"new"]


def test_cleanup_removes_only_stray_temps(tmp_path: Path) -> None:
    (tmp_path / f"{TMP_PREFIX}abc.part").write_bytes(b"half")
    (tmp_path / f"{TMP_PREFIX}old.db").write_bytes(b"half")
    (tmp_path / "keep.ticsheet").write_bytes(b"mine")
    (tmp_path / f"{TMP_PREFIX}dir").mkdir()
    removed = cleanup_stray_temps(tmp_path)
    assert sorted(p.name for p in removed) == [f"{TMP_PREFIX}abc.part", f"{TMP_PREFIX}old.db"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{TMP_PREFIX}dir", "keep.ticsheet"]
    (tmp_path / f"{TMP_PREFIX}fresh.part").write_bytes(b"in use")
    assert cleanup_stray_temps(tmp_path, older_than=60) == []
    assert cleanup_stray_temps(tmp_path / "missing") == []


def test_workspace_open_cleans_stray_temps(tmp_path: Path) -> None:
    from tic_desktop.storage.workspace import Workspace

    (tmp_path / f"{TMP_PREFIX}x.part").write_bytes(b"half")
    (tmp_path / "backups").mkdir()
    (tmp_path / "backups" / f"{TMP_PREFIX}y.db").write_bytes(b"half")
    Workspace.open(tmp_path / "workspace.db").close()
    assert temps(tmp_path) == [] and temps(tmp_path / "backups") == []
