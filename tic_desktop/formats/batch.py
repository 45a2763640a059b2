"""`.ticbatch`: what the agency sends to experts (see DESIGN.md §3 and docs/contracts.md).

    [age] → ZIP: manifest.json, manifest.json.sig (SSHSIG, namespace tic-batch-v1),
                 forms/<id>.json, proposals/<id>/proposal.json, proposals/<id>/<doc>.pdf

`write_batch` builds, self-checks (the unencrypted ZIP goes through `read_batch` before it is
encrypted) and writes atomically. `read_batch` runs the whole import pipeline and raises
`BatchRejected` only; its semantic checks (members against the signed manifest, forms, proposals,
experts) are in `formats.batch_checks`.

Where the bytes live after `read_batch`: the manifest, forms and proposals are parsed into memory;
the PDFs are not. Every member was hashed against the signed manifest during the read, and
`OpenedBatch.documents` reads one PDF at a time (checking its size and hash again) from the source
it keeps: the caller's bytes, the batch file itself (a plain ZIP, kept open read-only), or the
decrypted ZIP — in memory, or with `spool_dir` in an anonymous 0600 temporary file in that folder
(see `formats.envelope`). `OpenedBatch.close()` releases it; the temporary file disappears then
(or when the process ends). Without `spool_dir` nothing is written to disk.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import threading
import weakref
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyrage
from pydantic import BaseModel, ValidationError

from tic_desktop import __version__
from tic_desktop.core.atomic import atomic_write
from tic_desktop.core.errors import BatchRejected, Rejected, register
from tic_desktop.core.forms import ConsolidationRule, FormTemplate, Kind
from tic_desktop.core.proposal import Proposal
from tic_desktop.core.types import Text
from tic_desktop.formats import agecrypt, container, strictjson
from tic_desktop.formats import batch_checks as checks
from tic_desktop.formats.batch_checks import ASK_EN, ASK_ZH, INVALID_SPEC, MANIFEST, MANIFEST_SIG
from tic_desktop.formats.envelope import (
    ID,
    SCHEMA_INVALID,
    DocumentType,
    check_format,
    encrypt,
    open_envelope,
    rule,
    schema_detail,
    seal_zip,
)
from tic_desktop.formats.manifest import (
    BATCH_FORMAT,
    BATCH_FORMAT_VERSION,
    BATCH_NAMESPACE,
    Agency,
    Expert,
    FormRef,
    Manifest,
    Member,
    PledgeText,
    ProposalRef,
)
from tic_desktop.formats.strictjson import JsonLimits

if TYPE_CHECKING:  # writing needs the agency keys; reading (the app's start) does not import them
    from tic_desktop.formats.keys import AgencyKeys

MiB = 1024 * 1024
GiB = 1024 * MiB


IS_SHEET = register(
    "format.is_score_sheet",
    "这是专家评分表文件（.ticsheet），不是评审批次文件（.ticbatch）。评分表应交给评审机构核验与汇总；"
    "评审专家请打开评审机构发来的批次文件。",
    "This is an expert's score sheet (.ticsheet), not a review batch (.ticbatch). Score sheets go to the "
    "agency to be verified and consolidated; experts open the batch file the agency sent them.",
)
KEY_CHANGED = register("sig.agency_key_changed",
                    "此批次文件的签名密钥与您之前确认的机构密钥不同。请先用电话或书面方式向评审组织机构核实密钥指纹，确认无误后再导入。",
                    "This batch is signed with a different key from the agency key you confirmed before. Check the key fingerprint "
                    "with the agency by phone or on paper before importing it.")
SIGNER_MISMATCH = register("sig.signer_mismatch", "签名密钥与文件中声明的机构密钥不一致，文件可能被伪造。" + ASK_ZH,
                        "The signing key differs from the agency key named in the file; it may be forged. " + ASK_EN)

_PDF = r"[a-z0-9][a-z0-9._-]{0,63}\.pdf"
_LAZY = re.compile(rf"proposals/{ID}/{_PDF}")


@dataclass(frozen=True)
class BatchLimits:
    max_file_size: int = 1 * GiB
    max_members: int = 10_000
    max_total: int = 1 * GiB
    max_document: int = 256 * MiB
    max_json: int = 16 * MiB
    max_log_n: int = agecrypt.MAX_LOG_N


def batch_document(limits: BatchLimits = BatchLimits()) -> DocumentType:
    """The pipeline settings for a .ticbatch (allow-list, caps, namespace)."""
    policy = container.ZipPolicy(
        rules=(
            rule(r"manifest\.json", limits.max_json),
            rule(r"manifest\.json\.sig", 16 * 1024),
            rule(rf"forms/{ID}\.json", limits.max_json),
            rule(rf"proposals/{ID}/proposal\.json", limits.max_json),
            rule(rf"proposals/{ID}/{_PDF}", limits.max_document),
        ),
        required=frozenset({MANIFEST, MANIFEST_SIG}),
        max_members=limits.max_members,
        max_total=limits.max_total,
    )
    return DocumentType(
        label="batch", body_member=MANIFEST, signature_member=MANIFEST_SIG, namespace=BATCH_NAMESPACE,
        zip_policy=policy, max_file_size=limits.max_file_size,
        json_limits=JsonLimits(max_bytes=limits.max_json), max_log_n=limits.max_log_n,
        lazy=_LAZY,
    )


@dataclass(frozen=True)
class BatchSpec:
    batch_id: str
    title: Text
    kind: Kind
    agency_name: str
    deadline: str | None
    forms: list[FormTemplate]
    proposals: list[Proposal]
    documents: dict[str, bytes]
    """Member path (proposals/<id>/<name>.pdf) → PDF bytes."""
    experts: list[Expert]
    consolidation: dict[str, ConsolidationRule] | None = None
    """Per form id; forms not named here use the form's own default rule."""
    pledge: Text | None = None
    """The agency's own 承诺书 for this batch (manifest `pledge`); None: the default text."""
    panels: dict[str, str] = field(default_factory=dict)
    """Expert id → panel (专家组) from the source, when it has one; not part of the manifest: a panel
    becomes a batch of its own (agency.build.split_by_panel)."""


class BatchDocuments(Mapping[str, bytes]):
    """The PDFs of an opened batch, read-only: member path → bytes, read on access.

    Each access reads one member from the kept archive (with the ZIP caps) and checks its size and
    SHA-256 against the signed manifest again, so a source changed on disk after the import is
    refused (`BatchRejected` semantic.hash_mismatch), never shown. Nothing is cached: the caller
    keeps what it shows. Safe to use from several threads. After `close()` every access raises
    `RuntimeError`; a mapping that is dropped without `close()` closes its source when collected.
    """

    def __init__(self, archive: container.CheckedZip | None, expected: dict[str, container.Digest]) -> None:
        self._archive = archive
        self._expected = expected
        self._lock = threading.Lock()
        self._finalizer = weakref.finalize(self, archive.close) if archive is not None else None

    def __getitem__(self, path: str) -> bytes:
        expected = self._expected[path]
        with self._lock:
            if self._archive is None:
                raise RuntimeError("the batch is closed")
            try:
                data = self._archive.read(path)
            except Rejected as exc:
                raise BatchRejected(exc.code, exc.detail) from None
        if len(data) != expected.size or _sha256(data) != expected.sha256:
            raise BatchRejected(checks.HASH_MISMATCH, f"{path} changed since the batch was opened")
        return data

    def __iter__(self) -> Iterator[str]:
        return iter(self._expected)

    def __len__(self) -> int:
        return len(self._expected)

    def __contains__(self, path: object) -> bool:
        return path in self._expected

    def sha256(self, path: str) -> str:
        """The document's SHA-256 as the signed manifest gives it (and as it was read): no reading."""
        return self._expected[path].sha256

    def size(self, path: str) -> int:
        return self._expected[path].size

    def close(self) -> None:
        with self._lock:
            if self._finalizer is not None:
                self._finalizer()  # closes the archive, once
            self._archive = None

    def __repr__(self) -> str:
        return f"<BatchDocuments {len(self)} documents>"


@dataclass(frozen=True, eq=False)
class OpenedBatch:
    """A checked batch. `documents` reads its PDFs on access from a source this object keeps open
    (see the module docstring): call `close()` (or use it as a context manager) when done."""

    manifest: Manifest
    manifest_bytes: bytes
    manifest_sha256: str
    forms: dict[str, FormTemplate]
    proposals: dict[str, Proposal]
    documents: BatchDocuments
    agency_fingerprint: str

    def close(self) -> None:
        self.documents.close()

    def __enter__(self) -> OpenedBatch:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _canonical(model: BaseModel) -> bytes:
    return strictjson.dumps(model.model_dump(mode="json", exclude_none=True))


def build_batch_zip(spec: BatchSpec, keys: AgencyKeys, *, created_at: str | None = None) -> tuple[Manifest, bytes]:
    """The signed, unencrypted batch ZIP and its manifest."""
    _check_spec(spec)
    members: dict[str, bytes] = {}
    form_refs = []
    for form in sorted(spec.forms, key=lambda f: f.id):
        path = f"forms/{form.id}.json"
        members[path] = form.canonical_bytes()
        form_refs.append(FormRef(id=form.id, version=form.version, path=path, sha256=_sha256(members[path])))
    proposal_refs = []
    for proposal in sorted(spec.proposals, key=lambda p: p.id):
        path = f"proposals/{proposal.id}/proposal.json"
        members[path] = _canonical(proposal)
        proposal_refs.append(ProposalRef(id=proposal.id, center_name=proposal.center_name, path=path))
    members.update(spec.documents)
    overrides = spec.consolidation or {}
    try:
        manifest = Manifest(
            format=BATCH_FORMAT,
            format_version=BATCH_FORMAT_VERSION,
            app_version=__version__,
            batch_id=spec.batch_id,
            title=spec.title,
            kind=spec.kind,
            agency=Agency(
                name=spec.agency_name, signing_key_fingerprint=keys.fingerprint, age_recipient=keys.age_recipient
            ),
            created_at=created_at or _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
            deadline=spec.deadline,
            forms=tuple(form_refs),
            consolidation={f.id: overrides.get(f.id, f.consolidation) for f in spec.forms},
            proposals=tuple(proposal_refs),
            experts=tuple(spec.experts),
            pledge=PledgeText(zh=spec.pledge.zh, en=spec.pledge.en) if spec.pledge is not None else None,
            members=tuple(
                Member(path=p, size=len(b), sha256=_sha256(b)) for p, b in sorted(members.items())
            ),
        )
    except ValidationError as exc:
        raise BatchRejected(INVALID_SPEC, schema_detail(exc)) from None
    body = _canonical(manifest)
    data = seal_zip(batch_document(), body, members, keys.signing_key)
    return manifest, data


def write_batch(
    out: Path,
    spec: BatchSpec,
    keys: AgencyKeys,
    *,
    passphrase: bytes | None = None,
    recipients: Sequence[str] = (),
    created_at: str | None = None,
) -> Manifest:
    """Build, self-check, optionally encrypt, and atomically write a .ticbatch.

    A batch encrypted to recipients (per-expert or per-panel files) is always encrypted to the
    agency's own age recipient too, so that the agency can open its batch again (to import and
    consolidate the sheets) with its `agency.agekey`."""
    if passphrase and recipients:
        raise BatchRejected(INVALID_SPEC, "encrypt to a passphrase or to recipients, not both")
    if recipients:
        recipients = tuple(dict.fromkeys([*recipients, keys.age_recipient]))
    manifest, data = build_batch_zip(spec, keys, created_at=created_at)
    read_batch(data, pinned_fingerprint=keys.fingerprint).close()
    try:
        data = encrypt(batch_document(), data, passphrase=passphrase, recipients=recipients)
    except (pyrage.RecipientError, ValueError) as exc:
        raise BatchRejected(INVALID_SPEC, f"bad recipient or passphrase: {exc}") from None
    atomic_write(Path(out), data)
    return manifest


def _check_spec(spec: BatchSpec) -> None:
    def fail(detail: str) -> None:
        raise BatchRejected(INVALID_SPEC, detail)

    form_ids = [f.id for f in spec.forms]
    proposal_ids = [p.id for p in spec.proposals]
    expert_ids = [e.id for e in spec.experts]
    for what, ids in (("form", form_ids), ("proposal", proposal_ids), ("expert", expert_ids)):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            fail(f"duplicate {what} ids: {', '.join(dupes)}")
    if not spec.forms or not spec.proposals or not spec.experts:
        fail("a batch needs at least one form, one proposal and one expert")
    for form in spec.forms:
        if form.kind != spec.kind:
            fail(f"form {form.id} is for {form.kind}, the batch is {spec.kind}")
    unknown = sorted(set(spec.consolidation or {}) - set(form_ids))
    if unknown:
        fail(f"consolidation rules for unknown forms: {', '.join(unknown)}")
    referenced: set[str] = set()
    for p in spec.proposals:
        for fid in p.forms:
            if fid not in form_ids:
                fail(f"proposal {p.id} uses form {fid}, which is not in the batch")
        checks.check_not_applicable(p, {f.id: f for f in spec.forms}, BatchRejected)
        for doc in p.documents:
            if not doc.path.startswith(f"proposals/{p.id}/"):
                fail(f"proposal {p.id}: document {doc.path} is outside proposals/{p.id}/")
            if doc.path not in spec.documents:
                fail(f"proposal {p.id}: document {doc.path} has no file")
            if doc.path in referenced:
                fail(f"document {doc.path} is listed twice")
            referenced.add(doc.path)
    stray = sorted(set(spec.documents) - referenced)
    if stray:
        fail(f"documents that belong to no proposal: {', '.join(stray)}")
    for e in spec.experts:
        bad = sorted((set(e.assigned) | set(e.known_conflicts)) - set(proposal_ids))
        if bad:
            fail(f"expert {e.id} names unknown proposals: {', '.join(bad)}")
    if sum(1 for e in spec.experts if e.chair) > 1:
        fail("more than one chair")
    policy = batch_document().zip_policy
    names = [f"forms/{i}.json" for i in form_ids] + [f"proposals/{i}/proposal.json" for i in proposal_ids]
    for name in [*names, *spec.documents]:
        try:
            container.check_name(name)
        except Rejected as exc:
            fail(f"unusable name {name!r} ({exc.code})")
        if policy.rule_for(name) is None:
            fail(f"unusable name {name!r}")


def read_batch(
    source: Path | bytes,
    *,
    passphrase: bytes | None = None,
    identity: str | None = None,
    pinned_fingerprint: str | None = None,
    limits: BatchLimits | None = None,
    spool_dir: Path | None = None,
) -> OpenedBatch:
    """Open and fully check a .ticbatch. `identity` is the text of an age identity file.

    `source` is the file's bytes or its path (a path is never read into memory whole). Decrypted
    content larger than a few MiB goes to an anonymous 0600 temporary file in `spool_dir` when it
    is given (a private folder of the user's), else stays in memory; without `spool_dir` nothing is
    written to disk. Close the result when done. Raises `BatchRejected` only."""
    if isinstance(source, Path) and source.suffix.lower() == ".ticsheet":
        # the installer associates both extensions with the app: say what the file is, not
        # "encrypted to a key you don't have"
        raise BatchRejected(IS_SHEET, source.name)
    try:
        return _read(source, passphrase, identity, pinned_fingerprint, limits or BatchLimits(), spool_dir)
    except BatchRejected:
        raise
    except Rejected as exc:
        raise BatchRejected(exc.code, exc.detail) from None


def _read(
    source: Path | bytes, passphrase: bytes | None, identity: str | None, pinned: str | None, limits: BatchLimits,
    spool_dir: Path | None,
) -> OpenedBatch:
    doc = batch_document(limits)

    def check_signer(fp: str) -> None:
        if pinned is not None and fp != pinned:
            raise Rejected(KEY_CHANGED, f"signed by {fp}, pinned {pinned}")

    identities = agecrypt.identities_from_text(identity) if identity is not None else ()
    env = open_envelope(
        doc, source, passphrase=passphrase, identities=identities, check_signer=check_signer, spool_dir=spool_dir
    )
    try:
        check_format(env.body, BATCH_FORMAT, BATCH_FORMAT_VERSION)
        try:
            manifest = Manifest.model_validate_json(env.body_bytes)
        except ValidationError as exc:
            raise Rejected(SCHEMA_INVALID, schema_detail(exc, MANIFEST)) from None
        if env.signer_fingerprint != manifest.agency.signing_key_fingerprint:
            raise Rejected(SIGNER_MISMATCH, f"signed by {env.signer_fingerprint}")
        checks.check_members(manifest, env.digests)
        forms = checks.check_forms(manifest, env.members, doc.json_limits)
        proposals, documents = checks.check_proposals(manifest, env.members, env.digests, forms, doc.json_limits)
        checks.check_experts(manifest, proposals)
    except BaseException:
        env.close()
        raise
    lazy = {path: env.digests[path] for path in documents}
    return OpenedBatch(
        manifest=manifest, manifest_bytes=env.body_bytes, manifest_sha256=_sha256(env.body_bytes),
        forms=forms, proposals=proposals, documents=BatchDocuments(env.archive, lazy),
        agency_fingerprint=env.signer_fingerprint,
    )
