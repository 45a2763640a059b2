"""Signing and exporting the expert's score sheet (issue 4). Qt-free; the review dialog,
`tic-desktop simulate` and the self-test go through the same three export steps. This module builds
the sheet and keeps its lock and revisions; the three export steps are in `expert.sheet_export`.

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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tic_desktop import __version__
from tic_desktop.core.errors import SheetRejected, register
from tic_desktop.core.pledge import pledge_sha256
from tic_desktop.expert.keys import ExpertKey
from tic_desktop.expert.review import INCOMPLETE, NOT_PLEDGED, review
from tic_desktop.formats import sheet as sheetfmt
from tic_desktop.formats import sheet_model, strictjson

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

EXPORT_CANCELLED = register(
    "export.cancelled", "已取消导出：评分表未签名，也未写入任何文件。",
    "Export cancelled: the score sheet was not signed and no file was written.",
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


def check_cancel(cancelled: Callable[[], bool] | None) -> None:
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
        check_cancel(cancelled)
        if progress is not None:
            progress(done, total)
        members[sheetfmt.pdf_member(proposal.id)] = render_score_sheet(ScoreSheetInput(
            batch_id=m.batch_id, batch_title=m.title.zh, kind=m.kind, agency_name=m.agency.name, proposal=proposal,
            expert=expert, pages=pages, fingerprint=key.fingerprint, digest=digest,
            sheet_seq=seq, qr_text=qr, date=date,
        ))
    check_cancel(cancelled)
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
