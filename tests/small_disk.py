"""A real, small file system to fill up: a tmpfs mounted for one test (Linux, as root; CI runs as root).

    with small_disk(tmp_path / "usb", "8m") as disk:
        filler = fill(disk)          # the disk is now full (ENOSPC on the next block)
        ...
        filler.unlink()              # space freed

Skips with the reason when the test cannot mount (not root, not Linux), never fakes a full disk.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SKIP_REASON = "a real full disk needs a tmpfs mount: Linux and root (CI runs the tests as root)"


def can_mount() -> bool:
    return sys.platform == "linux" and os.geteuid() == 0


@contextlib.contextmanager
def small_disk(where: Path, size: str) -> Iterator[Path]:
    if not can_mount():
        pytest.skip(SKIP_REASON)
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"{SKIP_REASON}; mount said: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False, capture_output=True)


def fill(disk: Path) -> Path:
    """Write one file until the disk refuses another byte; returns it (unlink it to free the space)."""
    filler = disk / "filler.bin"
    with open(filler, "wb", buffering=0) as handle:
        for chunk in (1 << 20, 1 << 16, 1 << 12, 1 << 9, 1):
            try:
                while True:
                    handle.write(b"\0" * chunk)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
    return filler
