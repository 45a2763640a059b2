"""The semantic checks of an opened batch, after its envelope (signature, ZIP, decryption) held:
every member listed once with the size and SHA-256 the signed manifest gives, the forms and
proposals parse and match their manifest entries, the not-applicable items, the experts.

Each failure is a `core.errors.Rejected` with a `semantic.*` code (formats.batch turns it into
`BatchRejected`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from tic_desktop.core.errors import BatchRejected, Rejected, register
from tic_desktop.core.forms import FormTemplate
from tic_desktop.core.proposal import Proposal
from tic_desktop.formats import container, strictjson
from tic_desktop.formats.envelope import SCHEMA_INVALID, schema_detail
from tic_desktop.formats.manifest import Manifest
from tic_desktop.formats.strictjson import JsonLimits

MANIFEST = "manifest.json"
MANIFEST_SIG = "manifest.json.sig"
ASK_ZH = "请勿使用此文件，并联系发送方（评审组织机构）重新制作。"
ASK_EN = "Do not use this file; ask the agency to build it again."
INVALID_SPEC = register("build.invalid_spec", "评审批次的资料有误，无法生成批次文件。请按提示修改后重试。",
                     "The batch data has a mistake, so the batch file cannot be built. Correct it and try again.")
MEMBER_MISSING = register("semantic.member_missing", "批次文件中缺少清单所列的文件。" + ASK_ZH,
                       "A file listed in the manifest is missing from the batch. " + ASK_EN)
MEMBER_UNLISTED = register("semantic.member_unlisted", "批次文件中有未列入清单的文件，可能被篡改。" + ASK_ZH,
                        "The batch contains a file that the manifest does not list; it may have been tampered with. " + ASK_EN)
BAD_LISTING = register("semantic.bad_listing", "批次清单的文件列表有误（重复或包含清单本身）。" + ASK_ZH,
                    "The manifest's file list is wrong (duplicates, or it lists itself). " + ASK_EN)
SIZE_MISMATCH = register("semantic.size_mismatch", "批次中某个文件的大小与清单不符，文件可能被替换。" + ASK_ZH,
                      "A file's size differs from the manifest; it may have been replaced. " + ASK_EN)
HASH_MISMATCH = register("semantic.hash_mismatch", "批次中某个文件的内容与签名清单不符，文件可能被替换或篡改。" + ASK_ZH,
                      "A file's content differs from the signed manifest; it may have been replaced or altered. " + ASK_EN)
FORM_HASH = register("semantic.form_hash_mismatch", "评分表内容与清单记录的版本不一致。" + ASK_ZH,
                  "A scoring form differs from the version recorded in the manifest. " + ASK_EN)
FORM_MISMATCH = register("semantic.form_mismatch", "评分表的编号或版本与清单不一致。" + ASK_ZH,
                      "A scoring form's id or version differs from the manifest. " + ASK_EN)
BAD_PATH = register("semantic.bad_path", "清单中某个文件的位置不符合规定。" + ASK_ZH,
                 "A file in the manifest is at the wrong place. " + ASK_EN)
DUPLICATE_ID = register("semantic.duplicate_id", "批次中有重复的编号（评分表、项目或专家）。" + ASK_ZH,
                     "The batch has a duplicate id (form, proposal or expert). " + ASK_EN)
PROPOSAL_MISMATCH = register("semantic.proposal_mismatch", "项目资料与清单记录不一致（编号或名称不同）。" + ASK_ZH,
                          "A proposal differs from its manifest entry (id or name). " + ASK_EN)
UNKNOWN_FORM = register("semantic.unknown_form", "某个项目使用的评分表不在此批次中。" + ASK_ZH,
                     "A proposal uses a scoring form that is not in the batch. " + ASK_EN)
DOC_MISSING = register("semantic.document_missing", "某个项目的申报材料（PDF）不在批次文件中。" + ASK_ZH,
                    "A proposal's document (PDF) is not in the batch. " + ASK_EN)
DOC_UNREFERENCED = register("semantic.document_unreferenced", "批次中有不属于任何项目的 PDF 文件。" + ASK_ZH,
                         "The batch holds a PDF that belongs to no proposal. " + ASK_EN)
UNLISTED_PART = register("semantic.unlisted_part", "批次中有评分表或项目未在清单的对应部分登记。" + ASK_ZH,
                      "A form or proposal in the batch is not registered in its part of the manifest. " + ASK_EN)
UNKNOWN_PROPOSAL = register("semantic.unknown_proposal", "专家的评审任务或回避项目指向了批次中不存在的项目。" + ASK_ZH,
                         "An expert's assignment or known conflict names a proposal that is not in the batch. " + ASK_EN)
MULTIPLE_CHAIRS = register("semantic.multiple_chairs", "批次中指定了多名专家组组长（最多一名）。" + ASK_ZH,
                        "The batch names more than one panel chair (at most one). " + ASK_EN)
BAD_NOT_APPLICABLE = register(
    "semantic.bad_not_applicable", "某个项目的不适用项指向了该项目评分表中不存在或不允许不适用的评分项。" + ASK_ZH,
    "A proposal's not-applicable items name an item its forms do not have or that cannot be not applicable. "
    + ASK_EN)
SHARED_KEY = register("semantic.shared_expert_key", "批次为多位专家列出了同一把签名密钥（一把密钥只属于一位专家）。" + ASK_ZH,
                     "The batch names one signing key for several experts (a key belongs to one expert). " + ASK_EN)
KIND_MISMATCH = register("semantic.kind_mismatch", "评分表的评审类型与批次的评审类型不一致。" + ASK_ZH,
                      "A scoring form's evaluation kind differs from the batch's kind. " + ASK_EN)
CONSOLIDATION_MISMATCH = register("semantic.consolidation_mismatch", "汇总规则与批次中的评分表不对应。" + ASK_ZH,
                               "The consolidation rules do not match the batch's scoring forms. " + ASK_EN)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_members(manifest: Manifest, digests: Mapping[str, container.Digest]) -> None:
    """Every member listed once, with the size and SHA-256 the signed manifest gives."""
    listed: set[str] = set()
    for m in manifest.members:
        if m.path in listed or m.path in (MANIFEST, MANIFEST_SIG):
            raise Rejected(BAD_LISTING, m.path)
        listed.add(m.path)
        digest = digests.get(m.path)
        if digest is None:
            raise Rejected(MEMBER_MISSING, m.path)
        if digest.size != m.size:
            raise Rejected(SIZE_MISMATCH, f"{m.path}: {digest.size} bytes, manifest says {m.size}")
        if digest.sha256 != m.sha256:
            raise Rejected(HASH_MISMATCH, m.path)
    unlisted = sorted(set(digests) - listed)
    if unlisted:
        raise Rejected(MEMBER_UNLISTED, ", ".join(unlisted[:5]))


M = TypeVar("M", bound=BaseModel)


def parse_member(path: str, data: bytes, model: type[M], limits: JsonLimits) -> M:
    try:
        strictjson.parse(data, limits)
    except Rejected as exc:
        raise Rejected(exc.code, f"{path}: {exc.detail}" if exc.detail else path) from None
    try:
        # JSON-mode validation: strict types, but JSON arrays are the tuples of the models.
        return model.model_validate_json(data)
    except ValidationError as exc:
        raise Rejected(SCHEMA_INVALID, schema_detail(exc, path)) from None


def unique_ids(ids: Sequence[str], what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise Rejected(DUPLICATE_ID, f"{what} {i}")
        seen.add(i)


def check_forms(manifest: Manifest, members: dict[str, bytes], limits: JsonLimits) -> dict[str, FormTemplate]:
    unique_ids([f.id for f in manifest.forms], "form")
    forms: dict[str, FormTemplate] = {}
    for ref in manifest.forms:
        if ref.path != f"forms/{ref.id}.json":
            raise Rejected(BAD_PATH, ref.path)
        data = members.get(ref.path)
        if data is None:
            raise Rejected(MEMBER_MISSING, ref.path)
        if _sha256(data) != ref.sha256:
            raise Rejected(FORM_HASH, ref.path)
        form = parse_member(ref.path, data, FormTemplate, limits)
        if form.id != ref.id or form.version != ref.version:
            raise Rejected(FORM_MISMATCH, f"{ref.path}: {form.id} {form.version}")
        if form.content_hash != ref.sha256:
            raise Rejected(FORM_HASH, f"{ref.path}: not in its canonical form")
        if form.kind != manifest.kind:
            raise Rejected(KIND_MISMATCH, f"form {form.id} is {form.kind}, batch is {manifest.kind}")
        forms[form.id] = form
    stray = sorted(p for p in members if p.startswith("forms/") and p not in {r.path for r in manifest.forms})
    if stray:
        raise Rejected(UNLISTED_PART, ", ".join(stray[:5]))
    if set(manifest.consolidation) != set(forms):
        raise Rejected(CONSOLIDATION_MISMATCH, f"rules for {sorted(manifest.consolidation)}, forms {sorted(forms)}")
    return forms


def check_proposals(
    manifest: Manifest, members: dict[str, bytes], names: Mapping[str, object], forms: dict[str, FormTemplate],
    limits: JsonLimits,
) -> tuple[dict[str, Proposal], list[str]]:
    """The proposals, and the paths of their documents in manifest order (`names`: every member)."""
    unique_ids([p.id for p in manifest.proposals], "proposal")
    proposals: dict[str, Proposal] = {}
    documents: dict[str, None] = {}
    for ref in manifest.proposals:
        if ref.path != f"proposals/{ref.id}/proposal.json":
            raise Rejected(BAD_PATH, ref.path)
        data = members.get(ref.path)
        if data is None:
            raise Rejected(MEMBER_MISSING, ref.path)
        proposal = parse_member(ref.path, data, Proposal, limits)
        if proposal.id != ref.id or proposal.center_name != ref.center_name:
            raise Rejected(PROPOSAL_MISMATCH, ref.path)
        for fid in proposal.forms:
            if fid not in forms:
                raise Rejected(UNKNOWN_FORM, f"proposal {proposal.id} uses {fid}")
        check_not_applicable(proposal, forms, Rejected)
        for d in proposal.documents:
            if not d.path.startswith(f"proposals/{proposal.id}/"):
                raise Rejected(BAD_PATH, d.path)
            if d.path not in names:
                raise Rejected(DOC_MISSING, d.path)
            if d.path in documents:
                raise Rejected(BAD_LISTING, f"{d.path} belongs to two documents")
            documents[d.path] = None
        proposals[proposal.id] = proposal
    refs = {r.path for r in manifest.proposals}
    for path in sorted(names):
        if path.endswith("/proposal.json") and path not in refs:
            raise Rejected(UNLISTED_PART, path)
        if path.endswith(".pdf") and path not in documents:
            raise Rejected(DOC_UNREFERENCED, path)
    return proposals, list(documents)


def check_not_applicable(proposal: Proposal, forms: Mapping[str, FormTemplate], error: type[Rejected]) -> None:
    """The agency's N/A items name a form of the proposal and an item of it that may be N/A, once each."""
    seen: set[tuple[str, str]] = set()
    for na in proposal.not_applicable:
        key = (na.form_id, na.criterion_id)
        form = forms.get(na.form_id) if na.form_id in proposal.forms else None
        ok = form is not None and key not in seen and any(
            c.id == na.criterion_id and c.na_allowed for c in form.criteria)
        if not ok:
            code = INVALID_SPEC if error is BatchRejected else BAD_NOT_APPLICABLE
            raise error(code, f"proposal {proposal.id}: not applicable {na.form_id}/{na.criterion_id}")
        seen.add(key)


def check_experts(manifest: Manifest, proposals: dict[str, Proposal]) -> None:
    unique_ids([e.id for e in manifest.experts], "expert")
    for e in manifest.experts:
        for pid in (*e.assigned, *e.known_conflicts):
            if pid not in proposals:
                raise Rejected(UNKNOWN_PROPOSAL, f"expert {e.id}: {pid}")
    keys = [e.key_fingerprint for e in manifest.experts if e.key_fingerprint]
    if len(keys) != len(set(keys)):
        raise Rejected(SHARED_KEY, ", ".join(sorted(k for k in set(keys) if keys.count(k) > 1)))
    chairs = [e.id for e in manifest.experts if e.chair]
    if len(chairs) > 1:
        raise Rejected(MULTIPLE_CHAIRS, ", ".join(chairs))

