"""Rolling online snapshots of the workspace (SQLite backup API) and restore.

Snapshots go to `<data dir>/backups/snap-YYYYmmdd-HHMMSS-<n>.db` (UTC time; `n` counts up
across all snapshots, so names never collide and sort in the order they were taken). Each one is
copied page by page from the live connection into a `.tic-tmp-` file, switched to a rollback
journal (a self-contained single file), `integrity_check`ed, fsynced and only then renamed into
place. Kept: the newest `KEEP_LAST` plus the newest of every day. Restoring never deletes the
damaged workspace: it is kept as `workspace.db.damaged-<time>` (with its -wal and -shm), and a
`workspace.db` exists at every moment of a restore.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tic_desktop.core.atomic import TMP_PREFIX, fsync_dir, replace_with_retry
from tic_desktop.core.faults import fault_point
from tic_desktop.storage.errors import BACKUP_DAMAGED, BACKUP_FAILED, DISK_FULL, DiskFull, StorageError
from tic_desktop.storage.private import private_dir
from tic_desktop.storage.schema import APPLICATION_ID

KEEP_LAST = 20
SNAP_RE = re.compile(r"^snap-(\d{8}-\d{6})-(\d+)\.db$")
_PAGES_PER_STEP = 256


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: datetime  # UTC, from the name
    number: int
    size: int


def backups_dir(db_path: Path) -> Path:
    return Path(db_path).parent / "backups"


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Every snapshot of this workspace, newest first (not checked; see `newest_good_backup`)."""
    found: list[BackupInfo] = []
    directory = backups_dir(db_path)
    if not directory.is_dir():
        return found
    for entry in directory.iterdir():
        match = SNAP_RE.match(entry.name)
        if not match:
            continue
        try:
            created = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
            size = entry.stat().st_size
        except (ValueError, OSError):
            continue
        found.append(BackupInfo(entry, created, int(match.group(2)), size))
    found.sort(key=lambda info: (info.number, info.created_at), reverse=True)
    return found


def check_backup(path: Path) -> bool:
    """True when `path` is one of our databases and passes `integrity_check`."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return False
        return conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def newest_good_backup(db_path: Path) -> Path | None:
    for info in list_backups(db_path):
        if check_backup(info.path):
            return info.path
    return None


def _copy_database(source: sqlite3.Connection, target: Path) -> None:
    """Copy `source` into the (new, empty) file `target`, self-contained and checked."""

    def progress(_status: int, _remaining: int, _total: int) -> None:
        fault_point("mid_backup")

    dst = sqlite3.connect(target, isolation_level=None)
    try:
        source.backup(dst, pages=_PAGES_PER_STEP, progress=progress)
        dst.execute("PRAGMA journal_mode = DELETE")
        if dst.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            raise StorageError(BACKUP_FAILED, f"{target}: integrity_check failed")
    finally:
        dst.close()
    with open(target, "rb+") as handle:
        os.fsync(handle.fileno())


def _needed_bytes(db_path: Path) -> int:
    total = 0
    for suffix in ("", "-wal"):
        with contextlib.suppress(OSError):
            total += os.path.getsize(f"{db_path}{suffix}")
    return 3 * total + (1 << 20)


def _stage_copy(source: sqlite3.Connection, directory: Path, final: Path) -> Path:
    """A checked, fsynced copy of `source` in a `.tic-tmp-` file of `directory`."""
    fd, name = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=".db", dir=directory)
    os.close(fd)
    tmp = Path(name)
    try:
        try:
            _copy_database(source, tmp)
        except sqlite3.Error as exc:
            if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF == sqlite3.SQLITE_FULL:
                raise DiskFull(DISK_FULL, str(directory)) from exc
            raise StorageError(BACKUP_FAILED, f"{final}: {exc}") from exc
        except OSError as exc:
            raise StorageError(BACKUP_FAILED, f"{final}: {exc}") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


def _write_snapshot(source: sqlite3.Connection, directory: Path, final: Path) -> None:
    tmp = _stage_copy(source, directory, final)
    try:
        replace_with_retry(tmp, final)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(directory)


def take_backup(source: sqlite3.Connection, db_path: Path, *, now: datetime | None = None) -> Path:
    """Snapshot the live connection `source` of `db_path`; prunes old snapshots afterwards."""
    directory = private_dir(backups_dir(db_path))  # snapshots are 0600 (mkstemp) in an 0700 folder
    if shutil.disk_usage(directory).free < _needed_bytes(db_path):
        raise DiskFull(DISK_FULL, f"{directory}: not enough free space for a backup")
    existing = list_backups(db_path)
    number = (existing[0].number if existing else 0) + 1
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    final = directory / f"snap-{stamp}-{number}.db"
    _write_snapshot(source, directory, final)
    prune_backups(db_path)
    return final


def prune_backups(db_path: Path, *, keep_last: int = KEEP_LAST) -> list[Path]:
    """Delete snapshots beyond the newest `keep_last`, keeping the newest one of each day."""
    keep: set[Path] = set()
    seen_days: set[str] = set()
    infos = list_backups(db_path)
    for index, info in enumerate(infos):  # newest first
        day = info.created_at.strftime("%Y%m%d")
        if index < keep_last or day not in seen_days:
            keep.add(info.path)
        seen_days.add(day)
    removed: list[Path] = []
    for info in infos:
        if info.path not in keep:
            with contextlib.suppress(OSError):
                info.path.unlink()
                removed.append(info.path)
    return removed


def _keep_aside(current: Path, aside: Path) -> None:
    """A second name (hard link, else a copy) for the workspace file, which stays where it is."""
    try:
        os.link(current, aside)
    except OSError:
        shutil.copy2(current, aside)


def restore_backup(db_path: Path, backup: Path) -> Path:
    """Replace the (closed) workspace by `backup`; returns where the old file was kept aside.

    The copy is made and checked first. The old file gets a second name (`.damaged-<time>`) and
    stays in place until the checked copy replaces it in one rename, so a crash or failure at any
    step leaves a `workspace.db` (the old one or the restored one), never nothing: a missing file
    would be opened as a new, empty workspace. Its -wal and -shm are moved aside first (a stale
    WAL must never meet the restored file); on failure they are put back.
    """
    db_path = Path(db_path)
    if not check_backup(backup):
        raise StorageError(BACKUP_DAMAGED, str(backup))
    source = sqlite3.connect(f"{Path(backup).resolve().as_uri()}?mode=ro", uri=True)
    try:
        tmp = _stage_copy(source, db_path.parent, db_path)
    finally:
        source.close()
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    moved: list[tuple[Path, Path]] = []
    linked = False
    try:
        if db_path.exists():
            _keep_aside(db_path, aside)
            linked = True
        for suffix in ("-wal", "-shm"):
            current = Path(f"{db_path}{suffix}")
            if current.exists():
                replace_with_retry(current, Path(f"{aside}{suffix}"))
                moved.append((current, Path(f"{aside}{suffix}")))
        fault_point("mid_restore")
        replace_with_retry(tmp, db_path)
    except BaseException:
        # the old workspace file never left its place: put its -shm and -wal back, drop the copies
        for original, kept in reversed(moved):
            with contextlib.suppress(OSError, StorageError):
                replace_with_retry(kept, original)
        for extra in ([aside] if linked else []) + [tmp]:
            with contextlib.suppress(OSError):
                extra.unlink()
        raise
    fsync_dir(db_path.parent)
    return aside
