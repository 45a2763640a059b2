"""The sheet revisions, their conflicts and the import log of the agency workspace
(agency.workspace.AgencyWorkspace inherits them; which revision counts is told there).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tic_desktop.agency.records import Conflict, SheetRecord, SheetState
from tic_desktop.agency.schema import SHEET_COLUMNS
from tic_desktop.agency.workspace_batches import WorkspaceBatches
from tic_desktop.core.errors import Rejected, register
from tic_desktop.storage.store import now

CONFLICT_UNKNOWN = register(
    "conflict.not_found", "没有找到该冲突（或所选评分表不在其中）。请刷新后重试。",
    "No such conflict (or the chosen sheet is not part of it). Refresh and try again.",
)
REASON_REQUIRED = register(
    "decision.reason_required", "请填写理由：处理冲突和否决事项都须说明理由。",
    "Give a reason: resolving a conflict and deciding a veto both need one.",
)


class WorkspaceSheets(WorkspaceBatches):
    """The sheet, conflict and import-log methods of `AgencyWorkspace`."""

    # ---- sheets ------------------------------------------------------------------------------
    def sheet_file(self, raw_sha256: str) -> Path:
        return self.folder / "sheets" / f"{raw_sha256}.ticsheet"

    def revisions_in(self, conn: sqlite3.Connection, batch_id: str, expert_id: str) -> list[dict[str, Any]]:
        """Stored revisions of one expert, inside the caller's transaction (without sheet.json)."""
        cur = conn.execute(
            "SELECT sheet_sha256, sheet_seq, supersedes, audit_seq, expert_id FROM sheets "
            "WHERE batch_id = ? AND expert_id = ? ORDER BY sheet_seq, imported_at", (batch_id, expert_id))
        return [dict(zip(("sheet_sha256", "sheet_seq", "supersedes", "audit_seq", "expert_id"), r, strict=True))
                for r in cur.fetchall()]

    def insert_sheet(self, conn: sqlite3.Connection, row: Mapping[str, Any]) -> None:
        cols = SHEET_COLUMNS.split(", ")
        conn.execute(f"INSERT INTO sheets ({SHEET_COLUMNS}) VALUES ({', '.join('?' * len(cols))})",
                     tuple(row[c] for c in cols))

    def insert_log(self, conn: sqlite3.Connection, row: Mapping[str, Any]) -> None:
        conn.execute(f"INSERT INTO import_log ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                     tuple(row.values()))

    def _resolutions(self, batch_id: str) -> dict[tuple[str, int], tuple[str, set[str]]]:
        rows = self.query("SELECT expert_id, sheet_seq, keep_sha256, considered FROM conflict_resolutions "
                          "WHERE batch_id = ? ORDER BY id", (batch_id,))
        return {(r["expert_id"], r["sheet_seq"]): (r["keep_sha256"], set(json.loads(r["considered"]))) for r in rows}

    def _records(self, batch_id: str, *, with_json: bool = True) -> list[SheetRecord]:
        cols = SHEET_COLUMNS if with_json else SHEET_COLUMNS.replace(", sheet_json", "")
        rows = self.query(f"SELECT {cols} FROM sheets WHERE batch_id = ? ORDER BY expert_id, sheet_seq, imported_at",
                          (batch_id,))
        resolutions = self._resolutions(batch_id)
        by_expert: dict[str, list[dict[str, Any]]] = {}
        for r in rows:
            by_expert.setdefault(r["expert_id"], []).append(r)
        out: list[SheetRecord] = []
        for eid, revs in by_expert.items():
            groups: dict[int, list[dict[str, Any]]] = {}
            for r in revs:
                groups.setdefault(r["sheet_seq"], []).append(r)
            top = max(groups)
            for seq, group in sorted(groups.items()):
                kept: str | None = group[0]["sheet_sha256"] if len(group) == 1 else None
                if kept is None:
                    res = resolutions.get((eid, seq))
                    if res is not None and {g["sheet_sha256"] for g in group} <= res[1]:
                        kept = res[0]
                for r in group:
                    if kept is None:
                        state: SheetState = "conflict"
                    elif seq == top and r["sheet_sha256"] == kept:
                        state = "current"
                    else:
                        state = "superseded"
                    out.append(SheetRecord(
                        batch_id=batch_id, expert_id=eid, sheet_seq=seq, sheet_sha256=r["sheet_sha256"],
                        fingerprint=r["fingerprint"], file_name=r["file_name"], imported_at=r["imported_at"],
                        state=state, supersedes=r["supersedes"], raw_sha256=r["raw_sha256"],
                        audit_seq=r["audit_seq"], chain=r["chain"], raw_path=self.sheet_file(r["raw_sha256"]),
                        sheet_json=bytes(r["sheet_json"]) if with_json else b"",
                    ))
        return out

    def sheets(self, batch_id: str) -> list[SheetRecord]:
        """Every stored revision (the history), by expert then sheet_seq."""
        return self._records(batch_id)

    def current_sheets(self, batch_id: str) -> list[SheetRecord]:
        """Per expert the revision that counts (none for an expert whose newest revision is in conflict)."""
        return [r for r in self._records(batch_id) if r.state == "current"]

    def conflicts(self, batch_id: str) -> list[Conflict]:
        records = self._records(batch_id, with_json=False)
        top: dict[str, int] = {}
        for r in records:
            top[r.expert_id] = max(top.get(r.expert_id, 0), r.sheet_seq)
        groups: dict[tuple[str, int], list[SheetRecord]] = {}
        for r in records:
            if r.state == "conflict":
                groups.setdefault((r.expert_id, r.sheet_seq), []).append(r)
        return [Conflict(batch_id, eid, seq, tuple(g), blocking=seq == top[eid]) for (eid, seq), g in groups.items()]

    def resolve_conflict(self, batch_id: str, expert_id: str, sheet_seq: int, keep_sha256: str, reason: str) -> None:
        """A person chooses which of the conflicting sheets counts; the others stay in the history."""
        if not reason.strip():
            raise Rejected(REASON_REQUIRED)
        group = [c for c in self.conflicts(batch_id) if c.expert_id == expert_id and c.sheet_seq == sheet_seq]
        if not group or keep_sha256 not in {s.sheet_sha256 for s in group[0].sheets}:
            raise Rejected(CONFLICT_UNKNOWN, f"{expert_id} #{sheet_seq} {keep_sha256[:16]}")
        considered = sorted(s.sheet_sha256 for s in group[0].sheets)
        with self.transaction() as conn:
            conn.execute("INSERT INTO conflict_resolutions (batch_id, expert_id, sheet_seq, keep_sha256, considered, "
                         "reason, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (batch_id, expert_id, sheet_seq, keep_sha256, json.dumps(considered), reason.strip(), now()))
            self.log(conn, "sheet.resolve_conflict", {"batch_id": batch_id, "expert_id": expert_id,
                                                      "sheet_seq": sheet_seq, "keep_sha256": keep_sha256,
                                                      "considered": considered, "reason": reason.strip()})

    def import_log(self, batch_id: str) -> list[Any]:
        """Every import attempt (agency.importer.ImportOutcome), oldest first."""
        from tic_desktop.agency.importer import ImportOutcome  # noqa: PLC0415

        rows = self.query("SELECT path, file_name, status, code, message_zh, message_en, expert_id, sheet_seq, "
                          "fingerprint, sheet_sha256, superseded_seq FROM import_log WHERE batch_id = ? ORDER BY id",
                          (batch_id,))
        return [ImportOutcome(**r) for r in rows]
