"""The batches and agency pins of the expert's workspace (storage.workspace.Workspace inherits them).

A batch's raw .ticbatch is kept content-addressed in `<data dir>/batches/<sha256>.ticbatch`, not in
the database; its row, the agency's pin (first batch of an agency: pinned by key) and the audit event
are one transaction. A pin mismatch (`agency.pin_mismatch`) or a changed batch under a kept id
(`batch.conflict`) is raised before anything is written, and a file the import wrote is removed
again when the import does not happen and no other batch uses it.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import sqlite3
from pathlib import Path

from tic_desktop.core.atomic import atomic_write
from tic_desktop.core.faults import fault_point
from tic_desktop.storage.connection import typed_error
from tic_desktop.storage.errors import AGENCY_PIN, BATCH_CONFLICT, BATCH_UNKNOWN, StorageError
from tic_desktop.storage.records import BatchRecord
from tic_desktop.storage.store import AuditedStore, insert_row, now


def batches_dir(db_path: Path) -> Path:
    """Where the workspace at `db_path` keeps the raw batch files."""
    return db_path.parent / "batches"


class WorkspaceBatches(AuditedStore):
    """The batch and agency-pin methods of `Workspace`."""

    def batch_file(self, batch: BatchRecord | str) -> Path:
        """Where the raw .ticbatch of a batch is kept (content-addressed)."""
        record = batch if isinstance(batch, BatchRecord) else self.batch(batch)
        if record is None:
            raise StorageError(BATCH_UNKNOWN, str(batch))
        return batches_dir(self.path) / f"{record.raw_sha256}.ticbatch"

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
        stored = batches_dir(self.path) / f"{raw_sha}.ticbatch"
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
            insert_row(conn, "batches", row, upsert="batch_id")
            fault_point("mid_import")
            data = {
                k: row[k] for k in ("batch_id", "manifest_sha256", "kind", "agency_fingerprint", "raw_sha256")
            }
            self._log(conn, "batch.replace" if old else "batch.import", data, self.system_actor)
        return True

    def batches(self) -> list[BatchRecord]:
        return [
            BatchRecord(**row) for row in self.query("SELECT * FROM batches ORDER BY imported_at, batch_id")
        ]

    def batch(self, batch_id: str) -> BatchRecord | None:
        rows = self.query("SELECT * FROM batches WHERE batch_id = ?", (batch_id,))
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
        self._log(conn, "agency.repin" if row else "agency.pin", data, self.system_actor)
        return True

    def pin_agency(self, agency_name: str, fingerprint: str, *, replace: bool = False) -> bool:
        """Pin (True) or confirm (False) an agency key; a different key needs `replace=True`
        (after the expert checked the new fingerprint on paper), else `agency.pin_mismatch`."""
        with self.transaction() as conn:
            return self._pin(conn, agency_name, fingerprint, None, replace=replace)

    def agency_pins(self) -> list[tuple[str, str]]:
        """Every (agency name, fingerprint) pin, oldest first."""
        return [(str(r["agency_name"]), str(r["fingerprint"]))
                for r in self.query("SELECT agency_name, fingerprint FROM agency_pins ORDER BY pinned_at, agency_name")]

    def get_pinned_agency(self, agency_name: str) -> str | None:
        rows = self.query("SELECT fingerprint FROM agency_pins WHERE agency_name = ?", (agency_name,))
        return str(rows[0]["fingerprint"]) if rows else None
