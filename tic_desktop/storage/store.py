"""What every audited SQLite file of ours shares — the expert's workspace (storage.workspace) and the
agency's (agency.workspace): opening (location checked, leftover temp files of a crash removed,
storage.connection's pragmas and typed errors), migrations after ONE snapshot of the data as it was,
one lock, `BEGIN IMMEDIATE` transactions that roll back on any exception and pass the
`before_commit` / `after_commit` fault points, the hash-chained audit log, reads (`query`), closing.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Self

from tic_desktop.core.atomic import cleanup_stray_temps
from tic_desktop.core.faults import fault_point
from tic_desktop.storage import audit, backup
from tic_desktop.storage.audit import AuditEvent, AuditHead
from tic_desktop.storage.connection import connect, typed_error
from tic_desktop.storage.errors import AUDIT_BROKEN, AuditChainBroken
from tic_desktop.storage.location import check_workspace_location
from tic_desktop.storage.private import database_files, precreate_private, private_dir, private_files

Migration = Callable[[sqlite3.Connection], None]


def now() -> str:
    """UTC, milliseconds, `Z`: the time stamps of rows and audit events."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class AuditedStore:
    """Subclasses set the class attributes and open with `_open(path, folders=…)`."""

    application_id: ClassVar[int]
    schema_version: ClassVar[int]
    migrations: ClassVar[Mapping[int, Migration]]
    system_actor: ClassVar[str] = "system"
    """Who migrations are logged as."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = conn
        self._lock = threading.RLock()

    @classmethod
    def _open(cls, path: Path, *, check_location: bool, folders: Iterable[Path] = ()) -> Self:
        if check_location:
            check_workspace_location(path)
        private_dir(path.parent)  # scores and comments in plain text: the owner's only (POSIX)
        for folder in (path.parent, backup.backups_dir(path), *folders):
            cleanup_stray_temps(folder)  # what a crash mid-write left behind (atomic_write's .tic-tmp-*)
        precreate_private(path)  # SQLite gives the -wal and -shm files the database file's mode
        private_files(*database_files(path))
        conn, version, has_tables = connect(path, application_id=cls.application_id, schema_version=cls.schema_version)
        private_files(*database_files(path))
        store = cls(path, conn)
        try:
            store._migrate(version, has_tables)
        except BaseException:
            store.close()
            raise
        return store

    def _migrate(self, version: int, has_tables: bool) -> None:
        if version < self.schema_version and has_tables:
            # one snapshot of the data as it was; each step below is its own transaction
            backup.take_backup(self._connection(), self.path)
        for target in range(version + 1, self.schema_version + 1):
            with self.transaction() as conn:
                self.migrations[target](conn)
                conn.execute(f"PRAGMA user_version = {target}")
                self._log(conn, "schema.migrate", {"from": target - 1, "to": target}, self.system_actor)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("PRAGMA optimize")
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError(f"{self.path.name} is closed")
        return self._conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One `BEGIN IMMEDIATE` … `COMMIT`; rolled back on any exception (typed storage errors)."""
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN IMMEDIATE")
                yield conn
                fault_point("before_commit")
                conn.execute("COMMIT")
                fault_point("after_commit")
            except BaseException as exc:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    mapped = typed_error(exc, self.path)
                    if mapped is not None:
                        raise mapped from exc
                raise

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        """The rows of one SELECT as dicts (typed storage errors)."""
        with self._lock:
            conn = self._connection()
            try:
                cur = conn.execute(sql, params)
                cols = [d[0] for d in cur.description]
                return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
            except sqlite3.Error as exc:
                raise typed_error(exc, self.path) or exc from exc

    def _log(self, conn: sqlite3.Connection, action: str, data: dict[str, Any], actor: str) -> AuditHead:
        """An audit event, inside the caller's transaction."""
        return audit.append(conn, ts=now(), actor=actor, action=action, data=data)

    def integrity_check(self) -> list[str]:
        with self._lock:
            return [str(row[0]) for row in self._connection().execute("PRAGMA integrity_check")]

    def audit_head(self) -> AuditHead:
        with self._lock:
            return audit.head(self._connection())

    def audit_events(self, since: int = 0) -> list[AuditEvent]:
        with self._lock:
            return audit.events(self._connection(), since)

    def first_bad_audit_seq(self) -> int | None:
        with self._lock:
            return audit.first_bad_seq(self._connection())

    def verify_audit_chain(self) -> AuditHead:
        """The head when every row verifies; else `AuditChainBroken` naming the first bad seq."""
        with self._lock:
            bad = audit.first_bad_seq(self._connection())
            if bad is not None:
                raise AuditChainBroken(AUDIT_BROKEN, f"seq {bad}", seq=bad)
            return audit.head(self._connection())

    def export_audit(self) -> tuple[AuditHead, bytes]:
        """The verified head and the whole log as JSON Lines (storage.audit_export), read in one go."""
        from tic_desktop.storage.audit_export import export_lines  # noqa: PLC0415

        with self._lock:
            conn = self._connection()
            bad = audit.first_bad_seq(conn)
            if bad is not None:
                raise AuditChainBroken(AUDIT_BROKEN, f"seq {bad}", seq=bad)
            return audit.head(conn), export_lines(conn)


def insert_row(conn: sqlite3.Connection, table: str, row: Mapping[str, Any], *, upsert: str | None = None) -> None:
    """INSERT `row` into `table` (the caller's own table and column names, never user input);
    `upsert`: the primary key column, whose existing row is updated instead."""
    cols = ", ".join(row)
    sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(row))})"
    if upsert is not None:
        sql += f" ON CONFLICT({upsert}) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in row if c != upsert)
    conn.execute(sql, tuple(row.values()))
