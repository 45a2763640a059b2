"""Owner-only folders and files for what the workspaces keep: scores, comments, keys, logs.

On POSIX the workspace folders are 0700 and the databases (with SQLite's -wal and -shm, which
SQLite creates with the database file's permissions), backups and logs 0600, whatever the umask.
On Windows the per-user %LOCALAPPDATA% folder's ACL already keeps other users out; nothing is
changed there.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
POSIX = os.name == "posix"


def private_dir(path: Path) -> Path:
    """Create `path` (and its parents) if needed and make it the owner's only (POSIX)."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if POSIX:
        with contextlib.suppress(PermissionError):  # a folder someone else owns: leave it
            os.chmod(path, PRIVATE_DIR)
    return path


def private_files(*paths: Path) -> None:
    """Make each existing file 0600 (POSIX)."""
    if not POSIX:
        return
    for p in paths:
        with contextlib.suppress(FileNotFoundError, PermissionError):
            os.chmod(p, PRIVATE_FILE)


def precreate_private(path: Path) -> None:
    """Create an empty 0600 file at `path` unless it exists (so a new database is never readable by others)."""
    if not POSIX:
        return
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))


def database_files(db_path: Path) -> tuple[Path, Path, Path]:
    return Path(db_path), Path(f"{db_path}-wal"), Path(f"{db_path}-shm")
