"""Signing and exporting the expert's score sheet (issue 4). Qt-free; the review dialog,
`tic-desktop simulate` and the self-test go through the same three export steps.

    review(session)            every assigned proposal: total, band, conclusion, what is missing
                               (expert.review; prepare_export refuses what it names)
    build_sheet(session, key)  the `formats.sheet.Sheet` and its members (PDFs, key files):
                               `gather_sheet` (session) then `render_sheet` (pure)
    export_sheet(session, key, folder) = prepare_export → write_export → record_export:
        prepare (session thread, fast): refuses a locked or incomplete sheet, reads answers,
          conflicts, pledge, documents opened, audit head, next revision (sheet_seq = last + 1,
          supersedes = the last sheet.json's SHA-256) into an immutable `ExportJob`;
        write (any thread, slow, no session or workspace): PDFs → canonical JSON → sign (SSHSIG +
          raw Ed25519) → age-encrypt to the agency and to the expert → a copy kept in the data
          folder (every revision is kept) → `core.atomic.atomic_write` to the chosen folder,
          re-opened and fully verified (`formats.sheet.read_sheet` with the expert's own age key
          and pinned fingerprint); a failure there removes the kept copy again;
        record (session thread): recorded in the workspace (`sheet_exports`, audited) → the sheet
          is locked until `revise()`.

The session-side functions take the `ExpertSession` and use only its public methods and its
workspace; the workspace's SQLite connection belongs to the thread that opened it.
"""

from __future__ import annotations

import datetime as _dt
import errno as _errno
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tic_desktop import __version__
from tic_desktop.core.atomic import atomic_write, cleanup_stray_temps
from tic_desktop.core.errors import Rejected, SheetRejected, register
from tic_desktop.core.faults import fault_point
from tic_desktop.core.pledge import pledge_sha256
from tic_desktop.expert.keys import ExpertKey
from tic_desktop.expert.printables import Printables, write_printables
from tic_desktop.expert.review import INCOMPLETE, NOT_PLEDGED, review
from tic_desktop.formats import sheet as sheetfmt
from tic_desktop.formats import sheet_checks, sheet_model, strictjson
from tic_desktop.storage.errors import DISK_FULL, FILE_LOCKED

WRONG_KEY = register(
    "sheet.wrong_key", "所用密钥与本批次登记的专家密钥不一致，不能签名。",
    "The key differs from the one registered for you in this batch, so the sheet cannot be signed.",
)
NOT_ENROLLED_KEY = register(
    "sheet.not_enrolled_key",
    "评审组织机构在本批次中写明了您登记的密钥，而本机的密钥与它不同，不能用本机密钥签名。"
    "请联系评审组织机构：如已更换电脑或重新生成了密钥，须按新的密钥登记表重新登记。",
    "The agency wrote your enrolled key into this batch, and the key on this computer is a different one, so it "
    "cannot sign. Contact the agency: after a new computer or a new key, the new key must be enrolled from a new "
    "enrolment sheet.",
)
LOCKED = register(
    "sheet.locked", "评分表已签名锁定。如需修改，请先选择“修订”生成新版本。",
    "The score sheet is signed and locked. Choose \"Revise\" to make a new revision before changing it.",
)

EXPORT_DATA_DISK_FULL = register(
    "export.data_disk_full",
    "本机数据文件夹所在的磁盘空间不足，评分表的存档副本无法保存，评分表未导出。请释放磁盘空间后重试；已保存的评分不受影响。",
    "The disk holding the app's data folder is full, so the archive copy of the score sheet could not be kept and "
    "the sheet was not exported. Free some disk space and try again; your saved scores are not affected.",
)
EXPORT_DISK_FULL = register(
    "export.disk_full", "所选文件夹所在的磁盘（或 U 盘）空间不足，评分表未导出。请腾出空间或换一个文件夹后重试。",
    "The disk (or USB stick) of the chosen folder is full, so the score sheet was not exported. "
    "Free some space or choose another folder, then try again.",
)
EXPORT_NOT_WRITABLE = register(
    "export.not_writable", "无法写入所选文件夹（只读、写保护或没有权限），评分表未导出。请选择其他文件夹。",
    "The chosen folder cannot be written (read-only, write-protected or no permission), so the score sheet "
    "was not exported. Choose another folder.",
)
EXPORT_FOLDER_MISSING = register(
    "export.folder_missing", "所选文件夹不存在（U 盘是否已拔出？），评分表未导出。请重新选择文件夹。",
    "The chosen folder does not exist (was the USB stick removed?), so the score sheet was not exported. "
    "Choose the folder again.",
)
EXPORT_FAILED = register(
    "export.failed", "写入评分表时出错，评分表未导出。请检查磁盘或 U 盘后重试。",
    "Writing the score sheet failed, so it was not exported. Check the disk or USB stick and try again.",
)
EXPORT_CANCELLED = register(
    "export.cancelled", "已取消导出：评分表未签名，也未写入任何文件。",
    "Export cancelled: the score sheet was not signed and no file was written.",
)
EXPORT_STALE = register(
    "export.stale", "导出期间已记录了另一版评分表，本次导出未登记。请关闭后重新打开审核页。",
    "Another revision was recorded while this one was being exported, so this export was not recorded. "
    "Close and reopen the review page.",
)


# ── locking and revisions ───────────────────────────────────────────────────────────────────

def is_locked(session: Any) -> bool:
    """True once a sheet is signed, until `revise`: the UI opens proposals read-only."""
    return bool(session.sheet_locked())


def revise(session: Any) -> int:
    """Unlock for a new revision; returns the sheet_seq the next signature will carry."""
    session.set_sheet_lock(None)
    return next_revision(session)[0]


def exports(session: Any) -> list[Any]:
    """Every signed revision recorded in the workspace (`storage.records.SheetExport`), oldest first."""
    return list(session.workspace.sheet_exports(session.batch_id, session.expert.id))


def next_revision(session: Any) -> tuple[int, str | None]:
    """(sheet_seq, supersedes) of the next signature."""
    done = exports(session)
    if not done:
        return 1, None
    last = done[-1]
    return last.sheet_seq + 1, last.sheet_sha256


# ── building ────────────────────────────────────────────────────────────────────────────────

def _now() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def form_entry(form: Any, answers: Any, ev: Any) -> sheet_model.FormEntry:
    criteria = []
    for c in form.criteria:
        comment = (answers.comments.get(c.id) or "").strip() or None
        criteria.append(sheet_model.CriterionEntry(
            id=c.id, score=answers.scores.get(c.id), not_applicable=c.id in answers.not_applicable, comment=comment,
        ))
    return sheet_model.FormEntry(
        form_id=form.id, criteria=tuple(criteria), vetoes=dict(answers.vetoes),
        vetoes_triggered=tuple(ev.vetoes_triggered), conclusion=answers.conclusion,
        overall={k: v for k, v in answers.overall.items() if v is not None and v != ""},
        raw_total=ev.raw_total, applicable_max=ev.applicable_max, total=ev.total,
    )


@dataclass(frozen=True)
class SheetDraft:
    """What the session knows about the sheet, gathered on the thread that owns the workspace.

    Plain, immutable data (the batch's own objects, frozen models): `render_sheet` turns it into
    PDFs and the validated sheet in a worker thread without touching the session or the workspace.
    """

    body: dict[str, Any]
    """Every field of `formats.sheet.Sheet` except `members`."""
    opened: Any  # formats.batch.OpenedBatch
    expert: Any  # formats.manifest.Expert
    pages: tuple[tuple[Any, tuple[Any, ...]], ...]
    """(proposal, its `reports.sheet_pdf.SheetPage`s) for every proposal scored, in manifest order."""
    pledge_proposals: tuple[tuple[str, str, str], ...]
    conflicts: dict[str, tuple[bool, str | None, str]]
    pledge_accepted_at: str


@dataclass(frozen=True)
class BuiltSheet:
    sheet: sheet_model.Sheet
    members: dict[str, bytes]
    digest: str


def gather_sheet(session: Any, key: ExpertKey, *, created_at: str | None = None,
                 revision: tuple[int, str | None] | None = None, lang: str = "zh") -> SheetDraft:
    """Read answers, conflicts, pledge, documents opened, audit head and the next revision; refuse
    an incomplete sheet or a foreign key. Fast (no PDFs): runs where the workspace lives."""
    from tic_desktop.reports.sheet_pdf import SheetPage  # noqa: PLC0415

    rv = review(session)
    if not rv.ready:
        code = rv.blockers[0] if rv.blockers else INCOMPLETE
        raise SheetRejected(code, rv.message(lang))
    expert = session.expert
    if key.expert_id != expert.id or (session.fingerprint and session.fingerprint != key.fingerprint):
        raise SheetRejected(WRONG_KEY, key.fingerprint)
    enrolled = getattr(expert, "key_fingerprint", None)  # the key the agency's signed batch names for this expert
    if enrolled and enrolled != key.fingerprint:
        raise SheetRejected(NOT_ENROLLED_KEY, f"{key.fingerprint} ≠ {enrolled}")
    opened = session.opened
    m = opened.manifest
    ws = session.workspace
    pledge = ws.pledge(m.batch_id, expert.id)
    if pledge is None or pledge.text_sha256 != pledge_sha256(m.pledge_text):
        raise SheetRejected(NOT_PLEDGED)
    seq, supersedes = revision or next_revision(session)
    head = ws.audit_head()
    created = created_at or _now()
    conflicts = session.conflicts()
    opened_docs = session.documents_opened()
    assigned = session.assigned()
    entries = []
    used_forms: dict[str, Any] = {}
    pages: list[tuple[Any, tuple[Any, ...]]] = []
    for p in assigned:
        decl = conflicts[p.id]
        if decl.declared:
            entries.append(sheet_model.ProposalEntry(
                proposal_id=p.id, conflict=sheet_model.ConflictEntry(declared=True, reason=decl.reason, note=decl.note),
                forms=(), documents_opened=()))
            continue
        forms = []
        shown = []
        for form in session.forms_for(p.id):
            answers = session.answers(p.id, form.id)
            ev = session.evaluation(p.id, form.id)
            forms.append(form_entry(form, answers, ev))
            shown.append(SheetPage(form=form, answers=answers, evaluation=ev))
            used_forms[form.id] = form
        pages.append((p, tuple(shown)))
        docs = tuple(sheet_model.DocumentEntry(path=path, sha256=sha)
                     for (pid, path), sha in sorted(opened_docs.items()) if pid == p.id)
        entries.append(sheet_model.ProposalEntry(
            proposal_id=p.id, conflict=sheet_model.ConflictEntry(declared=False, reason=None, note=""),
            forms=tuple(forms), documents_opened=docs))
    body: dict[str, Any] = {
        "format": sheetfmt.SHEET_FORMAT, "format_version": sheetfmt.SHEET_FORMAT_VERSION, "app_version": __version__,
        "batch_id": m.batch_id, "batch_manifest_sha256": opened.manifest_sha256, "expert_id": expert.id,
        "signer_fingerprint": key.fingerprint,
        "recipient": sheet_model.Recipient(name=m.agency.name, fingerprint=m.agency.signing_key_fingerprint,
                                        age_recipient=m.agency.age_recipient),
        "forms": tuple(sheet_model.FormHash(id=f.id, version=f.version, sha256=f.content_hash)
                       for _, f in sorted(used_forms.items())),
        "proposals": tuple(entries),
        "pledge": sheet_model.PledgeEntry(text_sha256=pledge.text_sha256, accepted_at=pledge.accepted_at),
        "sheet_seq": seq, "supersedes": supersedes,
        "audit_head": sheet_model.AuditHeadEntry(seq=head.seq, hash=head.hash),
        "created_at": created,
    }
    return SheetDraft(
        body=body, opened=opened, expert=expert, pages=tuple(pages),
        pledge_proposals=tuple((p.id, p.center_name, p.lead_unit) for p in assigned),
        conflicts={pid: (d.declared, d.reason, d.note) for pid, d in conflicts.items()},
        pledge_accepted_at=pledge.accepted_at,
    )


Progress = Callable[[int, int], None]
"""`progress(done, total)`: `done` of `total` steps finished (one per proposal's PDF, then the
pledge, then signing and writing)."""


def _check_cancel(cancelled: Callable[[], bool] | None) -> None:
    if cancelled is not None and cancelled():
        raise SheetRejected(EXPORT_CANCELLED)


def export_steps(draft: SheetDraft) -> int:
    """How many steps `write_export` reports: one per proposal's PDF, the pledge, signing + writing."""
    return len(draft.pages) + 2


def render_sheet(draft: SheetDraft, key: ExpertKey, *, progress: Progress | None = None,
                 cancelled: Callable[[], bool] | None = None) -> BuiltSheet:
    """The PDFs, key files and the validated sheet. Pure and slow: safe in a worker thread.
    `progress` is told after each PDF; `cancelled()` is asked before each (`export.cancelled`)."""
    from tic_desktop.reports.pledge_pdf import PledgeInput, render_pledge  # noqa: PLC0415
    from tic_desktop.reports.sheet_pdf import ScoreSheetInput, render_score_sheet  # noqa: PLC0415

    m = draft.opened.manifest
    expert = draft.expert
    seq = draft.body["sheet_seq"]
    draft_sheet = sheet_model.Sheet.model_construct(**draft.body, members=())
    digest = sheetfmt.content_digest(draft_sheet)
    date = draft.body["created_at"][:10]
    members = sheetfmt.key_members(key.signing_key.public_key(), expert.id)
    qr = sheetfmt.qr_payload(batch_id=m.batch_id, expert_id=expert.id, sheet_seq=seq, digest=digest,
                             fingerprint=key.fingerprint)
    total = export_steps(draft)
    for done, (proposal, pages) in enumerate(draft.pages):
        _check_cancel(cancelled)
        if progress is not None:
            progress(done, total)
        members[sheetfmt.pdf_member(proposal.id)] = render_score_sheet(ScoreSheetInput(
            batch_id=m.batch_id, batch_title=m.title.zh, kind=m.kind, agency_name=m.agency.name, proposal=proposal,
            expert=expert, pages=pages, fingerprint=key.fingerprint, digest=digest,
            sheet_seq=seq, qr_text=qr, date=date,
        ))
    _check_cancel(cancelled)
    if progress is not None:
        progress(len(draft.pages), total)
    members[sheetfmt.PLEDGE_PDF] = render_pledge(PledgeInput(
        batch_id=m.batch_id, batch_title=m.title.zh, agency_name=m.agency.name, expert=expert,
        proposals=draft.pledge_proposals, conflicts=draft.conflicts, accepted_at=draft.pledge_accepted_at,
        fingerprint=key.fingerprint, digest=digest, sheet_seq=seq, qr_text=qr, pledge_zh=m.pledge_text.zh,
    ))
    try:
        sheet = sheet_model.Sheet.model_validate_json(
            strictjson.dumps({**draft_sheet.model_dump(mode="json"),
                                       "members": [e.model_dump(mode="json") for e in sheetfmt.member_entries(members)]}))
    except Exception as exc:  # a bug in building, not the expert's input
        raise RuntimeError(f"built sheet does not validate: {exc}") from exc
    return BuiltSheet(sheet, members, digest)


def build_sheet(session: Any, key: ExpertKey, *, created_at: str | None = None,
                revision: tuple[int, str | None] | None = None, lang: str = "zh") -> BuiltSheet:
    """The complete sheet (with its PDFs and key files) for the current session; refuses when incomplete."""
    return render_sheet(gather_sheet(session, key, created_at=created_at, revision=revision, lang=lang), key)


# ── exporting ───────────────────────────────────────────────────────────────────────────────
#
# Three steps, so that the slow middle one can leave the GUI thread (the SQLite connection of the
# workspace belongs to the thread that opened it):
#   prepare_export(session, key, folder)  session thread: checks, everything read from the workspace
#   write_export(job, key)                any thread: PDFs, canonical JSON, sign, encrypt, write, verify
#   record_export(session, written)       session thread: recorded (audited) and locked
# `export_sheet` runs the three in a row (simulate, the self-test, the tests).

@dataclass(frozen=True)
class ExportJob:
    draft: SheetDraft
    target: Path
    """The file in the folder the expert picked."""
    kept: Path
    """The copy kept in the data folder (every revision is kept)."""


@dataclass(frozen=True)
class WrittenSheet:
    """A sheet written, re-opened and verified; not yet recorded in the workspace."""

    path: Path
    kept_copy: Path
    batch_id: str
    expert_id: str
    sheet_seq: int
    supersedes: str | None
    sheet_sha256: str
    content_digest: str
    audit_seq: int
    proposals: int
    conflicts: int
    printables: Printables | None = None
    """The PDFs to print, sign by hand and hand in, written beside the sheet (`expert.printables`)."""


@dataclass(frozen=True)
class ExportResult:
    path: Path
    kept_copy: Path
    sheet_seq: int
    supersedes: str | None
    sheet_sha256: str
    content_digest: str
    proposals: int
    conflicts: int
    printables: Printables | None = None

    def message(self, lang: str = "zh") -> str:
        return self._sheet_lines(lang) + self._print_lines(lang) + (
            "\n如导出到 U 盘，请先安全弹出再拔出。" if lang.startswith("zh")
            else "\nIf it is on a USB stick, eject it before unplugging.")

    def _sheet_lines(self, lang: str) -> str:
        if lang.startswith("zh"):
            return (f"评分表已签名并导出：{self.path}\n第 {self.sheet_seq} 版，已重新打开并核验通过。"
                    f"\n评审项目 {self.proposals - self.conflicts} 个，回避 {self.conflicts} 个。"
                    f"\n内容摘要：{self.content_digest[:16]}…")
        return (f"Score sheet signed and exported: {self.path}\nRevision {self.sheet_seq}, re-opened and verified."
                f"\n{self.proposals - self.conflicts} proposals scored, {self.conflicts} withdrawn."
                f"\nContent digest: {self.content_digest[:16]}…")

    def _print_lines(self, lang: str) -> str:
        p = self.printables
        if p is None:
            return ""
        zh = lang.startswith("zh")
        if p.error:
            return (f"\n\n可打印的 PDF 未能全部写入 {p.folder}（{p.error}）。评分表本身已导出；请腾出空间后重新导出，"
                    "或从评分表中取出 PDF。" if zh else
                    f"\n\nThe printable PDFs could not all be written to {p.folder} ({p.error}). The sheet itself is "
                    "exported; free some space and export again, or take the PDFs from the sheet.")
        return (f"\n\n可打印的评分表和承诺书（{len(p.files)} 个 PDF）已保存在：{p.folder}\n"
                "请打印，在每页签名处手写签名，连同评分表文件一并交评审组织机构。" if zh else
                f"\n\nThe score sheets and the pledge to print ({len(p.files)} PDFs) are in: {p.folder}\n"
                "Print them, sign each by hand where marked, and hand them in with the sheet file.")


def default_filename(session: Any, sheet_seq: int) -> str:
    return f"{session.batch_id}-{session.expert.id}-r{sheet_seq}.ticsheet"


def prepare_export(session: Any, key: ExpertKey, folder: Path, *, filename: str | None = None,
                   created_at: str | None = None, lang: str = "zh") -> ExportJob:
    """Refuse a locked or incomplete sheet; gather everything `write_export` needs. Fast."""
    if is_locked(session):
        raise SheetRejected(LOCKED)
    while True:
        draft = gather_sheet(session, key, created_at=created_at, lang=lang)
        seq = draft.body["sheet_seq"]
        kept = _kept_path(session, seq)
        if not (kept.exists() and _adopt_unrecorded(session, key, draft, kept)):
            break
    target = Path(folder) / (filename or default_filename(session, seq))
    return ExportJob(draft, target, kept)


def _kept_path(session: Any, seq: int) -> Path:
    return Path(session.data_dir) / "sheets" / session.batch_id / f"{session.expert.id}-r{seq}.ticsheet"


def _adopt_unrecorded(session: Any, key: ExpertKey, draft: SheetDraft, kept: Path) -> bool:
    """A crash between writing a sheet and recording it leaves the kept copy of a revision that may
    already be on its way to the agency. Signing other content under the same `sheet_seq` would give
    the agency two different sheets with one number (a conflict a person must resolve), so that
    revision is recorded now (audited, not locked) and the new export takes the next number,
    superseding it. A kept file that does not verify as exactly that revision is moved aside."""
    expected_seq, expected_supersedes = draft.body["sheet_seq"], draft.body["supersedes"]
    try:
        got = sheetfmt.read_sheet(kept, draft.opened, identities=[str(key.age_identity)],
                                  pinned={key.expert_id: key.fingerprint})
        ok = (got.sheet.expert_id == key.expert_id and got.sheet.sheet_seq == expected_seq
              and got.sheet.supersedes == expected_supersedes)
    except (Rejected, OSError):
        ok = False
    if not ok:
        kept.replace(kept.with_name(f"{kept.name}.unrecorded-{_dt.datetime.now().strftime('%Y%m%d%H%M%S')}"))
        return False
    session.workspace.record_sheet_export(
        session.batch_id, key.expert_id, sheet_seq=got.sheet.sheet_seq, sheet_sha256=got.sheet_sha256,
        audit_seq=got.sheet.audit_head.seq,
    )
    return True


def _export_error(exc: BaseException, folder: Path, *, chosen: bool = True) -> SheetRejected:
    """A write failure as a registered code the UI shows in its language. `chosen`: the folder the
    expert picked (else the data folder, which holds the kept copy)."""
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, OSError):
        cause = cause.__cause__
    errno_ = cause.errno if isinstance(cause, OSError) else None
    code = getattr(exc, "code", None)
    if code == FILE_LOCKED:  # retried for a while (antivirus, sync client): say so, not "read-only"
        return SheetRejected(FILE_LOCKED, str(folder))
    if code == DISK_FULL or errno_ in (_errno.ENOSPC, getattr(_errno, "EDQUOT", _errno.ENOSPC)):
        return SheetRejected(EXPORT_DISK_FULL if chosen else EXPORT_DATA_DISK_FULL, str(folder))
    if errno_ == _errno.ENOENT or not folder.is_dir():
        return SheetRejected(EXPORT_FOLDER_MISSING, str(folder))
    if isinstance(cause, PermissionError) or errno_ in (_errno.EACCES, _errno.EPERM, _errno.EROFS):
        return SheetRejected(EXPORT_NOT_WRITABLE, str(folder))
    return SheetRejected(EXPORT_FAILED, f"{folder}: {cause or exc}")


def write_export(job: ExportJob, key: ExpertKey, *, progress: Progress | None = None,
                 cancelled: Callable[[], bool] | None = None) -> WrittenSheet:
    """Render, sign, encrypt, write atomically, re-open and verify, keep a copy. No session, no
    workspace: safe in a worker thread. Write failures come back as `SheetRejected` with an
    `export.*` code; a sheet that does not verify as `SheetRejected` from `formats.sheet`.

    `progress(done, total)` after each step (`export_steps`); `cancelled()` is asked before each
    PDF and last just before signing: a cancelled export (`export.cancelled`) has signed and
    written nothing. Once signing has begun it runs to the end."""
    built = render_sheet(job.draft, key, progress=progress, cancelled=cancelled)
    _check_cancel(cancelled)
    total = export_steps(job.draft)
    if progress is not None:
        progress(total - 1, total)
    sheet = built.sheet
    zip_bytes, body = sheetfmt.seal_sheet(sheet, built.members, key.signing_key)
    data = sheetfmt.encrypt_sheet(zip_bytes, [sheet.recipient.age_recipient, key.age_recipient])
    sha = hashlib.sha256(body).hexdigest()
    opened = job.draft.opened
    identity = str(key.age_identity)

    def verify(path: Path) -> None:
        got = sheetfmt.read_sheet(path, opened, identities=[identity], pinned={key.expert_id: key.fingerprint})
        if got.sheet_sha256 != sha:
            raise SheetRejected(sheet_checks.MEMBER_HASH, "re-read sheet differs from the one signed")

    fault_point("mid_sign")
    # the kept copy first: when the data folder is full, nothing reaches the chosen folder; when the
    # chosen folder fails, the kept copy of this unrecorded revision is removed again
    keep = job.kept.resolve() != job.target.resolve()
    if keep:
        try:
            job.kept.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(job.kept, data)
        except (Rejected, OSError) as exc:
            raise _export_error(exc, job.kept.parent, chosen=False) from exc
    fault_point("mid_export")
    # a crash during an earlier export may have left its `.tic-tmp-` file here (the data folder's
    # are removed when the workspace opens; the chosen folder is only known now)
    cleanup_stray_temps(job.target.parent)
    try:
        try:
            atomic_write(job.target, data, verify=verify)
        except SheetRejected:
            raise
        except (Rejected, OSError) as exc:
            raise _export_error(exc, job.target.parent) from exc
    except BaseException:
        if keep:
            job.kept.unlink(missing_ok=True)
        raise
    conflicts = sum(1 for p in sheet.proposals if p.conflict.declared)
    printables = write_printables(job.target, built.members)  # after the sheet: never undoes it
    if progress is not None:
        progress(total, total)
    return WrittenSheet(job.target, job.kept, sheet.batch_id, sheet.expert_id, sheet.sheet_seq, sheet.supersedes,
                        sha, built.digest, sheet.audit_head.seq, len(sheet.proposals), conflicts, printables)


def record_export(session: Any, written: WrittenSheet) -> ExportResult:
    """Record the verified sheet in the workspace (audited) and lock the sheet until `revise`."""
    if (session.batch_id, session.expert.id) != (written.batch_id, written.expert_id):
        raise RuntimeError("recording a sheet for another batch or expert")
    fault_point("before_record")
    if next_revision(session)[0] != written.sheet_seq:
        # another revision was recorded while this one was written: keep the file, refuse the record
        raise SheetRejected(EXPORT_STALE, f"{written.path}")
    record = session.workspace.record_sheet_export(
        written.batch_id, written.expert_id, sheet_seq=written.sheet_seq, sheet_sha256=written.sheet_sha256,
        audit_seq=written.audit_seq,
    )
    session.set_sheet_lock({"sheet_seq": record.sheet_seq, "sheet_sha256": written.sheet_sha256})
    return ExportResult(written.path, written.kept_copy, written.sheet_seq, written.supersedes, written.sheet_sha256,
                        written.content_digest, written.proposals, written.conflicts, written.printables)


def export_sheet(session: Any, key: ExpertKey, folder: Path, *, filename: str | None = None,
                 created_at: str | None = None, lang: str = "zh") -> ExportResult:
    """Sign, encrypt, write atomically, re-open and verify, keep a copy, record, lock (all in this thread)."""
    job = prepare_export(session, key, folder, filename=filename, created_at=created_at, lang=lang)
    return record_export(session, write_export(job, key))
