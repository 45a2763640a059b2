"""Exporting the expert's score sheet in three steps (issue 4): `prepare_export` → `write_export` →
`record_export`, or all three in a row with `export_sheet`. Building the sheet (`gather_sheet`,
`render_sheet`) and locking and revisions are in `expert.signing`; see its docstring for the whole flow.
"""

from __future__ import annotations

import datetime as _dt
import errno as _errno
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tic_desktop.core.atomic import atomic_write, cleanup_stray_temps
from tic_desktop.core.errors import Rejected, SheetRejected, register
from tic_desktop.core.faults import fault_point
from tic_desktop.expert.keys import ExpertKey
from tic_desktop.expert.printables import Printables, write_printables
from tic_desktop.expert.signing import (
    LOCKED,
    Progress,
    SheetDraft,
    check_cancel,
    export_steps,
    gather_sheet,
    is_locked,
    next_revision,
    render_sheet,
)
from tic_desktop.formats import sheet as sheetfmt
from tic_desktop.formats import sheet_checks
from tic_desktop.storage.errors import DISK_FULL, FILE_LOCKED

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
EXPORT_STALE = register(
    "export.stale", "导出期间已记录了另一版评分表，本次导出未登记。请关闭后重新打开审核页。",
    "Another revision was recorded while this one was being exported, so this export was not recorded. "
    "Close and reopen the review page.",
)


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
    check_cancel(cancelled)
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
