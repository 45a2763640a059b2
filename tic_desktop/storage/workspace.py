"""The expert's workspace: one SQLite file, one writer connection, typed methods.

    ws = Workspace.open(default_path())      # creates or migrates; quick_check; WAL + synchronous=FULL
    ws.set_answer("B1", "E01", "P01", "feasibility_review", "score", "1.1", Decimal("5.0"))
    FormAnswers(**ws.answers_for("B1", "E01", "P01", "feasibility_review"))

Every mutating method is ONE `BEGIN IMMEDIATE` transaction that also appends its audit event
(storage.audit), so when it returns the change is durable (synchronous=FULL) and the UI may show
"已保存". `set_ui_state` is the one exception: window layout is not evidence and is not audited.
Failures are typed (storage.errors) and leave nothing half-done: `DiskFull` (`disk.full`; keep
the edit in memory and retry), `ReadOnlyWorkspace`, `WorkspaceCorrupt` (offer
`newest_good` / `backups`, then `restore_backup`), `StorageError` with `db.busy`, `db.foreign`,
`db.newer_schema`, `batch.unknown`, `batch.conflict`, `agency.pin_mismatch`, `answer.invalid_value`.

The connection is shared by threads through a lock, but the design is one writer thread (a Qt
worker); reads from the GUI thread are short. Tables: see storage.schema.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from tic_desktop.storage import backup
from tic_desktop.storage.location import default_path
from tic_desktop.storage.records import (
    ConflictDeclaration,
    DocumentOpened,
    ExpertIdentity,
    Pledge,
    SheetExport,
)
from tic_desktop.storage.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from tic_desktop.storage.store import insert_row, now
from tic_desktop.storage.workspace_answers import WorkspaceAnswers
from tic_desktop.storage.workspace_batches import WorkspaceBatches, batches_dir

__all__ = ["Workspace", "default_path"]

SYSTEM_ACTOR = "system"


class Workspace(WorkspaceBatches, WorkspaceAnswers):
    """An open workspace. Use `Workspace.open(path)`; close it (or use `with`).

    The batch and agency-pin methods are storage.workspace_batches', the answer methods
    storage.workspace_answers'; the rest is here."""

    application_id = APPLICATION_ID
    schema_version = SCHEMA_VERSION
    migrations = MIGRATIONS
    system_actor = SYSTEM_ACTOR

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        super().__init__(path, conn)
        self._db: Any = None
        self._backup_seq = -1

    @property
    def db(self) -> Any:
        """A `sqlite_utils.Database` on the workspace's connection, for tests and tools. Imported on
        first use: the app itself runs on plain sqlite3 (sqlite_utils costs ~0.1 s of start-up)."""
        if self._db is None:
            from sqlite_utils import Database  # noqa: PLC0415

            self._db = Database(self._connection(), execute_plugins=False)
        return self._db

    # ---- opening, closing, backups -------------------------------------------------------
    @classmethod
    def open(cls, path: Path | None = None, *, check_location: bool = True) -> Workspace:
        path = Path(path) if path is not None else default_path()
        kept_sheets = sorted((path.parent / "sheets").glob("*/"))  # signing's kept copies, one folder a batch
        return cls._open(path, check_location=check_location,
                         folders=(batches_dir(path), path.parent / "keys", *kept_sheets))

    @property
    def data_dir(self) -> Path:
        return self.path.parent

    def backup_now(self) -> Path:
        """Snapshot into backups/ (before imports, exports, on exit, on a timer, on demand)."""
        with self._lock:
            taken = backup.take_backup(self._connection(), self.path)
            self._backup_seq = self.audit_head().seq
            return taken

    def backup_if_changed(self) -> Path | None:
        """Snapshot only when something was committed since the last snapshot of this session."""
        with self._lock:
            return self.backup_now() if self.audit_head().seq != self._backup_seq else None

    def list_backups(self) -> list[backup.BackupInfo]:
        return backup.list_backups(self.path)

    # ---- identity, pledge, conflicts ----------------------------------------------------
    def set_expert_identity(self, batch_id: str, expert_id: str, key_fingerprint: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO expert_identity (batch_id, expert_id, key_fingerprint, chosen_at) "
                "VALUES (?, ?, ?, ?)",
                (batch_id, expert_id, key_fingerprint, now()),
            )
            data = {"batch_id": batch_id, "expert_id": expert_id, "key_fingerprint": key_fingerprint}
            self._log(conn, "identity.set", data, expert_id)

    def expert_identity(self, batch_id: str) -> ExpertIdentity | None:
        rows = self.query("SELECT * FROM expert_identity WHERE batch_id = ?", (batch_id,))
        return ExpertIdentity(**rows[0]) if rows else None

    def accept_pledge(self, batch_id: str, expert_id: str, text_sha256: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO pledges (batch_id, expert_id, accepted_at, text_sha256) VALUES (?, ?, ?, ?)",
                (batch_id, expert_id, now(), text_sha256),
            )
            data = {"batch_id": batch_id, "expert_id": expert_id, "text_sha256": text_sha256}
            self._log(conn, "pledge.accept", data, expert_id)

    def pledge(self, batch_id: str, expert_id: str) -> Pledge | None:
        rows = self.query("SELECT * FROM pledges WHERE batch_id = ? AND expert_id = ?", (batch_id, expert_id))
        return Pledge(**rows[0]) if rows else None

    def set_conflict(
        self,
        batch_id: str,
        expert_id: str,
        proposal_id: str,
        *,
        declared: bool,
        reason_code: str | None = None,
        note: str = "",
    ) -> None:
        """Declare (回避) or clear a conflict of interest for one proposal."""
        self.set_conflicts(batch_id, expert_id, {proposal_id: (declared, reason_code, note)})

    def set_conflicts(
        self, batch_id: str, expert_id: str, rows: dict[str, tuple[bool, str | None, str]]
    ) -> int:
        """Declare or clear several conflicts at once: one transaction (the 回避 dialog is one act).

        `rows` maps proposal id to (declared, reason_code, note); unchanged rows are skipped.
        Returns how many rows changed.
        """
        current = {pid: (c.declared, c.reason_code, c.note) for pid, c in self.conflicts(batch_id, expert_id).items()}
        changed = {pid: row for pid, row in rows.items() if current.get(pid) != row}
        if not changed:
            return 0
        with self.transaction() as conn:
            for pid, (declared, reason_code, note) in changed.items():
                conn.execute(
                    "INSERT OR REPLACE INTO conflicts (batch_id, expert_id, proposal_id, declared, reason_code, "
                    "note, declared_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (batch_id, expert_id, pid, int(declared), reason_code, note, now()),
                )
                data = {"batch_id": batch_id, "expert_id": expert_id, "proposal_id": pid, "declared": declared,
                        "reason_code": reason_code, "note": note}
                self._log(conn, "conflict.set", data, expert_id)
        return len(changed)

    def conflicts(self, batch_id: str, expert_id: str) -> dict[str, ConflictDeclaration]:
        rows = self.query(
            "SELECT proposal_id, declared, reason_code, note, declared_at FROM conflicts "
            "WHERE batch_id = ? AND expert_id = ? ORDER BY proposal_id",
            (batch_id, expert_id),
        )
        return {r["proposal_id"]: ConflictDeclaration(**{**r, "declared": bool(r["declared"])}) for r in rows}

    # ---- documents and exported sheets ----------------------------------------------------
    def record_document_opened(
        self, batch_id: str, expert_id: str, proposal_id: str, path: str, sha256: str
    ) -> bool:
        """Note the first time a document was opened; False when it had been opened before."""
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO documents_opened (batch_id, expert_id, proposal_id, path, sha256, "
                "first_opened_at) VALUES (?, ?, ?, ?, ?, ?)",
                (batch_id, expert_id, proposal_id, path, sha256, now()),
            )
            if cursor.rowcount != 1:
                return False
            data = {
                "batch_id": batch_id,
                "expert_id": expert_id,
                "proposal_id": proposal_id,
                "path": path,
                "sha256": sha256,
            }
            self._log(conn, "document.open", data, expert_id)
            return True

    def documents_opened(
        self, batch_id: str, expert_id: str, proposal_id: str | None = None
    ) -> list[DocumentOpened]:
        sql = (
            "SELECT proposal_id, path, sha256, first_opened_at FROM documents_opened "
            "WHERE batch_id = ? AND expert_id = ?"
        )
        params: tuple[Any, ...] = (batch_id, expert_id)
        if proposal_id is not None:
            sql, params = sql + " AND proposal_id = ?", (*params, proposal_id)
        return [DocumentOpened(**r) for r in self.query(sql + " ORDER BY proposal_id, path", params)]

    def sheet_exports(self, batch_id: str, expert_id: str) -> list[SheetExport]:
        rows = self.query(
            "SELECT * FROM sheet_exports WHERE batch_id = ? AND expert_id = ? ORDER BY sheet_seq",
            (batch_id, expert_id),
        )
        return [SheetExport(**r) for r in rows]

    def record_sheet_export(
        self,
        batch_id: str,
        expert_id: str,
        *,
        sheet_seq: int,
        sheet_sha256: str,
        audit_seq: int,
    ) -> SheetExport:
        """Record a signed sheet once written and verified. `sheet_seq` must be the last + 1
        (read `sheet_exports()` before signing); `supersedes` is filled from the previous one."""
        with self.transaction() as conn:
            last = conn.execute(
                "SELECT sheet_seq, sheet_sha256 FROM sheet_exports WHERE batch_id = ? AND expert_id = ? "
                "ORDER BY sheet_seq DESC LIMIT 1",
                (batch_id, expert_id),
            ).fetchone()
            expected = last[0] + 1 if last else 1
            if sheet_seq != expected:
                raise ValueError(f"sheet_seq {sheet_seq} is not the next one ({expected})")
            record = SheetExport(
                batch_id, expert_id, sheet_seq, sheet_sha256, last[1] if last else None, audit_seq, now()
            )
            insert_row(conn, "sheet_exports", record.__dict__)
            self._log(
                conn,
                "sheet.export",
                {k: v for k, v in record.__dict__.items() if k != "exported_at"},
                expert_id,
            )
            return record

    # ---- window state (not audited) -------------------------------------------------------
    def set_ui_state(self, key: str, value: Any) -> None:
        """Store a JSON-able value (last proposal, splitter sizes…); not an audited change. A value
        that is stored already is not written again: every start sets the same batch, place and
        panels, and each commit waits for the disk."""
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        if self.query("SELECT value FROM ui_state WHERE key = ?", (key,)) == [{"value": text}]:
            return
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO ui_state (key, value, updated_at) VALUES (?, ?, ?)",
                (key, text, now()),
            )

    def ui_state(self, key: str, default: Any = None) -> Any:
        rows = self.query("SELECT value FROM ui_state WHERE key = ?", (key,))
        return json.loads(rows[0]["value"]) if rows else default

