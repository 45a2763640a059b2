"""The score-sheet import's work per file (`agency.importer` runs it): read and verify a file
(`Pipeline.read`, in a reader thread, touching no rows), then decide and store it (`Pipeline.run`, one
transaction). The steps and rules are in `agency.importer`'s docstring.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tic_desktop.agency.import_outcome import (
    DUPLICATE,
    IS_BATCH,
    KEY_OF_OTHER_EXPERT,
    KEY_REVOKED,
    UNREADABLE,
    ImportOutcome,
    accepted_text,
    looks_like_batch,
    rejection,
)
from tic_desktop.agency.records import ImportStatus, PinSource
from tic_desktop.agency.registry import FIRST_USE_AMBIGUOUS
from tic_desktop.agency.replay import Decision, classify
from tic_desktop.agency.workspace import AgencyWorkspace
from tic_desktop.core.errors import Rejected, message
from tic_desktop.core.faults import fault_point
from tic_desktop.formats import agecrypt
from tic_desktop.formats.batch import OpenedBatch
from tic_desktop.formats.sheet import OpenedSheet, read_sheet
from tic_desktop.formats.sheet_checks import BATCH_NOT_OPEN, KEY_CHANGED, KEY_UNKNOWN
from tic_desktop.storage.errors import StorageError
from tic_desktop.storage.store import now


@dataclass(frozen=True)
class Read:
    """One file read and verified: the raw bytes and their SHA-256 (None when unreadable), the
    opened sheet (None when refused) and why not (the OSError or the `Rejected`)."""

    raw: bytes | None
    raw_sha: str | None
    got: OpenedSheet | None
    error: BaseException | None
    stored: bool = False
    """The raw file was written to the workspace by the reader (content-addressed, durable)."""

    @property
    def foreign(self) -> str | None:
        """The batch a verified sheet names when that batch is not among those imported into."""
        err = self.error
        return err.detail if isinstance(err, Rejected) and err.code == BATCH_NOT_OPEN else None


class Pipeline:
    """The import of files into one batch or, for a round, into several: each verified sheet goes to
    the batch its signed body names (`read_sheet` with a mapping), so a file is decrypted once."""

    def __init__(self, ws: AgencyWorkspace, batches: Sequence[OpenedBatch], identity: str,
                 trust_first_use: bool, route: bool) -> None:
        self.ws = ws
        self.batches = {b.manifest.batch_id: b for b in batches}
        self.first = batches[0].manifest.batch_id
        """Where a file is logged when no batch can be told from it (unreadable, undecryptable…)."""
        # a batch's import refuses a sheet of another batch (sheet.batch_mismatch); a round's routes it
        self.chooser: Any = self.batches if route else batches[0]
        self.identities = agecrypt.identities_from_text(identity)
        self.trust_first_use = trust_first_use
        for batch_id in self.batches:
            ws.batch(batch_id)  # the batch must have been added
        self.registry = {k.fingerprint: k for k in ws.expert_keys()}
        self.pins = {eid: k.fingerprint for eid, k in ws.active_keys().items()}
        self.batch_keys = {bid: {e.id: e.key_fingerprint for e in b.manifest.experts if e.key_fingerprint}
                           for bid, b in self.batches.items()}
        self.ambiguous: set[tuple[str, str]] = set()
        """(expert, key) pairs that first use must not enrol (see `prescan`)."""

    def batch_of(self, r: Read) -> str:
        return r.got.sheet.batch_id if r.got is not None else self.first

    def prescan(self, files: Sequence[Path], cancelled: Callable[[], bool] | None) -> None:
        """Before trusting any key on first use: every (expert, key) the files of this run claim (and
        the unpinned attempts already in the import log). A claim is ambiguous when the expert comes
        with more than one key, or the key with more than one expert."""
        claims: set[tuple[str, str]] = set()
        for batch_id in self.batches:
            claims |= {(r["expert_id"], r["fingerprint"]) for r in self.ws.query(
                "SELECT DISTINCT expert_id, fingerprint FROM import_log WHERE batch_id = ? AND expert_id IS NOT NULL "
                "AND fingerprint IS NOT NULL AND (status = 'unpinned' OR code = ?)", (batch_id, FIRST_USE_AMBIGUOUS))}
        for path in files:
            if cancelled is not None and cancelled():
                break
            try:
                got = read_sheet(path.read_bytes(), self.chooser, identities=self.identities)
            except (Rejected, OSError):
                continue
            claims.add((got.sheet.expert_id, got.signer_fingerprint))
        keys_of: dict[str, set[str]] = {}
        experts_of: dict[str, set[str]] = {}
        for eid, fp in claims:
            keys_of.setdefault(eid, set()).add(fp)
            experts_of.setdefault(fp, set()).add(eid)
        self.ambiguous = {(eid, fp) for eid, fp in claims if len(keys_of[eid]) > 1 or len(experts_of[fp]) > 1}

    def outcome(self, path: Path, status: ImportStatus, code: str | None, texts: tuple[str, str],
                got: OpenedSheet | None = None, superseded: int | None = None) -> ImportOutcome:
        sh = got.sheet if got else None
        return ImportOutcome(
            path=str(path), file_name=path.name, status=status, code=code, message_zh=texts[0], message_en=texts[1],
            expert_id=sh.expert_id if sh else None, sheet_seq=sh.sheet_seq if sh else None,
            fingerprint=got.signer_fingerprint if got else None, sheet_sha256=got.sheet_sha256 if got else None,
            superseded_seq=superseded,
        )

    def log_only(self, batch_id: str, out: ImportOutcome, raw_sha: str | None) -> ImportOutcome:
        with self.ws.transaction() as conn:
            self._log(conn, batch_id, out, raw_sha)
        return out

    def _log(self, conn: Any, batch_id: str, out: ImportOutcome, raw_sha: str | None) -> None:
        row = {"batch_id": batch_id, **out.__dict__, "raw_sha256": raw_sha, "at": now()}
        self.ws.insert_log(conn, row)
        self.ws.log(conn, f"sheet.import.{out.status}", {
            "batch_id": batch_id, "file_name": out.file_name, "raw_sha256": raw_sha, "code": out.code,
            "expert_id": out.expert_id, "sheet_seq": out.sheet_seq, "sheet_sha256": out.sheet_sha256,
            "fingerprint": out.fingerprint, "superseded_seq": out.superseded_seq,
        })

    def read(self, path: Path) -> Read:
        """Read, decrypt and fully verify one file; touches no workspace (`import_sheets` runs the
        next file's read in a worker while this one is stored)."""
        try:
            raw = path.read_bytes()
        except OSError as exc:
            return Read(None, None, None, exc)
        raw_sha = hashlib.sha256(raw).hexdigest()
        try:
            got = read_sheet(raw, self.chooser, identities=self.identities)
        except Rejected as exc:
            return Read(raw, raw_sha, None, exc)
        # a verified file is stored here, in the reader, so its write and fsyncs overlap the previous
        # file's transaction; `_store` stores again when this failed (and raises the typed error there)
        # or when the file went away since (a rejected twin with the same bytes dropped it)
        try:
            _, stored = self.ws.store_raw("sheets", raw, raw_sha)
        except StorageError:
            stored = False
        return Read(raw, raw_sha, got, None, stored)

    def run(self, path: Path, done: Read | None = None) -> ImportOutcome:
        r = done if done is not None else self.read(path)
        out = self._decide(path, r)
        if r.stored and out.status != "accepted" and r.raw_sha is not None:
            self.ws.drop_raw_if_unused("sheets", r.raw_sha)  # written ahead, then refused: no orphan
        return out

    def _decide(self, path: Path, r: Read) -> ImportOutcome:
        raw, raw_sha, got = r.raw, r.raw_sha, r.got
        batch_id = self.batch_of(r)
        if raw is None or raw_sha is None:
            exc = r.error
            return self.log_only(batch_id, self.outcome(path, "rejected", UNREADABLE, rejection(
                UNREADABLE, getattr(exc, "strerror", None) or str(exc))), None)
        if got is None:
            exc = r.error
            assert isinstance(exc, Rejected)
            if looks_like_batch(path, raw):  # a .ticbatch dropped here by mistake: say what it is
                return self.log_only(batch_id, self.outcome(path, "rejected", IS_BATCH, rejection(IS_BATCH, exc.code)),
                                     raw_sha)
            return self.log_only(batch_id, self.outcome(path, "rejected", exc.code, (exc.text("zh"), exc.text("en"))),
                                 raw_sha)
        sh = got.sheet
        eid = sh.expert_id
        dup = self.ws.query("SELECT sheet_seq FROM sheets WHERE batch_id = ? AND sheet_sha256 = ?",
                            (batch_id, got.sheet_sha256))
        if dup:
            return self.log_only(batch_id, self.outcome(path, "duplicate", DUPLICATE, (
                message(DUPLICATE, "zh"), message(DUPLICATE, "en")), got), raw_sha)
        refusal = self._key_refusal(eid, got.signer_fingerprint)
        if refusal is not None:
            code, detail = refusal
            return self.log_only(batch_id, self.outcome(path, "rejected", code, rejection(code, detail), got), raw_sha)
        pin_now: PinSource | None = None
        if self.pins.get(eid) is None:
            if self.batch_keys[batch_id].get(eid) == got.signer_fingerprint:
                pin_now = "manifest"  # the agency's own signed batch names this key (read_sheet checked it)
            elif not self.trust_first_use:
                zh, en = rejection(KEY_UNKNOWN, f"{eid}: {got.signer_fingerprint}")
                return self.log_only(batch_id, self.outcome(path, "unpinned", KEY_UNKNOWN, (zh, en), got), raw_sha)
            elif (eid, got.signer_fingerprint) in self.ambiguous:
                return self.log_only(batch_id, self.outcome(path, "rejected", FIRST_USE_AMBIGUOUS, rejection(
                    FIRST_USE_AMBIGUOUS, f"{eid}: {got.signer_fingerprint}"), got), raw_sha)
            else:
                pin_now = "first_use"
        return self._store(batch_id, path, raw, raw_sha, got, pin_now, r.stored)

    def _key_refusal(self, eid: str, fp: str) -> tuple[str, str] | None:
        """The registry's verdict on a verified signer: (code, detail) when refused, else None."""
        owner = self.registry.get(fp)
        if owner is not None and owner.expert_id != eid:
            return KEY_OF_OTHER_EXPERT, f"{eid}: {fp} is enrolled for {owner.expert_id}"
        if owner is not None and not owner.active:
            return KEY_REVOKED, f"{eid}: {fp} {owner.end_reason} {owner.ended_at}"
        pinned = self.pins.get(eid)
        if pinned is not None and pinned != fp:
            return KEY_CHANGED, f"{eid}: {fp} ≠ {pinned}"
        return None

    def _store(self, batch_id: str, path: Path, raw: bytes, raw_sha: str, got: OpenedSheet,
               pin_now: PinSource | None, stored: bool = False) -> ImportOutcome:
        sh = got.sheet
        eid = sh.expert_id
        _, wrote = self.ws.store_raw("sheets", raw, raw_sha)
        wrote = wrote or stored
        try:
            with self.ws.transaction() as conn:
                decision = classify(sh.sheet_seq, sh.supersedes, sh.audit_head.seq,
                                    self.ws.revisions_in(conn, batch_id, eid))
                if decision.status == "rejected":
                    assert decision.code is not None
                    out = self.outcome(path, "rejected", decision.code, rejection(decision.code, decision.detail), got)
                    self._log(conn, batch_id, out, raw_sha)
                else:
                    out = self._insert(conn, batch_id, path, raw, raw_sha, got, pin_now, decision)
        except BaseException:
            if wrote:
                self.ws.drop_raw_if_unused("sheets", raw_sha)
            raise
        if wrote and out.status == "rejected":
            self.ws.drop_raw_if_unused("sheets", raw_sha)
        if pin_now and out.status != "rejected":
            self.pins[eid] = got.signer_fingerprint
            self.registry.update({k.fingerprint: k for k in self.ws.expert_keys(eid)})
        return out

    def _insert(self, conn: Any, batch_id: str, path: Path, raw: bytes, raw_sha: str, got: OpenedSheet,
                pin_now: PinSource | None, decision: Decision) -> ImportOutcome:
        sh = got.sheet
        eid = sh.expert_id
        if pin_now:
            self.ws.pin_in(conn, batch_id, eid, got.signer_fingerprint, pin_now)
        self.ws.insert_sheet(conn, {
            "batch_id": batch_id, "sheet_sha256": got.sheet_sha256, "expert_id": eid,
            "sheet_seq": sh.sheet_seq, "supersedes": sh.supersedes, "fingerprint": got.signer_fingerprint,
            "audit_seq": sh.audit_head.seq, "audit_hash": sh.audit_head.hash, "chain": decision.chain,
            "raw_sha256": raw_sha, "raw_size": len(raw), "file_name": path.name, "imported_at": now(),
            "sheet_json": got.sheet_bytes,
        })
        fault_point("mid_import")
        if decision.status == "accepted":
            texts = accepted_text(eid, sh.sheet_seq, decision.superseded_seq, decision.chain)
            code = None
        else:
            assert decision.code is not None
            texts = rejection(decision.code, decision.detail)
            code = decision.code
        out = self.outcome(path, decision.status, code, texts, got, decision.superseded_seq)
        self._log(conn, batch_id, out, raw_sha)
        return out
