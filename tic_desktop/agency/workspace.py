"""The agency's workspace: its batches, the experts' pinned keys, every imported sheet revision,
the import log, the chair's veto decisions and panel opinions. One SQLite file, Qt-free.

    ws = AgencyWorkspace.open(data_dir / "agency" / "agency.db")
    info = ws.add_batch(path, identity_text)           # signed by the agency key in <dir>/keys/, read with agency.agekey
    batch = ws.open_batch(info.batch_id, identity_text)
    agency.importer.import_sheets(ws, batch, identity_text, [folder])
    ws.current_sheets(info.batch_id)

The file is opened like the expert's workspace (storage.connection: quick_check, WAL,
synchronous=FULL, typed errors) with its own application id and schema version; migrations run in
their own transaction after a snapshot (storage.backup). Every mutating method is ONE
`BEGIN IMMEDIATE` transaction together with its event in the hash-chained audit log
(storage.audit). Raw files are content-addressed beside the database and never overwritten:
`<dir>/batches/<raw sha256>.ticbatch`, `<dir>/sheets/<raw sha256>.ticsheet` (written with
core.atomic before the row that names them is committed).

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
  rounds, round_batches, round_decisions, round_objections, round_previous
                        the evaluation round (schema v6; agency.round_store)
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
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from tic_desktop.agency.records import BatchInfo, Conflict, SheetRecord, SheetState
from tic_desktop.agency.registry import (  # noqa: F401 - the registry's codes, re-exported
    FIRST_USE_AMBIGUOUS,
    KEY_REVOKED,
    KEY_TAKEN,
    PIN_AMBIGUOUS,
    PIN_BAD_FINGERPRINT,
    PIN_CONFLICT,
    PIN_UNKNOWN_EXPERT,
    ExpertRegistry,
)
from tic_desktop.agency.schema import AGENCY_APPLICATION_ID, AGENCY_SCHEMA_VERSION, MIGRATIONS, SHEET_COLUMNS
from tic_desktop.core.atomic import atomic_write
from tic_desktop.core.consolidation import DecisionKey, VetoDecision
from tic_desktop.core.errors import Rejected, register
from tic_desktop.core.panel_meeting import PanelMeeting
from tic_desktop.core.panel_opinion import PanelOpinion
from tic_desktop.core.types import Text
from tic_desktop.formats.batch import OpenedBatch, read_batch
from tic_desktop.storage import backup
from tic_desktop.storage.audit import AuditHead
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
NOT_OWN_SIGNATURE = register(
    "agency.not_own_signature",
    "该批次不是用本机构的签名密钥签名的，可能被他人改动后重新签名（例如改了汇总规则或分值）。已拒收，工作区未作任何改动。"
    "请使用本机构自己生成的批次文件，并核对机构密钥。",
    "This batch is not signed with this agency's signing key; someone may have changed it and signed it again (the "
    "consolidation rule or the points, for example). It was refused and the workspace is unchanged. Use the batch "
    "file this agency built, and check the agency key.",
)
DEMO_BATCH = register(
    "agency.demo_batch",
    "该批次由公开的演示机构密钥签名（仅供演示，任何人都可用它签名），不能用于正式的机构工作区。演示请用 tic-desktop --agency --demo。",
    "This batch is signed with the public DEMO-ONLY agency key (anyone can sign with it), so it cannot be used in a "
    "real agency workspace. For the demo use tic-desktop --agency --demo.",
)
OWN_KEY_UNKNOWN = register(
    "agency.own_key_unknown",
    "找不到本机构的签名公钥（agency_ed25519.pub），无法核对批次是否由本机构签名。请指定机构密钥文件夹（命令行用 --key AGENCY_DIR）。",
    "This agency's signing public key (agency_ed25519.pub) was not found, so the batch's signature cannot be "
    "checked against it. Give the agency key folder (on the command line --key AGENCY_DIR).",
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




def signing_fingerprint(key_dir: Path) -> str:
    """The fingerprint of `key_dir/agency_ed25519.pub` (only the public key is read); `agency.own_key_unknown`."""
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415

    from tic_desktop.formats import keys as fkeys  # noqa: PLC0415
    from tic_desktop.formats import sshsig  # noqa: PLC0415

    path = Path(key_dir) / fkeys.PUBLIC_KEY_FILE
    try:
        key = serialization.load_ssh_public_key(path.read_text("ascii").strip().encode("ascii"))
        return sshsig.fingerprint(key)  # type: ignore[arg-type]
    except (OSError, ValueError, UnicodeDecodeError, TypeError):
        raise Rejected(OWN_KEY_UNKNOWN, str(path)) from None


class AgencyWorkspace(ExpertRegistry, AuditedStore):
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

        atomic_write(target, raw, verify=same, reverify=False)
        return target, True

    def drop_raw_if_unused(self, kind: Literal["batches", "sheets"], raw_sha256: str) -> None:
        """Remove a raw file this session wrote when no row names it (the import did not happen)."""
        table = "batches" if kind == "batches" else "sheets"
        try:
            used = self.query(f"SELECT 1 FROM {table} WHERE raw_sha256 = ? LIMIT 1", (raw_sha256,))
        except Exception:
            return  # cannot tell: an orphan is better than a missing file
        if not used:
            suffix = ".ticbatch" if kind == "batches" else ".ticsheet"
            with contextlib.suppress(OSError):
                (self.folder / kind / f"{raw_sha256}{suffix}").unlink()

    def sheet_file(self, raw_sha256: str) -> Path:
        return self.folder / "sheets" / f"{raw_sha256}.ticsheet"

    # ---- batches ---------------------------------------------------------------------------
    def own_fingerprint(self) -> str:
        """The fingerprint of this agency's signing key, from `<folder>/keys/agency_ed25519.pub`."""
        return signing_fingerprint(self.folder / "keys")

    def add_batch(self, batch_path: Path, identity: str, *, own_fingerprint: str | None = None,
                  passphrase: bytes | None = None, allow_demo: bool = False) -> BatchInfo:
        """Check the batch (signature by THIS agency's key `own_fingerprint` — by default the key in
        `<folder>/keys/` —, manifest, the agency's own encryption key), keep a copy, record it. The same batch
        again returns its record; another batch with the same id is refused. A batch signed with the public
        demo key is refused unless `allow_demo` (the demo workspace and the command line's rehearsal)."""
        from tic_desktop.formats import keys as agency_keys  # noqa: PLC0415
        from tic_desktop.formats.demo_key import is_demo_agency_fingerprint  # noqa: PLC0415

        own_fp = own_fingerprint or self.own_fingerprint()
        if is_demo_agency_fingerprint(own_fp) and not allow_demo:
            raise Rejected(DEMO_BATCH, f"own key {own_fp}")
        raw = Path(batch_path).read_bytes()
        raw_sha = hashlib.sha256(raw).hexdigest()
        with read_batch(raw, passphrase=passphrase, identity=identity if passphrase is None else None) as opened:
            m = opened.manifest
            if opened.agency_fingerprint != own_fp:
                if is_demo_agency_fingerprint(opened.agency_fingerprint) and not allow_demo:
                    raise Rejected(DEMO_BATCH, opened.agency_fingerprint)
                raise Rejected(NOT_OWN_SIGNATURE, f"signed by {opened.agency_fingerprint}, this agency {own_fp}")
            own = str(agency_keys.parse_age_identity(identity).to_public())
            if m.agency.age_recipient != own:
                raise Rejected(NOT_OUR_BATCH, f"{m.agency.age_recipient} ≠ {own}")
            existing = self.query("SELECT manifest_sha256 FROM batches WHERE batch_id = ?", (m.batch_id,))
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
        return [self._batch_info(r) for r in self.query("SELECT * FROM batches ORDER BY added_at, batch_id")]

    def batch(self, batch_id: str) -> BatchInfo:
        rows = self.query("SELECT * FROM batches WHERE batch_id = ?", (batch_id,))
        if not rows:
            raise Rejected(BATCH_UNKNOWN, batch_id)
        return self._batch_info(rows[0])

    def _batch_row(self, batch_id: str) -> dict[str, Any]:
        rows = self.query("SELECT * FROM batches WHERE batch_id = ?", (batch_id,))
        if not rows:
            raise Rejected(BATCH_UNKNOWN, batch_id)
        return dict(rows[0])

    def expert_ids(self, batch_id: str) -> list[str]:
        return list(json.loads(self._batch_row(batch_id)["expert_ids"]))

    def open_batch(self, batch_id: str, identity: str, *, passphrase: bytes | None = None,
                   own_fingerprint: str | None = None) -> OpenedBatch:
        """The kept batch file, fully checked again (signed by the same key, same manifest). Close it.
        With `own_fingerprint` the batch must be signed by that key (`agency.not_own_signature`): a batch
        kept by an older version of the app, before it checked, cannot slip through."""
        row = self._batch_row(batch_id)
        if own_fingerprint is not None and row["agency_fingerprint"] != own_fingerprint:
            raise Rejected(NOT_OWN_SIGNATURE, f"signed by {row['agency_fingerprint']}, this agency {own_fingerprint}")
        path = self.folder / "batches" / f"{row['raw_sha256']}.ticbatch"
        if not path.is_file():
            raise Rejected(BATCH_FILE_MISSING, str(path))
        opened = read_batch(path, passphrase=passphrase, identity=identity if passphrase is None else None,
                            pinned_fingerprint=row["agency_fingerprint"])
        if opened.manifest_sha256 != row["manifest_sha256"]:
            opened.close()
            raise Rejected(BATCH_FILE_MISSING, f"{path}: manifest differs")
        return opened

    # ---- sheets ------------------------------------------------------------------------------
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

    # ---- chair decisions and panel opinions ----------------------------------------------------
    def veto_decisions(self, batch_id: str) -> dict[DecisionKey, VetoDecision]:
        rows = self.query("SELECT * FROM veto_decisions WHERE batch_id = ? ORDER BY proposal_id, form_id, veto_id",
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
        rows = self.query("SELECT body FROM meetings WHERE batch_id = ?", (batch_id,))
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
        rows = self.query("SELECT proposal_id, form_id, body FROM opinions WHERE batch_id = ?", (batch_id,))
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
