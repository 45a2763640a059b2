"""The agency's workspace: its batches, the experts' pinned keys, every imported sheet revision,
the import log, the chair's veto decisions and panel opinions. One SQLite file, Qt-free.

    ws = AgencyWorkspace.open(data_dir / "agency" / "agency.db")
    info = ws.add_batch(path, identity_text)           # the agency's own batch, read with agency.agekey
    batch = ws.open_batch(info.batch_id, identity_text)
    agency.importer.import_sheets(ws, batch, identity_text, [folder])
    ws.current_sheets(info.batch_id)

The file is opened like the expert's workspace (storage.connection: quick_check, WAL,
synchronous=FULL, typed errors) with its own application id and schema version; migrations run in
their own transaction after a snapshot (storage.backup). Every mutating method is ONE
`BEGIN IMMEDIATE` transaction together with its event in the hash-chained audit log
(storage.audit). Raw files are content-addressed beside the database and never overwritten:
`<dir>/batches/<raw sha256>.ticbatch`, `<dir>/sheets/<raw sha256>.ticsheet` (written with
storage.atomic before the row that names them is committed).

Tables (agency schema v1, in agency.schema; the records handed out are in agency.records):
  batches               one row per batch (manifest hash, titles, expert and proposal ids, raw file)
  expert_pins           (batch, expert) → the pinned signing key fingerprint and where it came from
  sheets                every stored sheet revision: the exact signed sheet.json, its SHA-256, the raw
                        file's SHA-256, sheet_seq, supersedes, the expert's audit head, the chain state
  conflict_resolutions  a person's choice between sheets with the same expert and sheet_seq
                        (append-only: the newest row for a group counts)
  import_log            every import attempt with its outcome, code and sentences
  veto_decisions        (batch, proposal, form, veto) → the chair's confirmation or rejection
  opinions              (batch, proposal, form) → the panel opinion (with its dissent note)
  meetings              batch → the panel meeting record (date, place, mode, chair, deputy; schema v3)
  audit_log             as storage.audit requires

Which revision counts (see agency.importer for how a file becomes a revision): per expert, revisions
are grouped by sheet_seq; a group with more than one sheet and no resolution covering all of them is
a *conflict*. The highest group decides: a single (or chosen) sheet there is *current*; if that group
is in conflict the expert has no current sheet until a person resolves it. Every other stored sheet
is *superseded* (or *conflict*, while its own group is unresolved).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from tic_desktop.agency.records import (
    PIN_SOURCES,
    BatchInfo,
    Conflict,
    Pin,
    PinSource,
    SheetRecord,
    SheetState,
)
from tic_desktop.agency.schema import _SHEET_COLUMNS, AGENCY_APPLICATION_ID, AGENCY_SCHEMA_VERSION, MIGRATIONS
from tic_desktop.core.consolidation import DecisionKey, VetoDecision
from tic_desktop.core.errors import Rejected, register
from tic_desktop.core.panel_meeting import PanelMeeting
from tic_desktop.core.panel_opinion import PanelOpinion
from tic_desktop.core.types import Text
from tic_desktop.formats.batch import OpenedBatch, read_batch
from tic_desktop.formats.sheet import parse_allowed_signers
from tic_desktop.storage import backup
from tic_desktop.storage.atomic import atomic_write
from tic_desktop.storage.audit import AuditHead
from tic_desktop.storage.connection import typed_error
from tic_desktop.storage.store import AuditedStore, now

ACTOR = "agency"


BATCH_CONFLICT = register(
    "agency.batch_conflict",
    "工作区中已有编号相同但内容不同的批次。请确认使用的是同一份批次文件，或另建工作区。",
    "The workspace already holds a different batch with the same id. Check that it is the same batch file, "
    "or use another workspace.",
)
NOT_OUR_BATCH = register(
    "agency.not_own_batch",
    "该批次不是用本机构的密钥制作的（评分表加密公钥不同），本机构无法解密其评分表。请选择本机构的批次文件和密钥。",
    "This batch was not made with this agency's keys (the score sheet encryption key differs), so its sheets "
    "cannot be decrypted here. Choose this agency's batch file and key.",
)
BATCH_UNKNOWN = register(
    "agency.batch_unknown", "工作区中没有该批次。请先添加批次文件。",
    "The workspace has no such batch. Add the batch file first.",
)
BATCH_FILE_MISSING = register(
    "agency.batch_file_missing", "工作区中保存的批次文件丢失或已改变。请重新添加原批次文件。",
    "The batch file kept in the workspace is missing or changed. Add the original batch file again.",
)
PIN_CONFLICT = register(
    "pin.conflict",
    "该专家已登记了另一把密钥，不能再登记新密钥。请电话联系该专家核实；已登记的密钥保持不变。",
    "Another key is already enrolled for this expert, so this one cannot be pinned. Call the expert to check; "
    "the enrolled key stays as it is.",
)
PIN_UNKNOWN_EXPERT = register(
    "pin.unknown_expert", "批次的专家名单中没有该专家，无法登记密钥。请核对专家编号。",
    "The batch's panel has no such expert, so no key can be pinned. Check the expert id.",
)
PIN_BAD_FINGERPRINT = register(
    "pin.bad_fingerprint", "密钥指纹格式不正确（应为 SHA256: 开头的 50 个字符）。请按登记表核对后重新输入。",
    "The key fingerprint is malformed (SHA256: followed by 43 characters). Check it against the enrolment "
    "sheet and enter it again.",
)
PIN_AMBIGUOUS = register(
    "pin.ambiguous", "可信签名者文件为同一位专家列出了多把密钥，无法确定登记哪一把。请每位专家只保留一行。",
    "The allowed_signers file lists several keys for one expert, so it is unclear which to pin. Keep one line "
    "per expert.",
)
CONFLICT_UNKNOWN = register(
    "conflict.not_found", "没有找到该冲突（或所选评分表不在其中）。请刷新后重试。",
    "No such conflict (or the chosen sheet is not part of it). Refresh and try again.",
)
REASON_REQUIRED = register(
    "decision.reason_required", "请填写理由：处理冲突和否决事项都须说明理由。",
    "Give a reason: resolving a conflict and deciding a veto both need one.",
)
MEETING_INVALID = register(
    "meeting.invalid", "评审会议记录有误（日期应为 YYYY-MM-DD，评审方式为会议评审、现场考察或通讯评审，副组长不能是组长本人）。",
    "The meeting record is wrong (the date is YYYY-MM-DD, the mode a panel meeting, site visit or review by "
    "correspondence, and the deputy cannot be the chair).")




class AgencyWorkspace(AuditedStore):
    """An open agency workspace. Use `AgencyWorkspace.open(path)`; close it (or use `with`)."""

    application_id = AGENCY_APPLICATION_ID
    schema_version = AGENCY_SCHEMA_VERSION
    migrations = MIGRATIONS
    system_actor = ACTOR

    @classmethod
    def open(cls, path: Path, *, check_location: bool = True) -> AgencyWorkspace:
        path = Path(path)
        return cls._open(path, check_location=check_location, folders=(path.parent / "batches", path.parent / "sheets"))

    @property
    def folder(self) -> Path:
        return self.path.parent

    def log(self, conn: sqlite3.Connection, action: str, data: dict[str, Any]) -> AuditHead:
        """An audit event by the agency, inside the caller's transaction."""
        return self._log(conn, action, data, ACTOR)

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self._lock:
            conn = self._connection()
            try:
                cur = conn.execute(sql, params)
                cols = [d[0] for d in cur.description]
                return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
            except sqlite3.Error as exc:
                raise typed_error(exc, self.path) or exc from exc

    def backup_now(self) -> Path:
        with self._lock:
            return backup.take_backup(self._connection(), self.path)

    # ---- raw files -------------------------------------------------------------------------
    def store_raw(self, kind: Literal["batches", "sheets"], raw: bytes, raw_sha256: str) -> tuple[Path, bool]:
        """Write a raw file content-addressed (never over an existing one); (path, written now)."""
        suffix = ".ticbatch" if kind == "batches" else ".ticsheet"
        target = self.folder / kind / f"{raw_sha256}{suffix}"
        if target.exists():
            return target, False
        target.parent.mkdir(parents=True, exist_ok=True)

        def same(candidate: Path) -> None:
            if candidate.read_bytes() != raw:
                raise ValueError("stored file differs from the imported bytes")

        atomic_write(target, raw, verify=same)
        return target, True

    def drop_raw_if_unused(self, kind: Literal["batches", "sheets"], raw_sha256: str) -> None:
        """Remove a raw file this session wrote when no row names it (the import did not happen)."""
        table = "batches" if kind == "batches" else "sheets"
        try:
            used = self._rows(f"SELECT 1 FROM {table} WHERE raw_sha256 = ? LIMIT 1", (raw_sha256,))
        except Exception:
            return  # cannot tell: an orphan is better than a missing file
        if not used:
            suffix = ".ticbatch" if kind == "batches" else ".ticsheet"
            with contextlib.suppress(OSError):
                (self.folder / kind / f"{raw_sha256}{suffix}").unlink()

    def sheet_file(self, raw_sha256: str) -> Path:
        return self.folder / "sheets" / f"{raw_sha256}.ticsheet"

    # ---- batches ---------------------------------------------------------------------------
    def add_batch(self, batch_path: Path, identity: str, *, passphrase: bytes | None = None) -> BatchInfo:
        """Check the batch (signature, manifest, the agency's own encryption key), keep a copy, record it.
        The same batch again returns its record; another batch with the same id is refused."""
        from tic_desktop.formats import keys as agency_keys  # noqa: PLC0415

        raw = Path(batch_path).read_bytes()
        raw_sha = hashlib.sha256(raw).hexdigest()
        with read_batch(raw, passphrase=passphrase, identity=identity if passphrase is None else None) as opened:
            m = opened.manifest
            own = str(agency_keys.parse_age_identity(identity).to_public())
            if m.agency.age_recipient != own:
                raise Rejected(NOT_OUR_BATCH, f"{m.agency.age_recipient} ≠ {own}")
            existing = self._rows("SELECT manifest_sha256 FROM batches WHERE batch_id = ?", (m.batch_id,))
            if existing:
                if existing[0]["manifest_sha256"] != opened.manifest_sha256:
                    raise Rejected(BATCH_CONFLICT, m.batch_id)
                return self.batch(m.batch_id)
            _, wrote = self.store_raw("batches", raw, raw_sha)
            try:
                with self.transaction() as conn:
                    row = {
                        "batch_id": m.batch_id, "manifest_sha256": opened.manifest_sha256,
                        "title_zh": m.title.zh, "title_en": m.title.en, "kind": m.kind,
                        "agency_fingerprint": opened.agency_fingerprint, "age_recipient": m.agency.age_recipient,
                        "expert_ids": json.dumps([e.id for e in m.experts]),
                        "proposal_ids": json.dumps([p.id for p in m.proposals]),
                        "raw_sha256": raw_sha, "raw_size": len(raw), "added_at": now(),
                    }
                    conn.execute(
                        f"INSERT INTO batches ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                        tuple(row.values()),
                    )
                    self.log(conn, "batch.add", {k: row[k] for k in (
                        "batch_id", "manifest_sha256", "kind", "agency_fingerprint", "raw_sha256")})
            finally:
                if wrote:
                    self.drop_raw_if_unused("batches", raw_sha)
        return self.batch(m.batch_id)

    def _batch_info(self, row: Mapping[str, Any]) -> BatchInfo:
        return BatchInfo(
            batch_id=row["batch_id"], title=Text(zh=row["title_zh"], en=row["title_en"]), kind=row["kind"],
            path=self.folder / "batches" / f"{row['raw_sha256']}.ticbatch", added_at=row["added_at"],
            experts=len(json.loads(row["expert_ids"])), proposals=len(json.loads(row["proposal_ids"])),
            manifest_sha256=row["manifest_sha256"], agency_fingerprint=row["agency_fingerprint"],
            raw_sha256=row["raw_sha256"],
        )

    def batches(self) -> list[BatchInfo]:
        return [self._batch_info(r) for r in self._rows("SELECT * FROM batches ORDER BY added_at, batch_id")]

    def batch(self, batch_id: str) -> BatchInfo:
        rows = self._rows("SELECT * FROM batches WHERE batch_id = ?", (batch_id,))
        if not rows:
            raise Rejected(BATCH_UNKNOWN, batch_id)
        return self._batch_info(rows[0])

    def _batch_row(self, batch_id: str) -> dict[str, Any]:
        rows = self._rows("SELECT * FROM batches WHERE batch_id = ?", (batch_id,))
        if not rows:
            raise Rejected(BATCH_UNKNOWN, batch_id)
        return dict(rows[0])

    def expert_ids(self, batch_id: str) -> list[str]:
        return list(json.loads(self._batch_row(batch_id)["expert_ids"]))

    def open_batch(self, batch_id: str, identity: str, *, passphrase: bytes | None = None) -> OpenedBatch:
        """The kept batch file, fully checked again (signed by the same key, same manifest). Close it."""
        row = self._batch_row(batch_id)
        path = self.folder / "batches" / f"{row['raw_sha256']}.ticbatch"
        if not path.is_file():
            raise Rejected(BATCH_FILE_MISSING, str(path))
        opened = read_batch(path, passphrase=passphrase, identity=identity if passphrase is None else None,
                            pinned_fingerprint=row["agency_fingerprint"])
        if opened.manifest_sha256 != row["manifest_sha256"]:
            opened.close()
            raise Rejected(BATCH_FILE_MISSING, f"{path}: manifest differs")
        return opened

    # ---- pins --------------------------------------------------------------------------------
    def pins(self, batch_id: str) -> dict[str, Pin]:
        rows = self._rows("SELECT expert_id, fingerprint, source, pinned_at FROM expert_pins WHERE batch_id = ? "
                          "ORDER BY expert_id", (batch_id,))
        return {r["expert_id"]: Pin(r["fingerprint"], r["source"], r["pinned_at"]) for r in rows}

    def pin_in(self, conn: sqlite3.Connection, batch_id: str, expert_id: str, fingerprint: str,
               source: PinSource) -> bool:
        """Pin inside the caller's transaction; False when that key was pinned already."""
        if not re.fullmatch(r"SHA256:[A-Za-z0-9+/]{43}", fingerprint):
            raise Rejected(PIN_BAD_FINGERPRINT, fingerprint)
        if source not in PIN_SOURCES:
            raise ValueError(f"unknown pin source {source!r}")
        row = conn.execute("SELECT expert_ids FROM batches WHERE batch_id = ?", (batch_id,)).fetchone()
        if row is None:
            raise Rejected(BATCH_UNKNOWN, batch_id)
        if expert_id not in json.loads(row[0]):
            raise Rejected(PIN_UNKNOWN_EXPERT, expert_id)
        old = conn.execute("SELECT fingerprint FROM expert_pins WHERE batch_id = ? AND expert_id = ?",
                           (batch_id, expert_id)).fetchone()
        if old is not None:
            if old[0] == fingerprint:
                return False
            raise Rejected(PIN_CONFLICT, f"{expert_id}: pinned {old[0]}, offered {fingerprint}")
        conn.execute("INSERT INTO expert_pins (batch_id, expert_id, fingerprint, source, pinned_at) "
                     "VALUES (?, ?, ?, ?, ?)", (batch_id, expert_id, fingerprint, source, now()))
        self.log(conn, "expert.pin", {"batch_id": batch_id, "expert_id": expert_id, "fingerprint": fingerprint,
                                      "source": source})
        return True

    def pin(self, batch_id: str, expert_id: str, fingerprint: str, source: PinSource) -> None:
        """Pin an expert's signing key for a batch. The same key again is a no-op; another key for an
        already pinned expert raises `Rejected("pin.conflict")`."""
        with self.transaction() as conn:
            self.pin_in(conn, batch_id, expert_id, fingerprint, source)

    def pin_allowed_signers(self, batch_id: str, text: str) -> int:
        """Pin every expert of the batch that an OpenSSH allowed_signers text names (all or nothing);
        returns how many of the batch's experts it gives a key for. Other principals are ignored."""
        keys = parse_allowed_signers(text)
        experts = self.expert_ids(batch_id)
        wanted: dict[str, str] = {}
        for eid in experts:
            fps = list(dict.fromkeys(keys.get(eid, [])))
            if len(fps) > 1:
                raise Rejected(PIN_AMBIGUOUS, eid)
            if fps:
                wanted[eid] = fps[0]
        with self.transaction() as conn:
            for eid, fp in wanted.items():
                self.pin_in(conn, batch_id, eid, fp, "allowed_signers")
        return len(wanted)

    # ---- sheets ------------------------------------------------------------------------------
    def revisions_in(self, conn: sqlite3.Connection, batch_id: str, expert_id: str) -> list[dict[str, Any]]:
        """Stored revisions of one expert, inside the caller's transaction (without sheet.json)."""
        cur = conn.execute(
            "SELECT sheet_sha256, sheet_seq, supersedes, audit_seq, expert_id FROM sheets "
            "WHERE batch_id = ? AND expert_id = ? ORDER BY sheet_seq, imported_at", (batch_id, expert_id))
        return [dict(zip(("sheet_sha256", "sheet_seq", "supersedes", "audit_seq", "expert_id"), r, strict=True))
                for r in cur.fetchall()]

    def insert_sheet(self, conn: sqlite3.Connection, row: Mapping[str, Any]) -> None:
        cols = _SHEET_COLUMNS.split(", ")
        conn.execute(f"INSERT INTO sheets ({_SHEET_COLUMNS}) VALUES ({', '.join('?' * len(cols))})",
                     tuple(row[c] for c in cols))

    def insert_log(self, conn: sqlite3.Connection, row: Mapping[str, Any]) -> None:
        conn.execute(f"INSERT INTO import_log ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                     tuple(row.values()))

    def _resolutions(self, batch_id: str) -> dict[tuple[str, int], tuple[str, set[str]]]:
        rows = self._rows("SELECT expert_id, sheet_seq, keep_sha256, considered FROM conflict_resolutions "
                          "WHERE batch_id = ? ORDER BY id", (batch_id,))
        return {(r["expert_id"], r["sheet_seq"]): (r["keep_sha256"], set(json.loads(r["considered"]))) for r in rows}

    def _records(self, batch_id: str, *, with_json: bool = True) -> list[SheetRecord]:
        cols = _SHEET_COLUMNS if with_json else _SHEET_COLUMNS.replace(", sheet_json", "")
        rows = self._rows(f"SELECT {cols} FROM sheets WHERE batch_id = ? ORDER BY expert_id, sheet_seq, imported_at",
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

        rows = self._rows("SELECT path, file_name, status, code, message_zh, message_en, expert_id, sheet_seq, "
                          "fingerprint, sheet_sha256, superseded_seq FROM import_log WHERE batch_id = ? ORDER BY id",
                          (batch_id,))
        return [ImportOutcome(**r) for r in rows]

    # ---- chair decisions and panel opinions ----------------------------------------------------
    def veto_decisions(self, batch_id: str) -> dict[DecisionKey, VetoDecision]:
        rows = self._rows("SELECT * FROM veto_decisions WHERE batch_id = ? ORDER BY proposal_id, form_id, veto_id",
                          (batch_id,))
        return {(r["proposal_id"], r["form_id"], r["veto_id"]): VetoDecision(
            confirmed=bool(r["confirmed"]), reason=r["reason"], decided_by=r["decided_by"], decided_at=r["decided_at"])
            for r in rows}

    def set_veto_decision(self, batch_id: str, key: DecisionKey, decision: VetoDecision) -> None:
        """Record (or change, audited) the chair's decision on a raised veto; a reason is required."""
        if not decision.reason.strip():
            raise Rejected(REASON_REQUIRED)
        self._batch_row(batch_id)
        pid, fid, vid = key
        at = decision.decided_at or now()
        with self.transaction() as conn:
            old = conn.execute("SELECT confirmed, reason FROM veto_decisions WHERE batch_id = ? AND proposal_id = ? "
                               "AND form_id = ? AND veto_id = ?", (batch_id, pid, fid, vid)).fetchone()
            conn.execute("INSERT OR REPLACE INTO veto_decisions (batch_id, proposal_id, form_id, veto_id, confirmed, "
                         "reason, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (batch_id, pid, fid, vid, int(decision.confirmed), decision.reason.strip(),
                          decision.decided_by, at))
            self.log(conn, "veto.decide", {"batch_id": batch_id, "proposal_id": pid, "form_id": fid, "veto_id": vid,
                                           "confirmed": decision.confirmed, "reason": decision.reason.strip(),
                                           "decided_by": decision.decided_by,
                                           "previous": None if old is None else {"confirmed": bool(old[0]),
                                                                                  "reason": old[1]}})

    def meeting(self, batch_id: str) -> PanelMeeting:
        """The panel meeting record of the batch (an empty one until saved)."""
        rows = self._rows("SELECT body FROM meetings WHERE batch_id = ?", (batch_id,))
        return PanelMeeting.from_dict(json.loads(rows[0]["body"])) if rows else PanelMeeting()

    def save_meeting(self, batch_id: str, meeting: PanelMeeting) -> None:
        """Store the meeting record (date, place, mode, chair, deputy); audited. Refuses a wrong one."""
        self._batch_row(batch_id)
        problems = meeting.problems()
        if problems:
            raise Rejected(MEETING_INVALID, "; ".join(p.zh for p in problems))
        body = meeting.as_dict()
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meetings (batch_id, body, saved_at) VALUES (?, ?, ?)",
                         (batch_id, json.dumps(body, ensure_ascii=False, sort_keys=True), now()))
            self.log(conn, "meeting.save", {"batch_id": batch_id, **body})

    def opinions(self, batch_id: str) -> dict[tuple[str, str], PanelOpinion]:
        rows = self._rows("SELECT proposal_id, form_id, body FROM opinions WHERE batch_id = ?", (batch_id,))
        return {(r["proposal_id"], r["form_id"]): PanelOpinion(**json.loads(r["body"])) for r in rows}

    def save_opinion(self, batch_id: str, proposal_id: str, form_id: str, opinion: PanelOpinion) -> None:
        """Store the panel opinion (its `written_at` is set to now); audited with the full text."""
        self._batch_row(batch_id)
        body = {**opinion.as_dict(), "written_at": now()}
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO opinions (batch_id, proposal_id, form_id, body, saved_at) "
                         "VALUES (?, ?, ?, ?, ?)",
                         (batch_id, proposal_id, form_id, json.dumps(body, ensure_ascii=False, sort_keys=True),
                          body["written_at"]))
            self.log(conn, "opinion.save", {"batch_id": batch_id, "proposal_id": proposal_id, "form_id": form_id,
                                            **body})
