"""The agency's expert registry (issue 11): which signing key belongs to which expert, across batches.

An expert's key is enrolled once — from the paper enrolment sheet (typed or its QR code scanned),
an OpenSSH allowed_signers file, the enrolment file the expert exports from the app, the fingerprint
the agency wrote into its own signed batch manifest, or (only with an explicit confirmation) first
use — and is then valid for every later batch of this agency, until it is revoked or rotated. The
expert id is the agency's stable id of the person (the same `expert_id` in every batch's experts table).

Invariants, enforced here and by the schema (agency schema v2, table `expert_keys`):
  - one key belongs to exactly one expert, for ever: a key enrolled (or once enrolled) for one expert
    is refused for any other (`pin.key_taken`); a revoked or rotated key is never valid again
    (`pin.key_revoked`);
  - an expert has at most one valid key; enrolling another one is refused (`pin.conflict`) — rotating
    (`rotate_key`) ends the old key and enrols the new one in one transaction.

Every change is one transaction with its audit event (expert.pin, expert.key_revoke, expert.key_rotate).
`AgencyWorkspace` inherits these methods (`ws.pin`, `ws.pins`, `ws.revoke_key`…).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from typing import Any

from tic_desktop.agency.records import PIN_SOURCES, KeyRecord, Pin, PinSource
from tic_desktop.core.errors import Rejected, register
from tic_desktop.formats.allowed_signers import parse_allowed_signers
from tic_desktop.storage.store import now

PIN_CONFLICT = register(
    "pin.conflict",
    "该专家已登记了另一把密钥，不能再登记新密钥。请电话联系该专家核实；如确需换用新密钥，请先吊销或轮换原密钥。已登记的密钥保持不变。",
    "Another key is already enrolled for this expert, so this one cannot be pinned. Call the expert to check; to "
    "change the key, revoke or rotate the enrolled one first. The enrolled key stays as it is.",
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
KEY_TAKEN = register(
    "pin.key_taken",
    "这把密钥已登记给另一位专家。一把密钥只属于一位专家，不能再登记给其他专家。请核对专家编号和指纹，并电话联系两位专家。",
    "This key is enrolled for another expert. A key belongs to exactly one expert and cannot be enrolled for a "
    "second one. Check the expert id and fingerprint, and call both experts.",
)
SHARED_KEY = register(
    "pin.shared_key",
    "可信签名者文件把同一把密钥列给了多位专家。一把密钥只属于一位专家，文件未被采用。请改正后重新导入。",
    "The allowed_signers file lists one key for several experts. A key belongs to exactly one expert; the file "
    "was not used. Correct it and import it again.",
)
KEY_REVOKED = register(
    "pin.key_revoked",
    "这把密钥已被吊销或轮换，不能再次登记。请让专家使用新的密钥，并按新的登记表登记。",
    "This key was revoked or rotated and cannot be enrolled again. Ask the expert for the new key and enrol it "
    "from the new enrolment sheet.",
)
NO_KEY = register(
    "pin.no_key", "该专家目前没有已登记的有效密钥，无需吊销或轮换。", "This expert has no valid enrolled key to revoke or rotate.",
)
FIRST_USE_AMBIGUOUS = register(
    "pin.first_use_ambiguous",
    "无法按“首次使用”信任这把密钥：同一位专家的评分表出现了不同的密钥，或同一把密钥为多位专家签名。两者都未被采用。"
    "请用专家密钥登记表核对指纹后登记正确的密钥，再重新导入。",
    "This key cannot be trusted on first use: this expert's sheets came with different keys, or one key signed "
    "for several experts. Neither was used. Check the fingerprints against the experts' enrolment sheets, enrol "
    "the right key, and import again.",
)
REASON_REQUIRED = "decision.reason_required"  # registered in agency.workspace

_FP = re.compile(r"^SHA256:[A-Za-z0-9+/]{43}$")
_KEY_COLUMNS = "expert_id, fingerprint, source, batch_id, enrolled_at, ended_at, end_reason, note"


def _record(row: Iterable[Any]) -> KeyRecord:
    return KeyRecord(**dict(zip(_KEY_COLUMNS.split(", "), row, strict=True)))


class ExpertRegistry:
    """Mixin of `AgencyWorkspace`: the registry methods (needs `transaction`, `log`, `query`)."""

    # AgencyWorkspace provides transaction(), log(conn, action, data), query(sql, params), expert_ids(batch_id)
    transaction: Any
    log: Any
    query: Any
    expert_ids: Any

    # ---- reading ---------------------------------------------------------------------------------
    def expert_keys(self, expert_id: str | None = None) -> list[KeyRecord]:
        """Every key ever enrolled (valid, revoked and rotated), oldest first; of one expert if given."""
        where, params = ("WHERE expert_id = ?", (expert_id,)) if expert_id else ("", ())
        rows = self.query(f"SELECT {_KEY_COLUMNS} FROM expert_keys {where} ORDER BY id", params)
        return [_record(r.values()) for r in rows]

    def key_owner(self, fingerprint: str) -> KeyRecord | None:
        """The registry entry of a key (valid or not), or None when it was never enrolled."""
        rows = self.query(f"SELECT {_KEY_COLUMNS} FROM expert_keys WHERE fingerprint = ?", (fingerprint,))
        return _record(rows[0].values()) if rows else None

    def active_keys(self) -> dict[str, KeyRecord]:
        """expert id → the expert's valid key."""
        return {k.expert_id: k for k in self.expert_keys() if k.active}

    def pins(self, batch_id: str) -> dict[str, Pin]:
        """The valid keys of the batch's experts (expert id → Pin), from the registry."""
        experts = set(self.expert_ids(batch_id))
        return {eid: Pin(k.fingerprint, k.source, k.enrolled_at)
                for eid, k in sorted(self.active_keys().items()) if eid in experts}

    # ---- enrolling --------------------------------------------------------------------------------
    def enrol_in(self, conn: sqlite3.Connection, expert_id: str, fingerprint: str, source: PinSource,
                 batch_id: str | None = None) -> bool:
        """Enrol a key inside the caller's transaction; False when this expert has this key already."""
        if not _FP.fullmatch(fingerprint):
            raise Rejected(PIN_BAD_FINGERPRINT, fingerprint)
        if source not in PIN_SOURCES:
            raise ValueError(f"unknown pin source {source!r}")
        owner = conn.execute("SELECT expert_id, ended_at FROM expert_keys WHERE fingerprint = ?",
                             (fingerprint,)).fetchone()
        if owner is not None:
            if owner[0] != expert_id:
                raise Rejected(KEY_TAKEN, f"{fingerprint}: {owner[0]}, not {expert_id}")
            if owner[1] is not None:
                raise Rejected(KEY_REVOKED, f"{expert_id}: {fingerprint}")
            return False
        old = conn.execute("SELECT fingerprint FROM expert_keys WHERE expert_id = ? AND ended_at IS NULL",
                           (expert_id,)).fetchone()
        if old is not None:
            raise Rejected(PIN_CONFLICT, f"{expert_id}: pinned {old[0]}, offered {fingerprint}")
        conn.execute("INSERT INTO expert_keys (expert_id, fingerprint, source, batch_id, enrolled_at) "
                     "VALUES (?, ?, ?, ?, ?)", (expert_id, fingerprint, source, batch_id, now()))
        self.log(conn, "expert.pin", {"batch_id": batch_id, "expert_id": expert_id, "fingerprint": fingerprint,
                                      "source": source})
        return True

    def pin_in(self, conn: sqlite3.Connection, batch_id: str, expert_id: str, fingerprint: str,
               source: PinSource) -> bool:
        """Enrol for an expert of the batch, inside the caller's transaction; False when already enrolled."""
        if not _FP.fullmatch(fingerprint):
            raise Rejected(PIN_BAD_FINGERPRINT, fingerprint)
        row = conn.execute("SELECT expert_ids FROM batches WHERE batch_id = ?", (batch_id,)).fetchone()
        if row is None:
            from tic_desktop.agency.workspace import BATCH_UNKNOWN  # noqa: PLC0415

            raise Rejected(BATCH_UNKNOWN, batch_id)
        if expert_id not in json.loads(row[0]):
            raise Rejected(PIN_UNKNOWN_EXPERT, expert_id)
        return self.enrol_in(conn, expert_id, fingerprint, source, batch_id)

    def pin(self, batch_id: str, expert_id: str, fingerprint: str, source: PinSource) -> None:
        """Enrol an expert's signing key (valid for this and every later batch). The same key again is a
        no-op; another key for an enrolled expert raises `pin.conflict`; a key of another expert `pin.key_taken`."""
        with self.transaction() as conn:
            self.pin_in(conn, batch_id, expert_id, fingerprint, source)

    def enrol(self, expert_id: str, fingerprint: str, source: PinSource) -> bool:
        """Enrol without a batch (e.g. before the first batch is built); the same rules as `pin`."""
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", expert_id):
            raise Rejected(PIN_UNKNOWN_EXPERT, expert_id)
        with self.transaction() as conn:
            return self.enrol_in(conn, expert_id, fingerprint, source)

    def pin_allowed_signers(self, batch_id: str, text: str) -> int:
        """Enrol every expert of the batch that an OpenSSH allowed_signers text names (all or nothing);
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
        _refuse_shared(wanted)
        with self.transaction() as conn:
            for eid, fp in wanted.items():
                self.pin_in(conn, batch_id, eid, fp, "allowed_signers")
        return len(wanted)

    def trust_first_use(self, batch_id: str, expert_id: str, fingerprint: str) -> None:
        """The 一致，信任此密钥 button: enrol a key seen on a sheet, only when nothing else claims it.

        Refused (`pin.first_use_ambiguous`) when the import log of this batch shows this expert's sheets
        with another key, or this key signing for another expert; refused by `pin` when the key is
        enrolled for another expert (`pin.key_taken`) or the expert has another key (`pin.conflict`)."""
        claims = self.query("SELECT DISTINCT expert_id, fingerprint FROM import_log WHERE batch_id = ? "
                            "AND expert_id IS NOT NULL AND fingerprint IS NOT NULL "
                            "AND (status = 'unpinned' OR code = ?)", (batch_id, FIRST_USE_AMBIGUOUS))
        for c in claims:
            if (c["expert_id"] == expert_id) != (c["fingerprint"] == fingerprint):
                raise Rejected(FIRST_USE_AMBIGUOUS,
                               f"{expert_id} {fingerprint}; also {c['expert_id']} {c['fingerprint']}")
        self.pin(batch_id, expert_id, fingerprint, "first_use")

    # ---- revoking and rotating --------------------------------------------------------------------
    def revoke_key(self, expert_id: str, reason: str) -> KeyRecord:
        """End the expert's valid key (lost, stolen, left the panel). Its sheets already imported stay in
        the history; new sheets signed with it are refused (`sheet.key_revoked`). Returns the ended key."""
        return self._end(expert_id, reason, "revoked", None, "manual")

    def rotate_key(self, expert_id: str, new_fingerprint: str, reason: str,
                   source: PinSource = "enrolment") -> KeyRecord:
        """Replace the expert's valid key by a new one in one transaction (new laptop, new key);
        sheets signed with the old key are refused from now on. Returns the new key."""
        self._end(expert_id, reason, "rotated", new_fingerprint, source)
        return next(k for k in self.expert_keys(expert_id) if k.active)

    def _end(self, expert_id: str, reason: str, how: str, new_fingerprint: str | None, source: PinSource) -> KeyRecord:
        if not reason.strip():
            raise Rejected(REASON_REQUIRED)
        with self.transaction() as conn:
            row = conn.execute("SELECT id, fingerprint FROM expert_keys WHERE expert_id = ? AND ended_at IS NULL",
                               (expert_id,)).fetchone()
            if row is None:
                raise Rejected(NO_KEY, expert_id)
            conn.execute("UPDATE expert_keys SET ended_at = ?, end_reason = ?, note = ? WHERE id = ?",
                         (now(), how, reason.strip(), row[0]))
            if new_fingerprint is not None:
                self.enrol_in(conn, expert_id, new_fingerprint, source)
            self.log(conn, f"expert.key_{'revoke' if how == 'revoked' else 'rotate'}", {
                "expert_id": expert_id, "fingerprint": row[1], "new_fingerprint": new_fingerprint,
                "reason": reason.strip()})
        return next(k for k in self.expert_keys(expert_id) if k.fingerprint == row[1])


def _refuse_shared(wanted: dict[str, str]) -> None:
    by_key: dict[str, list[str]] = {}
    for eid, fp in wanted.items():
        by_key.setdefault(fp, []).append(eid)
    for fp, eids in by_key.items():
        if len(eids) > 1:
            raise Rejected(SHARED_KEY, f"{fp}: {', '.join(eids)}")


__all__ = ["ExpertRegistry"]
