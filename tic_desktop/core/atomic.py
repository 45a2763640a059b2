"""Crash-safe file replacement for exports, snapshots and key files.

`atomic_write(path, data, verify=...)`:
  temp file in the target folder (prefix `.tic-tmp-`) → write → flush + fsync → close →
  `verify(temp)` → `os.replace` (retried while Windows reports a sharing violation: antivirus,
  indexers and sync clients hold new files for a moment) → fsync the folder → `verify(path)`.

Whatever fails, the temp file is removed and the previous file at `path` is what it was: a
verify failure after the replace puts the old file back (through a hard link taken just before),
or removes the new file when there was none before. Only where the file system has no hard links
(FAT32 sticks) and the re-read fails does the new, already once verified, file stay.
Disk full is `DiskFull("disk.full")`; a file that stays locked is `StorageError("file.locked")`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tic_desktop.core.errors import Rejected
from tic_desktop.core.faults import fault_point
from tic_desktop.core.file_errors import DISK_FULL, DISK_IO, FILE_LOCKED, FILE_VERIFY, DiskFull, StorageError

TMP_PREFIX = ".tic-tmp-"
REPLACE_DELAYS: tuple[float, ...] = (0.05, 0.1, 0.2, 0.4, 0.8, 1.0)
"""Sleeps between `os.replace` attempts: 50 ms doubling to 1 s, 2.55 s in all, 7 attempts."""

_TRANSIENT_WINERRORS = frozenset({5, 32, 33})  # access denied, sharing violation, lock violation
_FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})
_sleep: Callable[[float], None] = time.sleep  # tests replace it


def is_transient_lock(exc: OSError) -> bool:
    """True for the Windows errors that go away when another program lets go of the file."""
    if getattr(exc, "winerror", None) in _TRANSIENT_WINERRORS:
        return True
    return sys.platform == "win32" and isinstance(exc, PermissionError)


def os_error(exc: OSError, path: Path) -> StorageError:
    """The typed error for an OSError met while writing `path`."""
    if exc.errno in _FULL_ERRNOS:
        return DiskFull(DISK_FULL, str(path))
    return StorageError(DISK_IO, f"{path}: {exc}")


def replace_with_retry(src: Path, dst: Path) -> None:
    """`os.replace(src, dst)`, retried on transient Windows locks; `file.locked` when they stay."""
    for attempt in range(len(REPLACE_DELAYS) + 1):
        try:
            os.replace(src, dst)
            return
        except OSError as exc:
            if not is_transient_lock(exc):
                raise
            if attempt == len(REPLACE_DELAYS):
                raise StorageError(FILE_LOCKED, f"{dst}: {exc}") from exc
            _sleep(REPLACE_DELAYS[attempt])


def fsync_dir(directory: Path) -> None:
    """Make a rename durable on POSIX; Windows cannot open a folder for fsync."""
    if sys.platform == "win32":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the rename is still atomic
    finally:
        os.close(fd)


def _run_verify(verify: Callable[[Path], None], path: Path) -> None:
    try:
        verify(path)
    except Rejected:
        raise
    except Exception as exc:
        raise StorageError(FILE_VERIFY, f"{path}: {exc}") from exc


def _unlink_quietly(path: Path | None) -> None:
    if path is not None:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _keep_old(path: Path) -> Path | None:
    """A hard link to the current file, so a failed post-replace check can put it back."""
    if not path.exists():
        return None
    fd, name = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=".old", dir=path.parent)
    os.close(fd)
    os.unlink(name)
    try:
        os.link(path, name)
    except OSError:
        return None
    return Path(name)


def atomic_write(
    path: Path, data: bytes, *, verify: Callable[[Path], None] | None = None, mode: int | None = None,
    reverify: bool = True,
) -> None:
    """Replace `path` by `data`, all or nothing (see the module docstring).

    `mode` sets POSIX permissions of the new file (e.g. 0o600 for keys); by default an existing
    file keeps its mode. `reverify=False` skips the check after the replace: for a new
    content-addressed file, where the verified temp file is renamed and nothing can be put back.
    """
    path = Path(path)
    directory = path.parent
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=".part", dir=directory)
    except OSError as exc:
        raise os_error(exc, path) from exc
    tmp = Path(tmp_name)
    old: Path | None = None
    try:
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                fault_point("after_tmp_write")
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(OSError):
                os.chmod(tmp, mode if mode is not None else stat.S_IMODE(os.stat(path).st_mode))
        except OSError as exc:
            raise os_error(exc, path) from exc
        if verify is not None:
            _run_verify(verify, tmp)
        fault_point("before_replace")
        existed = path.exists()
        old = _keep_old(path)
        replace_with_retry(tmp, path)
        fault_point("after_replace")
        fsync_dir(directory)
        if verify is not None and reverify:
            try:
                _run_verify(verify, path)
            except Exception:
                if old is not None:
                    replace_with_retry(old, path)
                    old = None
                elif not existed:
                    _unlink_quietly(path)
                raise
    except BaseException:
        _unlink_quietly(tmp)
        raise
    finally:
        _unlink_quietly(old)


def cleanup_stray_temps(directory: Path, *, older_than: float = 0.0) -> list[Path]:
    """Remove `.tic-tmp-*` files left in `directory` by a crash; returns what was removed."""
    removed: list[Path] = []
    try:
        entries = list(Path(directory).iterdir())
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not entry.name.startswith(TMP_PREFIX):
            continue
        try:
            if not entry.is_file() or now - entry.stat().st_mtime < older_than:
                continue
            entry.unlink()
        except OSError:
            continue
        removed.append(entry)
    return removed
