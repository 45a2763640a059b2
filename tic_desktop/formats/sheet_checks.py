"""The checks of an opened `.ticsheet` after its envelope (size, age, ZIP, SSHSIG) held: the signer's
pin, every member listed once with its size and SHA-256, one PDF per scored proposal, and the scores
against the batch (assignment, conflicts, forms, not-applicable items, totals recomputed).

Each failure is a `core.errors.Rejected` with a `sheet.*` code (formats.sheet turns it into
`SheetRejected`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from tic_desktop.core.errors import Rejected, register
from tic_desktop.core.pledge import pledge_sha256
from tic_desktop.formats.allowed_signers import parse_allowed_signers
from tic_desktop.formats.sheet_model import PLEDGE_PDF, Sheet, pdf_member

_ZH = "请勿采用此评分表，并联系该专家重新导出。"
_EN = "Do not use this score sheet; ask the expert to export it again."
BATCH_MISMATCH = register("sheet.batch_mismatch", "评分表属于另一个评审批次。请用对应批次的文件核验。",
                       "The score sheet belongs to another batch. Verify it against the matching batch file.")
BATCH_NOT_OPEN = register(
    "sheet.batch_not_in_import", "评分表属于不在本次导入范围内的批次，未导入。请确认文件是否放错。",
    "The score sheet belongs to a batch outside this import; it was not imported. Check whether the file is misplaced.")
MANIFEST_MISMATCH = register("sheet.manifest_mismatch",
                          "评分表所依据的批次文件版本与当前批次不一致（清单摘要不同）。请确认专家使用的是同一份批次文件。",
                          "The sheet was made on another version of this batch (manifest hash differs). Check that the "
                          "expert used the same batch file.")
UNKNOWN_EXPERT = register("sheet.unknown_expert", "评分表的专家不在本批次的专家名单中。" + _ZH,
                       "The sheet's expert is not on this batch's panel. " + _EN)
NOT_ASSIGNED = register("sheet.not_assigned", "评分表中包含未分配给该专家的项目。" + _ZH,
                     "The sheet scores a proposal not assigned to this expert. " + _EN)
PROPOSAL_MISSING = register("sheet.proposal_missing", "评分表缺少分配给该专家的项目（每个项目都须评分或声明回避）。" + _ZH,
                         "The sheet leaves out proposals assigned to this expert (each must be scored or declared a "
                         "conflict). " + _EN)
DUPLICATE = register("sheet.duplicate_entry", "评分表中有重复的项目、评分表或评分项。" + _ZH,
                  "The sheet lists a proposal, form or item twice. " + _EN)
FORM_MISMATCH = register("sheet.form_mismatch", "评分表使用的评分标准与批次中的版本不一致。" + _ZH,
                      "The sheet uses a scoring form that differs from the batch's version. " + _EN)
WRONG_RECIPIENT = register("sheet.wrong_recipient", "评分表不是提交给本机构的（接收方密钥不符）。请确认文件来源。",
                        "The sheet is addressed to another agency (recipient key differs). Check where it came from.")
SIGNER_MISMATCH = register("sheet.signer_mismatch", "签名密钥与评分表中声明的专家密钥不一致，文件可能被伪造。" + _ZH,
                        "The signing key differs from the key named in the sheet; it may be forged. " + _EN)
RAW_SIGNATURE = register("sheet.raw_signature_bad", "评分表的原始 Ed25519 签名与 SSH 签名不一致或无效。" + _ZH,
                      "The raw Ed25519 signature is invalid or disagrees with the SSH signature. " + _EN)
PUBKEY_MISMATCH = register("sheet.public_key_mismatch", "评分表附带的专家公钥与签名密钥不一致。" + _ZH,
                        "The public key files in the sheet differ from the signing key. " + _EN)
KEY_UNKNOWN = register("sheet.key_not_pinned", "该专家的密钥尚未登记（不在可信签名者名单中）。请先核对专家密钥登记表上的指纹。",
                    "This expert's key is not enrolled (not in the allowed signers). Check the fingerprint on the "
                    "expert's key enrolment sheet first.")
KEY_CHANGED = register("sheet.key_mismatch", "评分表的签名密钥与登记的该专家密钥不同。请电话联系该专家核实，切勿直接采用。",
                    "The sheet is signed with a key other than the one enrolled for this expert. Call the expert to "
                    "check; do not use it as is.")
NOT_BATCH_KEY = register("sheet.not_batch_key",
                         "评分表的签名密钥不是批次中为该专家写明的密钥，可能是他人冒名签署。请电话联系该专家核实，切勿采用。",
                         "The sheet is signed with a key other than the one the batch names for this expert; someone "
                         "else may have signed in the expert's name. Call the expert to check; do not use it.")
MEMBER_MISSING = register("sheet.member_missing", "评分表缺少其清单所列的文件。" + _ZH,
                       "A file listed in the sheet is missing. " + _EN)
MEMBER_UNLISTED = register("sheet.member_unlisted", "评分表中有未列入签名清单的文件，可能被篡改。" + _ZH,
                        "The sheet holds a file its signed list does not name; it may have been tampered with. " + _EN)
MEMBER_HASH = register("sheet.member_hash_mismatch", "评分表中某个文件与签名清单不符，可能被替换或篡改。" + _ZH,
                    "A file in the sheet differs from its signed list; it may have been replaced. " + _EN)
PDF_MISSING = register("sheet.pdf_missing", "评分表缺少某个项目的打印版评分表（PDF）或承诺书。" + _ZH,
                    "The sheet lacks a proposal's printable score sheet (PDF) or the pledge. " + _EN)
SCORE_INVALID = register("sheet.score_invalid", "评分表中的分数、否决项或结论不符合评分标准。" + _ZH,
                      "A score, screening answer or conclusion in the sheet breaks the form's rules. " + _EN)
TOTAL_MISMATCH = register("sheet.total_mismatch", "评分表记录的总分与各项得分之和不符。" + _ZH,
                       "The total in the sheet differs from the sum of its scores. " + _EN)
CONFLICT_SCORED = register("sheet.conflict_scored", "专家已申请回避的项目却有评分，或机构确定的回避项目未回避。" + _ZH,
                        "A proposal the expert withdrew from carries scores, or a known conflict was not declared. " + _EN)
DOCUMENT_UNKNOWN = register("sheet.document_unknown", "评分表记录的已阅材料不属于本批次（摘要不符）。" + _ZH,
                         "A document the sheet says was read is not in this batch (hash differs). " + _EN)
BAD_SEQUENCE = register("sheet.bad_sequence", "评分表的版本号与“替代”记录不一致。" + _ZH,
                     "The sheet's revision number and its 'supersedes' link disagree. " + _EN)
PLEDGE_UNKNOWN = register("sheet.pledge_unknown", "评分表所签的承诺书不是本软件的承诺书文本（摘要不符）。" + _ZH,
                       "The pledge the sheet was signed under is not this application's pledge text (hash "
                       "differs). " + _EN)
NA_NOT_SET_BY_AGENCY = register(
    "sheet.na_not_set_by_agency",
    "评分表中的“不适用”与评审机构为该中心确定的不适用项不一致（不适用项只能由机构确定，专家不能自行标注）。" + _ZH,
    "The sheet's not-applicable items differ from those the agency set for this center (only the agency decides "
    "what does not apply; experts cannot mark items N/A). " + _EN)


def check_pin(expert_id: str, fp: str, allowed_signers: str | None, pinned: Mapping[str, str] | None,
               in_batch: bool = False) -> None:
    """`in_batch`: the signer is the key the batch names for the expert (a pin already); other pins given
    for the expert must then agree with it."""
    if allowed_signers is None and pinned is None:
        return
    allowed: list[str] = []
    if allowed_signers is not None:
        allowed += parse_allowed_signers(allowed_signers).get(expert_id, [])
    if pinned is not None and expert_id in pinned:
        allowed.append(pinned[expert_id])
    if not allowed:
        if in_batch:
            return
        raise Rejected(KEY_UNKNOWN, expert_id)
    if fp not in allowed:
        raise Rejected(KEY_CHANGED, f"{expert_id}: signed by {fp}, enrolled {', '.join(allowed)}")


def check_members(sheet: Sheet, members: Mapping[str, bytes], digests: Mapping[str, Any]) -> None:
    """Every listed member present with its size and hash, nothing unlisted. `digests` are the
    container's SHA-256s taken while reading these very bytes (so they are not hashed twice)."""
    listed: set[str] = set()
    for m in sheet.members:
        if m.path in listed:
            raise Rejected(DUPLICATE, m.path)
        listed.add(m.path)
        data = members.get(m.path)
        if data is None:
            raise Rejected(MEMBER_MISSING, m.path)
        known = digests.get(m.path)
        digest = known.sha256 if known is not None and known.size == len(data) else hashlib.sha256(data).hexdigest()
        if len(data) != m.size or digest != m.sha256:
            raise Rejected(MEMBER_HASH, m.path)
    unlisted = sorted(set(members) - listed)
    if unlisted:
        raise Rejected(MEMBER_UNLISTED, ", ".join(unlisted[:5]))


def check_pdfs(sheet: Sheet, members: Mapping[str, bytes]) -> None:
    """One score-sheet PDF per scored proposal and the pledge; none for anything else."""
    listed = set(members)
    needed = {PLEDGE_PDF, *(pdf_member(p.proposal_id) for p in sheet.proposals if not p.conflict.declared)}
    missing = sorted(needed - listed)
    if missing:
        raise Rejected(PDF_MISSING, ", ".join(missing[:5]))
    extra = sorted(p for p in listed if p.startswith("pdf/") and p not in needed)
    if extra:
        raise Rejected(MEMBER_UNLISTED, ", ".join(extra[:5]))


def check_semantics(sheet: Sheet, batch: Any, members: Mapping[str, bytes]) -> None:
    from tic_desktop.core.scoring import FormAnswers, evaluate  # noqa: PLC0415

    m = batch.manifest
    if sheet.batch_id != m.batch_id:
        raise Rejected(BATCH_MISMATCH, f"{sheet.batch_id} ≠ {m.batch_id}")
    if sheet.batch_manifest_sha256 != batch.manifest_sha256:
        raise Rejected(MANIFEST_MISMATCH, sheet.batch_manifest_sha256[:16])
    if (sheet.recipient.fingerprint != m.agency.signing_key_fingerprint
            or sheet.recipient.age_recipient != m.agency.age_recipient):
        raise Rejected(WRONG_RECIPIENT, sheet.recipient.fingerprint)
    try:
        expert = m.expert(sheet.expert_id)
    except KeyError:
        raise Rejected(UNKNOWN_EXPERT, sheet.expert_id) from None
    if sheet.pledge.text_sha256 != pledge_sha256(m.pledge_text):
        raise Rejected(PLEDGE_UNKNOWN, sheet.pledge.text_sha256[:16])
    if (sheet.supersedes is None) != (sheet.sheet_seq == 1):
        raise Rejected(BAD_SEQUENCE, f"sheet_seq {sheet.sheet_seq}, supersedes {sheet.supersedes}")
    form_ids = [f.id for f in sheet.forms]
    if len(set(form_ids)) != len(form_ids):
        raise Rejected(DUPLICATE, "forms")
    for ref in sheet.forms:
        form = batch.forms.get(ref.id)
        if form is None or form.version != ref.version or form.content_hash != ref.sha256:
            raise Rejected(FORM_MISMATCH, ref.id)
    # exactly the proposals the app lists for this expert (expert.session.assigned): every one is
    # either scored or declared a conflict, so none can be left out to hide a score or a conflict
    assigned = {p.id for p in m.proposals if not expert.assigned or p.id in expert.assigned}
    known = set(expert.known_conflicts)
    seen: set[str] = set()
    # read_batch checked every member against manifest.members already: no need to hash the PDFs
    # again (hundreds of MB per batch, once per sheet); only the batch's documents count
    doc_hashes = {x.path: x.sha256 for x in m.members if x.path in batch.documents}
    criteria_of: dict[str, list[str]] = {}  # form id -> its criterion ids, in form order
    for entry in sheet.proposals:
        pid = entry.proposal_id
        if pid in seen:
            raise Rejected(DUPLICATE, pid)
        seen.add(pid)
        if pid not in assigned or pid not in batch.proposals:
            raise Rejected(NOT_ASSIGNED, pid)
        if entry.conflict.declared:
            if entry.forms or entry.documents_opened:
                raise Rejected(CONFLICT_SCORED, pid)
        elif pid in known:
            raise Rejected(CONFLICT_SCORED, f"{pid} is a known conflict")
        for d in entry.documents_opened:
            if not d.path.startswith(f"proposals/{pid}/") or doc_hashes.get(d.path) != d.sha256:
                raise Rejected(DOCUMENT_UNKNOWN, d.path)
        proposal = batch.proposals[pid]
        entry_forms = [f.form_id for f in entry.forms]
        if len(set(entry_forms)) != len(entry_forms):
            raise Rejected(DUPLICATE, f"{pid} forms")
        if not entry.conflict.declared and set(entry_forms) != set(proposal.forms):
            raise Rejected(FORM_MISMATCH, f"{pid}: {', '.join(entry_forms)}")
        for fe in entry.forms:
            if fe.form_id not in form_ids:
                raise Rejected(FORM_MISMATCH, f"{pid}: {fe.form_id} not listed")
            form = batch.forms[fe.form_id]
            form_ids_of = criteria_of.get(fe.form_id)
            if form_ids_of is None:
                form_ids_of = criteria_of[fe.form_id] = [c.id for c in form.criteria]
            if [c.id for c in fe.criteria] != form_ids_of:
                raise Rejected(SCORE_INVALID, f"{pid}/{fe.form_id}: criteria differ from the form")
            marked_na = frozenset(c.id for c in fe.criteria if c.not_applicable)
            fixed_na = None if m.experts_mark_na else proposal.not_applicable_for(fe.form_id)
            if fixed_na is not None and marked_na != fixed_na:
                extra, absent = sorted(marked_na - fixed_na), sorted(fixed_na - marked_na)
                raise Rejected(NA_NOT_SET_BY_AGENCY, f"{pid}/{fe.form_id}: "
                               + "; ".join(x for x in (f"marked {', '.join(extra)}" if extra else "",
                                                       f"not marked {', '.join(absent)}" if absent else "") if x))
            answers = FormAnswers(
                scores={c.id: c.score for c in fe.criteria if c.score is not None},
                not_applicable=marked_na,
                comments={c.id: c.comment for c in fe.criteria if c.comment is not None},
                vetoes=dict(fe.vetoes), conclusion=fe.conclusion, overall=dict(fe.overall),
            )
            ev = evaluate(form, answers, expert.role, fixed_na=fixed_na)
            if not ev.complete:
                p = ev.problems[0]
                raise Rejected(SCORE_INVALID, f"{pid}/{fe.form_id}: {p.code} {p.target or ''}".strip())
            if (ev.total, ev.raw_total, ev.applicable_max) != (fe.total, fe.raw_total, fe.applicable_max) or (
                    tuple(ev.vetoes_triggered) != fe.vetoes_triggered):
                raise Rejected(TOTAL_MISMATCH, f"{pid}/{fe.form_id}: {fe.total} ≠ {ev.total}")
    missing = [p.id for p in m.proposals if p.id in assigned and p.id not in seen]
    hidden = [pid for pid in missing if pid in known]
    if hidden:
        raise Rejected(CONFLICT_SCORED, f"{', '.join(hidden[:5])}: known conflict left out instead of declared")
    if missing:
        raise Rejected(PROPOSAL_MISSING, ", ".join(missing[:5]) + (f" (+{len(missing) - 5})" if len(missing) > 5 else ""))
