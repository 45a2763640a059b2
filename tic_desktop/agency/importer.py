"""The one import pipeline for score sheets (issue 5): every file, from the file dialog, a folder,
drag and drop or the command line, goes through `import_sheets`.

Per file, in order:
  1. read the bytes; `formats.sheet.read_sheet` against the batch with the agency's age identity
     (size cap → age → ZIP allow-list → SSHSIG → strict JSON → schema → semantics); any failure
     is `rejected` with that code;
  2. the same sheet.json (same SHA-256) already stored → `duplicate`, a no-op;
  3. the expert registry (agency.registry; one key belongs to one expert, across batches): a key
     enrolled for ANOTHER expert → `rejected` (`sheet.key_of_other_expert`); a revoked or rotated key
     of this expert → `rejected` (`sheet.key_revoked`); the expert's valid key is another one →
     `rejected` (`sheet.key_mismatch`). No valid key: when the batch manifest names the expert's key
     (`read_sheet` already checked that the sheet is signed by it) that key is enrolled (source
     `manifest`); otherwise → `unpinned` (nothing stored; the UI shows the fingerprint to compare with
     the paper enrolment sheet) unless `trust_first_use`, which enrols this key (source `first_use`)
     in the same transaction — but only when no file of the run (and no earlier unpinned attempt in
     the import log) shows this expert with another key or this key for another expert; otherwise
     every such file is `rejected` as `pin.first_use_ambiguous` (a forged sheet sorting first cannot
     take the expert's place, and one key signing for E01, E02, E03 gets none of them in);
  4. the replay rules against the expert's stored revisions (`classify`);
  5. the raw file is written to `<ws>/sheets/<raw sha256>.ticsheet` (atomic, never over a file),
     then ONE transaction stores the sheet row (exact sheet.json), the pin, the import_log row and
     the audit event. A crash or error anywhere leaves the workspace as it was before the file.

Replay rules (`classify`), per expert; revisions are never overwritten or deleted:
  - higher sheet_seq than every stored one → `accepted`; the previous newest becomes superseded
    (`superseded_seq`). Its `supersedes` link is checked: the stored revision at sheet_seq − 1
    → chain `linked`; a SHA-256 never imported → still accepted, chain `gap` (an expert may export
    several revisions and send only the last; the outcome says the intermediate ones were not
    received); a stored sheet that is NOT at sheet_seq − 1 of this expert → `rejected`,
    `sheet.broken_chain` (the app never writes such a link: the history is inconsistent).
  - lower sheet_seq than the newest, and no stored sheet with that seq → `older`: stored in the
    history, not counted.
  - same sheet_seq as a stored sheet, other content → `conflict`: stored; neither sheet of that
    seq counts until a person calls `AgencyWorkspace.resolve_conflict` (if it is the newest seq,
    the expert has no current sheet meanwhile).
  - the expert's audit head must grow with sheet_seq: a sheet whose `audit_head.seq` is not above
    that of every stored lower revision (or not below that of every stored higher revision) is
    `rejected`, `sheet.audit_rollback` — a workspace rolled back and exported again (a replay).
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from tic_desktop.agency.records import Chain, PinSource
from tic_desktop.agency.registry import FIRST_USE_AMBIGUOUS
from tic_desktop.agency.workspace import AgencyWorkspace
from tic_desktop.core.errors import Rejected, message, register
from tic_desktop.core.faults import fault_point
from tic_desktop.formats import agecrypt
from tic_desktop.formats.batch import OpenedBatch
from tic_desktop.formats.sheet import OpenedSheet, read_sheet
from tic_desktop.formats.sheet_checks import BATCH_NOT_OPEN, KEY_CHANGED, KEY_UNKNOWN
from tic_desktop.storage.errors import StorageError
from tic_desktop.storage.store import now

ImportStatus = Literal["accepted", "duplicate", "older", "conflict", "unpinned", "rejected"]
SHEET_SUFFIX = ".ticsheet"

DUPLICATE = register(
    "import.duplicate", "该评分表已导入过（内容完全相同），本次未做任何改动。",
    "This score sheet was imported before (identical content); nothing changed.",
)
OLDER = register(
    "import.older", "这是该专家较早的版本，已存入历史记录；汇总使用该专家较新的版本。",
    "This is an earlier revision of the expert's sheet. It is kept in the history; the newer revision counts.",
)
SHEET_CONFLICT = register(
    "sheet.conflict",
    "同一位专家的同一版本号有两份内容不同的评分表。两份都已保留，但在核实并选定其中一份之前均不计入汇总。请联系该专家核实。",
    "The expert has two different sheets with the same revision number. Both are kept, but neither counts until "
    "someone checks with the expert and chooses one.",
)
BROKEN_CHAIN = register(
    "sheet.broken_chain",
    "评分表声明替代的版本与已导入的版本号不相符，版本记录不连贯。请勿采用，并联系该专家重新导出。",
    "The revision this sheet says it replaces does not match the revisions already imported; its history is "
    "inconsistent. Do not use it; ask the expert to export again.",
)
AUDIT_ROLLBACK = register(
    "sheet.audit_rollback",
    "评分表的工作记录比已导入的较早版本还旧，可能是专家电脑上的工作区被回退后重新导出（重放）。已拒收，请联系该专家核实。",
    "The sheet's work log is older than that of a revision already imported: the expert's workspace may have "
    "been rolled back and exported again (a replay). It was refused; check with the expert.",
)
IS_BATCH = register(
    "import.is_batch",
    "这是评审批次文件（.ticbatch），不是专家评分表。请导入专家返回的评分表文件（.ticsheet）。",
    "This is a batch file (.ticbatch), not an expert's score sheet. Import the score sheets (.ticsheet) the "
    "experts returned.",
)
KEY_OF_OTHER_EXPERT = register(
    "sheet.key_of_other_expert",
    "评分表的签名密钥已登记给另一位专家。一把密钥只属于一位专家，这份评分表可能是冒名签署的。已拒收；请电话联系两位专家核实。",
    "The sheet is signed with a key enrolled for another expert. A key belongs to exactly one expert, so the sheet "
    "may have been signed in someone else's name. It was refused; call both experts to check.",
)
KEY_REVOKED = register(
    "sheet.key_revoked",
    "评分表的签名密钥已被吊销或轮换，不再有效。已拒收；请让该专家用新登记的密钥重新签名导出。",
    "The sheet is signed with a key that was revoked or rotated and is no longer valid. It was refused; ask the "
    "expert to sign and export again with the newly enrolled key.",
)
UNREADABLE = register(
    "import.unreadable", "无法读取该文件。请检查文件是否存在、是否有读取权限。",
    "The file cannot be read. Check that it exists and that you may read it.",
)


@dataclass(frozen=True)
class ImportOutcome:
    path: str
    file_name: str
    status: ImportStatus
    code: str | None
    message_zh: str
    message_en: str
    expert_id: str | None
    sheet_seq: int | None
    fingerprint: str | None
    sheet_sha256: str | None
    superseded_seq: int | None = None

    def message(self, lang: str = "zh") -> str:
        return self.message_zh if lang.startswith("zh") else self.message_en

    @property
    def counted(self) -> bool:
        """Stored and not an error for the user: accepted, duplicate or older."""
        return self.status in ("accepted", "duplicate", "older")


@dataclass(frozen=True)
class Decision:
    status: ImportStatus
    code: str | None
    superseded_seq: int | None
    chain: Chain
    detail: str = ""


def classify(seq: int, supersedes: str | None, audit_seq: int, revisions: Sequence[Mapping[str, Any]]) -> Decision:
    """The replay rules (module docstring) for a verified, new sheet_sha256 of one expert against
    that expert's stored revisions (dicts with sheet_sha256, sheet_seq, supersedes, audit_seq)."""
    chain: Chain = "first"
    if seq > 1:
        target = next((r for r in revisions if r["sheet_sha256"] == supersedes), None)
        if target is None:
            chain = "gap"
        elif target["sheet_seq"] != seq - 1:
            return Decision("rejected", BROKEN_CHAIN, None, "gap",
                            f"#{seq} supersedes #{target['sheet_seq']} {str(supersedes)[:16]}")
        else:
            chain = "linked"
    for r in revisions:
        if (r["sheet_seq"] < seq and r["audit_seq"] >= audit_seq) or (r["sheet_seq"] > seq and r["audit_seq"] <= audit_seq):
            return Decision("rejected", AUDIT_ROLLBACK, None, chain,
                            f"#{seq} audit {audit_seq}; stored #{r['sheet_seq']} audit {r['audit_seq']}")
    if any(r["sheet_seq"] == seq for r in revisions):
        return Decision("conflict", SHEET_CONFLICT, None, chain, f"#{seq}")
    newest = max((r["sheet_seq"] for r in revisions), default=None)
    if newest is not None and seq < newest:
        return Decision("older", OLDER, None, chain, f"#{seq} < #{newest}")
    return Decision("accepted", None, newest, chain)


def collect_sheet_files(paths: Sequence[Path]) -> list[Path]:
    """Files as given; folders expanded to their *.ticsheet files (not recursive), sorted by name.
    The same file named twice is listed once."""
    out: list[Path] = []
    seen: set[Path] = set()
    for p in paths:
        p = Path(p)
        found = sorted((c for c in p.iterdir() if c.is_file() and c.suffix.lower() == SHEET_SUFFIX),
                       key=lambda c: c.name) if p.is_dir() else [p]
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def _accepted_text(expert_id: str, seq: int, superseded: int | None, chain: Chain) -> tuple[str, str]:
    zh, en = f"已接收：专家 {expert_id} 第 {seq} 版", f"Accepted: expert {expert_id}, revision {seq}"
    if superseded is not None:
        zh += f"，替代第 {superseded} 版（旧版保留在历史记录中）"
        en += f", replacing revision {superseded} (kept in the history)"
    if chain == "gap":
        zh += "；其间的版本未收到"
        en += "; the revisions in between were not received"
    return zh + "。", en + "."


def _rejection(code: str, detail: str = "") -> tuple[str, str]:
    err = Rejected(code, detail)
    return err.text("zh"), err.text("en")


@dataclass(frozen=True)
class _Read:
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


class _Pipeline:
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

    def batch_of(self, r: _Read) -> str:
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

    def read(self, path: Path) -> _Read:
        """Read, decrypt and fully verify one file; touches no workspace (`import_sheets` runs the
        next file's read in a worker while this one is stored)."""
        try:
            raw = path.read_bytes()
        except OSError as exc:
            return _Read(None, None, None, exc)
        raw_sha = hashlib.sha256(raw).hexdigest()
        try:
            got = read_sheet(raw, self.chooser, identities=self.identities)
        except Rejected as exc:
            return _Read(raw, raw_sha, None, exc)
        # a verified file is stored here, in the reader, so its write and fsyncs overlap the previous
        # file's transaction; `_store` stores again when this failed (and raises the typed error there)
        # or when the file went away since (a rejected twin with the same bytes dropped it)
        try:
            _, stored = self.ws.store_raw("sheets", raw, raw_sha)
        except StorageError:
            stored = False
        return _Read(raw, raw_sha, got, None, stored)

    def run(self, path: Path, done: _Read | None = None) -> ImportOutcome:
        r = done if done is not None else self.read(path)
        out = self._decide(path, r)
        if r.stored and out.status != "accepted" and r.raw_sha is not None:
            self.ws.drop_raw_if_unused("sheets", r.raw_sha)  # written ahead, then refused: no orphan
        return out

    def _decide(self, path: Path, r: _Read) -> ImportOutcome:
        raw, raw_sha, got = r.raw, r.raw_sha, r.got
        batch_id = self.batch_of(r)
        if raw is None or raw_sha is None:
            exc = r.error
            return self.log_only(batch_id, self.outcome(path, "rejected", UNREADABLE, _rejection(
                UNREADABLE, getattr(exc, "strerror", None) or str(exc))), None)
        if got is None:
            exc = r.error
            assert isinstance(exc, Rejected)
            if _looks_like_batch(path, raw):  # a .ticbatch dropped here by mistake: say what it is
                return self.log_only(batch_id, self.outcome(path, "rejected", IS_BATCH, _rejection(IS_BATCH, exc.code)),
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
            return self.log_only(batch_id, self.outcome(path, "rejected", code, _rejection(code, detail), got), raw_sha)
        pin_now: PinSource | None = None
        if self.pins.get(eid) is None:
            if self.batch_keys[batch_id].get(eid) == got.signer_fingerprint:
                pin_now = "manifest"  # the agency's own signed batch names this key (read_sheet checked it)
            elif not self.trust_first_use:
                zh, en = _rejection(KEY_UNKNOWN, f"{eid}: {got.signer_fingerprint}")
                return self.log_only(batch_id, self.outcome(path, "unpinned", KEY_UNKNOWN, (zh, en), got), raw_sha)
            elif (eid, got.signer_fingerprint) in self.ambiguous:
                return self.log_only(batch_id, self.outcome(path, "rejected", FIRST_USE_AMBIGUOUS, _rejection(
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
                    out = self.outcome(path, "rejected", decision.code, _rejection(decision.code, decision.detail), got)
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
            texts = _accepted_text(eid, sh.sheet_seq, decision.superseded_seq, decision.chain)
            code = None
        else:
            assert decision.code is not None
            texts = _rejection(decision.code, decision.detail)
            code = decision.code
        out = self.outcome(path, decision.status, code, texts, got, decision.superseded_seq)
        self._log(conn, batch_id, out, raw_sha)
        return out


READERS = 2
"""Files read, verified and stored ahead of the one being recorded."""


def import_sheets(
    ws: AgencyWorkspace,
    batch: OpenedBatch,
    identity: str,
    paths: Sequence[Path],
    *,
    trust_first_use: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[ImportOutcome]:
    """Import sheet files (folders expanded) into `ws` for `batch`; one outcome per file, in order.

    Each file is stored in one transaction or not at all. A storage failure (disk full, read-only…)
    is raised as the typed `StorageError` after the files before it were imported; the file it hit
    left nothing behind. `cancelled()` is asked before each file."""
    done = _import(ws, [batch], identity, paths, trust_first_use=trust_first_use, progress=progress,
                   cancelled=cancelled, route=False)
    return [out for _batch_id, out in done.outcomes]


@dataclass
class Routed:
    """What `import_routed` did: (batch id, outcome) per file imported, in order, and the files whose
    verified sheet names a batch outside those given (with that batch's id; nothing stored or logged)."""

    outcomes: list[tuple[str, ImportOutcome]]
    foreign: list[tuple[Path, str]]
    cancelled: bool = False


def import_routed(
    ws: AgencyWorkspace,
    batches: Sequence[OpenedBatch],
    identity: str,
    paths: Sequence[Path],
    *,
    trust_first_use: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Routed:
    """`import_sheets` into several batches at once (a round): each file goes to the batch its signed
    sheet names; a file no batch can be told from (unreadable, not decryptable, not a sheet) is
    refused and logged in the first batch."""
    return _import(ws, batches, identity, paths, trust_first_use=trust_first_use, progress=progress,
                   cancelled=cancelled, route=True)


def _import(ws: AgencyWorkspace, batches: Sequence[OpenedBatch], identity: str, paths: Sequence[Path], *,
            trust_first_use: bool, progress: Callable[[int, int], None] | None, cancelled: Callable[[], bool] | None,
            route: bool) -> Routed:
    files = collect_sheet_files(paths)
    pipeline = _Pipeline(ws, batches, identity, trust_first_use, route)
    if trust_first_use:
        pipeline.prescan(files, cancelled)
    done = Routed([], [])
    # the next files are read and verified in workers while this one is stored: their decryption,
    # hashing and checks overlap the store's fsyncs (the workspace's rows are only written here)
    with ThreadPoolExecutor(max_workers=READERS, thread_name_prefix="tic-import-read") as reader:
        ahead = deque(reader.submit(pipeline.read, f) for f in files[:READERS])
        for n, path in enumerate(files):
            if cancelled is not None and cancelled():
                done.cancelled = True
                break
            r = ahead.popleft().result()
            if n + READERS < len(files):
                ahead.append(reader.submit(pipeline.read, files[n + READERS]))
            other = r.foreign
            if other is not None:
                done.foreign.append((path, other))
            else:
                done.outcomes.append((pipeline.batch_of(r), pipeline.run(path, r)))
            if progress is not None:
                progress(n + 1, len(files))
        for pending in ahead:  # cancelled: nothing a reader wrote ahead stays behind
            r = pending.result()
            if r.stored and r.raw_sha is not None:
                ws.drop_raw_if_unused("sheets", r.raw_sha)
    return done


__all__ = ["ImportOutcome", "ImportStatus", "Routed", "classify", "collect_sheet_files", "import_routed",
           "import_sheets"]


def _looks_like_batch(path: Path, raw: bytes) -> bool:
    """A refused file that is a batch: named .ticbatch, or a plain ZIP whose central directory (at
    the end) names the batch manifest. Only used to explain a refusal, never to accept anything."""
    if path.suffix.lower() == ".ticbatch":
        return True
    return raw.startswith(b"PK\x03\x04") and b"manifest.json.sig" in raw[-65536:]
