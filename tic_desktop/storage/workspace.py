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

import contextlib
import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tic_desktop.core.atomic import atomic_write
from tic_desktop.core.faults import fault_point
from tic_desktop.storage import backup
from tic_desktop.storage.connection import typed_error
from tic_desktop.storage.errors import (
    AGENCY_PIN,
    BATCH_CONFLICT,
    BATCH_UNKNOWN,
    StorageError,
)
from tic_desktop.storage.location import default_path
from tic_desktop.storage.records import (
    AnswerEdit,
    AnswerRow,
    AnswerValue,
    BatchRecord,
    ConflictDeclaration,
    DocumentOpened,
    ExpertIdentity,
    FormAnswersDict,
    ItemKind,
    Pledge,
    SheetExport,
    build_answers,
    check_item,
    encode_value,
)
from tic_desktop.storage.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from tic_desktop.storage.store import AuditedStore, now

__all__ = ["Workspace", "default_path"]

SYSTEM_ACTOR = "system"




class Workspace(AuditedStore):
    """An open workspace. Use `Workspace.open(path)`; close it (or use `with`)."""

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
                         folders=(path.parent / "batches", path.parent / "keys", *kept_sheets))

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

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self._lock:
            self._connection()
            try:
                cursor = self._connection().execute(sql, params)
                keys = [d[0] for d in cursor.description]
                return [dict(zip(keys, row, strict=True)) for row in cursor]
            except sqlite3.Error as exc:
                raise typed_error(exc, self.path) or exc from exc

    # ---- batches and the agency pin -----------------------------------------------------
    def batch_file(self, batch: BatchRecord | str) -> Path:
        """Where the raw .ticbatch of a batch is kept (content-addressed)."""
        record = batch if isinstance(batch, BatchRecord) else self.batch(batch)
        if record is None:
            raise StorageError(BATCH_UNKNOWN, str(batch))
        return self.data_dir / "batches" / f"{record.raw_sha256}.ticbatch"

    def add_batch(
        self,
        *,
        batch_id: str,
        manifest_sha256: str,
        title_zh: str,
        title_en: str,
        kind: str,
        agency_name: str,
        agency_fingerprint: str,
        raw: bytes,
        replace: bool = False,
        raw_sha256: str | None = None,
        manifest_created_at: str = "",
        pin_replace: bool = False,
    ) -> bool:
        """Import a verified batch; pins the agency key on first import. False: already there.

        `raw_sha256` is the SHA-256 (hex) of `raw` when the caller has already hashed it; it is then
        not recomputed (the written file is still read back and checked against it). A pin mismatch
        or `batch.conflict` is raised before anything is written, and a file this call wrote is
        removed again when the import does not happen and no other batch uses it. `pin_replace`: the
        agency's pin under this name may be replaced (the caller found it void: the demo key).
        """
        raw_sha = raw_sha256 if raw_sha256 is not None else hashlib.sha256(raw).hexdigest()
        if not re.fullmatch(r"[0-9a-f]{64}", raw_sha):
            raise ValueError(f"raw_sha256 must be 64 lowercase hex digits, not {raw_sha!r}")
        with self._lock:
            self._check_import(self._connection(), batch_id, manifest_sha256, agency_name, agency_fingerprint,
                               replace=replace, pin_replace=pin_replace)
        stored = self.data_dir / "batches" / f"{raw_sha}.ticbatch"
        wrote = False
        if not stored.exists():
            stored.parent.mkdir(parents=True, exist_ok=True)

            def same_bytes(candidate: Path) -> None:
                if hashlib.sha256(candidate.read_bytes()).hexdigest() != raw_sha:
                    raise ValueError("stored batch differs from the imported bytes")

            atomic_write(stored, raw, verify=same_bytes)
            wrote = True
        try:
            return self._import_row(batch_id, manifest_sha256, title_zh, title_en, kind, agency_name,
                                    agency_fingerprint, raw_sha, len(raw), replace=replace,
                                    manifest_created_at=manifest_created_at, pin_replace=pin_replace)
        finally:
            if wrote:
                self._drop_if_unreferenced(stored, raw_sha)

    def _check_import(
        self, conn: sqlite3.Connection, batch_id: str, manifest_sha256: str, agency_name: str, fingerprint: str,
        *, replace: bool, pin_replace: bool = False,
    ) -> None:
        """`agency.pin_mismatch` / `batch.conflict` as the import transaction would raise them."""
        try:
            pin = conn.execute("SELECT fingerprint FROM agency_pins WHERE agency_name = ?", (agency_name,)).fetchone()
            old = conn.execute("SELECT manifest_sha256 FROM batches WHERE batch_id = ?", (batch_id,)).fetchone()
        except sqlite3.Error as exc:
            raise typed_error(exc, self.path) or exc from exc
        if pin is not None and pin[0] != fingerprint and not pin_replace:
            raise StorageError(AGENCY_PIN, f"{agency_name}: pinned {pin[0]}, offered {fingerprint}")
        if old is not None and old[0] != manifest_sha256 and not replace:
            raise StorageError(BATCH_CONFLICT, batch_id)

    def _drop_if_unreferenced(self, stored: Path, raw_sha: str) -> None:
        with self._lock:
            try:
                used = self._connection().execute(
                    "SELECT 1 FROM batches WHERE raw_sha256 = ? LIMIT 1", (raw_sha,)
                ).fetchone()
            except sqlite3.Error:
                return  # cannot tell: keep the file (an orphan is better than a missing batch)
            if used is None:
                with contextlib.suppress(OSError):
                    stored.unlink()

    def _import_row(
        self, batch_id: str, manifest_sha256: str, title_zh: str, title_en: str, kind: str, agency_name: str,
        agency_fingerprint: str, raw_sha: str, raw_size: int, *, replace: bool, manifest_created_at: str = "",
        pin_replace: bool = False,
    ) -> bool:
        row = {
            "batch_id": batch_id,
            "manifest_sha256": manifest_sha256,
            "title_zh": title_zh,
            "title_en": title_en,
            "kind": kind,
            "agency_name": agency_name,
            "agency_fingerprint": agency_fingerprint,
            "raw_sha256": raw_sha,
            "raw_size": raw_size,
            "imported_at": now(),
            "manifest_created_at": manifest_created_at,
        }
        with self.transaction() as conn:
            self._pin(conn, agency_name, agency_fingerprint, batch_id, replace=pin_replace)
            old = conn.execute(
                "SELECT manifest_sha256 FROM batches WHERE batch_id = ?", (batch_id,)
            ).fetchone()
            if old is not None and old[0] == manifest_sha256:
                return False
            if old is not None and not replace:
                raise StorageError(BATCH_CONFLICT, batch_id)
            _insert(conn, "batches", row, upsert="batch_id")
            fault_point("mid_import")
            data = {
                k: row[k] for k in ("batch_id", "manifest_sha256", "kind", "agency_fingerprint", "raw_sha256")
            }
            self._log(conn, "batch.replace" if old else "batch.import", data, SYSTEM_ACTOR)
        return True

    def batches(self) -> list[BatchRecord]:
        return [
            BatchRecord(**row) for row in self._read("SELECT * FROM batches ORDER BY imported_at, batch_id")
        ]

    def batch(self, batch_id: str) -> BatchRecord | None:
        rows = self._read("SELECT * FROM batches WHERE batch_id = ?", (batch_id,))
        return BatchRecord(**rows[0]) if rows else None

    def _pin(
        self, conn: sqlite3.Connection, name: str, fingerprint: str, batch_id: str | None, *, replace: bool
    ) -> bool:
        row = conn.execute("SELECT fingerprint FROM agency_pins WHERE agency_name = ?", (name,)).fetchone()
        if row is not None and row[0] == fingerprint:
            return False
        if row is not None and not replace:
            raise StorageError(AGENCY_PIN, f"{name}: pinned {row[0]}, offered {fingerprint}")
        conn.execute(
            "INSERT OR REPLACE INTO agency_pins (agency_name, fingerprint, pinned_at, first_batch) VALUES (?, ?, ?, ?)",
            (name, fingerprint, now(), batch_id),
        )
        data = {"agency_name": name, "fingerprint": fingerprint, "previous": row[0] if row else None}
        self._log(conn, "agency.repin" if row else "agency.pin", data, SYSTEM_ACTOR)
        return True

    def pin_agency(self, agency_name: str, fingerprint: str, *, replace: bool = False) -> bool:
        """Pin (True) or confirm (False) an agency key; a different key needs `replace=True`
        (after the expert checked the new fingerprint on paper), else `agency.pin_mismatch`."""
        with self.transaction() as conn:
            return self._pin(conn, agency_name, fingerprint, None, replace=replace)

    def agency_pins(self) -> list[tuple[str, str]]:
        """Every (agency name, fingerprint) pin, oldest first."""
        return [(str(r["agency_name"]), str(r["fingerprint"]))
                for r in self._read("SELECT agency_name, fingerprint FROM agency_pins ORDER BY pinned_at, agency_name")]

    def get_pinned_agency(self, agency_name: str) -> str | None:
        rows = self._read("SELECT fingerprint FROM agency_pins WHERE agency_name = ?", (agency_name,))
        return str(rows[0]["fingerprint"]) if rows else None

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
        rows = self._read("SELECT * FROM expert_identity WHERE batch_id = ?", (batch_id,))
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
        rows = self._read("SELECT * FROM pledges WHERE batch_id = ? AND expert_id = ?", (batch_id, expert_id))
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
        rows = self._read(
            "SELECT proposal_id, declared, reason_code, note, declared_at FROM conflicts "
            "WHERE batch_id = ? AND expert_id = ? ORDER BY proposal_id",
            (batch_id, expert_id),
        )
        return {r["proposal_id"]: ConflictDeclaration(**{**r, "declared": bool(r["declared"])}) for r in rows}

    # ---- answers --------------------------------------------------------------------------
    def set_answers(self, batch_id: str, expert_id: str, edits: Iterable[AnswerEdit]) -> int:
        """Apply several edits (a debounced burst) in one transaction; returns how many changed."""
        prepared = []
        for edit in edits:
            check_item(edit.item_kind, edit.item_id)
            text = None if edit.value is None else encode_value(edit.item_kind, edit.item_id, edit.value)
            prepared.append((edit, text))
        changed = 0
        with self.transaction() as conn:
            for edit, text in prepared:
                key = (batch_id, expert_id, edit.proposal_id, edit.form_id, edit.item_kind, edit.item_id)
                where = (
                    "batch_id = ? AND expert_id = ? AND proposal_id = ? AND form_id = ? "
                    "AND item_kind = ? AND item_id = ?"
                )
                old = conn.execute(f"SELECT value FROM answers WHERE {where}", key).fetchone()
                if (old[0] if old else None) == text:
                    continue
                if text is None:
                    conn.execute(f"DELETE FROM answers WHERE {where}", key)
                else:
                    conn.execute(
                        "INSERT INTO answers (batch_id, expert_id, proposal_id, form_id, item_kind, item_id, value, "
                        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                        "value = excluded.value, updated_at = excluded.updated_at",
                        (*key, text, now()),
                    )
                data = {
                    "batch_id": batch_id,
                    "expert_id": expert_id,
                    "proposal_id": edit.proposal_id,
                    "form_id": edit.form_id,
                    "item_kind": edit.item_kind,
                    "item_id": edit.item_id,
                    "value": text,
                }
                self._log(conn, "answer.clear" if text is None else "answer.set", data, expert_id)
                changed += 1
        return changed

    def set_answer(
        self,
        batch_id: str,
        expert_id: str,
        proposal_id: str,
        form_id: str,
        item_kind: ItemKind,
        item_id: str,
        value: AnswerValue,
    ) -> bool:
        """Store one field (scores as Decimal or "7.5"; na/veto as bool); False if unchanged."""
        edit = AnswerEdit(proposal_id, form_id, item_kind, item_id, value)
        return self.set_answers(batch_id, expert_id, [edit]) == 1

    def clear_answer(
        self,
        batch_id: str,
        expert_id: str,
        proposal_id: str,
        form_id: str,
        item_kind: ItemKind,
        item_id: str,
    ) -> bool:
        edit = AnswerEdit(proposal_id, form_id, item_kind, item_id, None)
        return self.set_answers(batch_id, expert_id, [edit]) == 1

    def answers_for(self, batch_id: str, expert_id: str, proposal_id: str, form_id: str) -> FormAnswersDict:
        """The fields of `core.scoring.FormAnswers` for one form of one proposal."""
        rows = self._read(
            "SELECT item_kind, item_id, value FROM answers WHERE batch_id = ? AND expert_id = ? "
            "AND proposal_id = ? AND form_id = ?",
            (batch_id, expert_id, proposal_id, form_id),
        )
        return build_answers([(r["item_kind"], r["item_id"], r["value"]) for r in rows])

    def answer_rows(self, batch_id: str, expert_id: str) -> list[AnswerRow]:
        """Every stored answer of an expert in a batch (for sheets, progress and exports)."""
        rows = self._read(
            "SELECT proposal_id, form_id, item_kind, item_id, value, updated_at FROM answers "
            "WHERE batch_id = ? AND expert_id = ? ORDER BY proposal_id, form_id, item_kind, item_id",
            (batch_id, expert_id),
        )
        return [AnswerRow(**r) for r in rows]

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
        return [DocumentOpened(**r) for r in self._read(sql + " ORDER BY proposal_id, path", params)]

    def sheet_exports(self, batch_id: str, expert_id: str) -> list[SheetExport]:
        rows = self._read(
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
            _insert(conn, "sheet_exports", record.__dict__)
            self._log(
                conn,
                "sheet.export",
                {k: v for k, v in record.__dict__.items() if k != "exported_at"},
                expert_id,
            )
            return record

    # ---- window state (not audited) -------------------------------------------------------
    def set_ui_state(self, key: str, value: Any) -> None:
        """Store a JSON-able value (last proposal, splitter sizes…); not an audited change."""
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO ui_state (key, value, updated_at) VALUES (?, ?, ?)",
                (key, text, now()),
            )

    def ui_state(self, key: str, default: Any = None) -> Any:
        rows = self._read("SELECT value FROM ui_state WHERE key = ?", (key,))
        return json.loads(rows[0]["value"]) if rows else default


def _insert(conn: sqlite3.Connection, table: str, row: dict[str, Any], *, upsert: str | None = None) -> None:
    """INSERT `row` into `table` (names are this module's own); `upsert`: the primary key column,
    whose existing row is updated instead."""
    cols = ", ".join(row)
    sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(row))})"
    if upsert is not None:
        sql += f" ON CONFLICT({upsert}) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in row if c != upsert)
    conn.execute(sql, tuple(row.values()))
