"""Opening the workspace file, and turning sqlite3 errors into typed storage errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tic_desktop.storage import backup
from tic_desktop.storage.errors import (
    BATCH_UNKNOWN,
    DB_BUSY,
    DB_CORRUPT,
    DB_FOREIGN,
    DB_NEWER,
    DB_READ_ONLY,
    DISK_FULL,
    DISK_IO,
    DiskFull,
    ReadOnlyWorkspace,
    StorageError,
    WorkspaceCorrupt,
)
from tic_desktop.storage.schema import APPLICATION_ID, SCHEMA_VERSION


def corrupt_error(path: Path, detail: str) -> WorkspaceCorrupt:
    """`db.corrupt` with the snapshots the UI can offer (the newest good one first)."""
    infos = backup.list_backups(path)
    good = backup.newest_good_backup(path)
    ordered = [good] if good else []
    ordered += [info.path for info in infos if info.path != good]
    return WorkspaceCorrupt(DB_CORRUPT, detail, path=path, backups=tuple(ordered))


def typed_error(exc: sqlite3.Error, path: Path) -> StorageError | None:
    """The typed error for an sqlite3 error, or None for a programming error."""
    primary = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(exc).lower()
    if primary == sqlite3.SQLITE_FULL or "database or disk is full" in text:
        return DiskFull(DISK_FULL, str(path))
    if primary == sqlite3.SQLITE_READONLY or "readonly database" in text:
        return ReadOnlyWorkspace(DB_READ_ONLY, str(path))
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or "malformed" in text:
        return corrupt_error(path, str(exc))
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "database is locked" in text:
        return StorageError(DB_BUSY, str(path))
    if primary in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN):
        return StorageError(DISK_IO, f"{path}: {exc}")
    if isinstance(exc, sqlite3.IntegrityError) and "foreign key" in text:
        return StorageError(BATCH_UNKNOWN, str(exc))
    return None


def connect(
    path: Path, *, application_id: int = APPLICATION_ID, schema_version: int = SCHEMA_VERSION
) -> tuple[sqlite3.Connection, int, bool]:
    """Open, check and configure; returns (connection, user_version, has_tables).

    `application_id` and `schema_version` default to the expert workspace's; the agency
    workspace (agency.workspace) passes its own."""
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5.0)
    except sqlite3.Error as exc:
        raise typed_error(exc, path) or StorageError(DISK_IO, f"{path}: {exc}") from exc
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        check = conn.execute("PRAGMA quick_check").fetchall()
        if check != [("ok",)]:
            raise corrupt_error(path, "; ".join(str(row[0]) for row in check[:5]))
        app_id, version = (
            conn.execute(f"PRAGMA {name}").fetchone()[0] for name in ("application_id", "user_version")
        )
        has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        if app_id != application_id and (app_id != 0 or has_tables):
            raise StorageError(DB_FOREIGN, str(path))
        if version > schema_version:
            raise StorageError(DB_NEWER, f"{path}: schema {version} > {schema_version}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StorageError(DISK_IO, f"{path}: journal_mode={mode}")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("BEGIN IMMEDIATE")  # write probe: a read-only file or medium fails here, typed
        try:
            conn.execute(f"PRAGMA user_version = {int(version)}")
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        return conn, int(version), has_tables
    except BaseException as exc:
        conn.close()
        if isinstance(exc, sqlite3.Error):
            raise typed_error(exc, path) or corrupt_error(path, str(exc)) from exc
        raise
