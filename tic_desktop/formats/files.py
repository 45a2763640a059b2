"""Atomic file writes for the files `formats` produces (keys, batches, sheets).

Temp file in the target directory → write → flush + fsync → chmod → `os.replace` with a short
bounded retry for the Windows sharing violations that antivirus and indexers cause
(WinError 5/32/33). A reader never sees a half-written file at the final path.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

_RETRY_WINERRORS = {5, 32, 33}


def atomic_write(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write `data` to `path` atomically; `mode` applies where the OS supports POSIX modes."""
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if sys.platform != "win32":
            os.chmod(tmp, mode)
        _replace_with_retry(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if sys.platform != "win32":
        with contextlib.suppress(OSError):
            dir_fd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)


def _replace_with_retry(src: Path, dst: Path, total_seconds: float = 3.0) -> None:
    delay = 0.05
    deadline = time.monotonic() + total_seconds
    while True:
        try:
            os.replace(src, dst)
            return
        except PermissionError as exc:
            if getattr(exc, "winerror", None) not in _RETRY_WINERRORS or time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
