"""`.ticsheet`: one expert's signed scores for one batch (expert → agency; DESIGN.md §3, issue 4).

    age (agency recipient from the batch manifest + the expert's own age key)
    └── ZIP
        ├── sheet.json           RFC 8785 canonical JSON (`Sheet` in `formats.sheet_model`)
        ├── sheet.json.sig       SSHSIG over the exact sheet.json bytes, namespace tic-sheet-v1
        ├── sheet.json.ed25519   raw 64-byte Ed25519 signature over the same bytes
        ├── expert.pub           the expert's OpenSSH public key line (principal = expert id)
        ├── expert.pem           the same key as SubjectPublicKeyInfo PEM (for openssl pkeyutl)
        ├── pledge.pdf           回避声明与承诺书
        └── pdf/<proposal_id>.pdf  专家评分表, one per proposal

Every member other than sheet.json and its two signatures is listed in `Sheet.members` with its
size and SHA-256, so the signature covers the PDFs and the key files too. The PDFs carry a QR
code with the *content digest* (`content_digest`): SHA-256 of the RFC 8785 bytes of the sheet
without its `members` list (the PDFs cannot hold the hash of a list that contains their own hash).

Third parties check a sheet with stock tools:

    age -d -i agency.agekey E.ticsheet > E.zip ; unzip E.zip
    ssh-keygen -Y verify -f allowed_signers -I <expert_id> -n tic-sheet-v1 -s sheet.json.sig < sheet.json
    openssl pkeyutl -verify -pubin -inkey expert.pem -rawin -in sheet.json -sigfile sheet.json.ed25519

`read_sheet` runs the shared envelope pipeline (size cap → age → ZIP allow-list → SSHSIG over the
exact bytes → strict JSON) and then: format/version, pydantic strict schema, and the semantic
checks against the batch (`formats.sheet_checks`). It raises `SheetRejected` only and never writes
to disk.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pydantic import ValidationError

from tic_desktop.core.errors import Rejected, SheetRejected
from tic_desktop.formats import agecrypt, container, sshsig
from tic_desktop.formats import sheet_checks as checks
from tic_desktop.formats.allowed_signers import (  # the sheet's namespace and trust file, part of its API
    SHEET_NAMESPACE,
    allowed_signers_line,
    parse_allowed_signers,
)
from tic_desktop.formats.envelope import (
    ID,
    SCHEMA_INVALID,
    DocumentType,
    check_format,
    open_envelope,
    rule,
    schema_detail,
)
from tic_desktop.formats.sheet_checks import (
    BATCH_NOT_OPEN,
    NOT_BATCH_KEY,
    PUBKEY_MISMATCH,
    RAW_SIGNATURE,
    SIGNER_MISMATCH,
)
from tic_desktop.formats.sheet_model import (  # the model and member names, part of the sheet's API
    EXPERT_PEM,
    EXPERT_PUB,
    PLEDGE_PDF,
    SHEET,
    SHEET_FORMAT,
    SHEET_FORMAT_VERSION,
    SHEET_RAW_SIG,
    SHEET_SIG,
    MemberEntry,
    Sheet,
    content_digest,
    pdf_member,
    qr_payload,
    sheet_bytes,
)
from tic_desktop.formats.strictjson import JsonLimits

MiB = 1024 * 1024

# ── the container ───────────────────────────────────────────────────────────────────────────

@dataclass(frozen=True)
class SheetLimits:
    max_file_size: int = 256 * MiB
    max_total: int = 512 * MiB
    max_pdf: int = 32 * MiB
    max_json: int = 16 * MiB
    max_members: int = 2100


def sheet_document(limits: SheetLimits = SheetLimits()) -> DocumentType:
    policy = container.ZipPolicy(
        rules=(
            rule(r"sheet\.json", limits.max_json),
            rule(r"sheet\.json\.sig", 16 * 1024),
            rule(r"sheet\.json\.ed25519", 64),
            rule(r"expert\.pub", 4096),
            rule(r"expert\.pem", 4096),
            rule(r"pledge\.pdf", limits.max_pdf),
            rule(rf"pdf/{ID}\.pdf", limits.max_pdf),
        ),
        required=frozenset({SHEET, SHEET_SIG, SHEET_RAW_SIG, EXPERT_PUB, EXPERT_PEM, PLEDGE_PDF}),
        max_members=limits.max_members,
        max_total=limits.max_total,
    )
    return DocumentType(
        label="sheet", body_member=SHEET, signature_member=SHEET_SIG, namespace=SHEET_NAMESPACE,
        zip_policy=policy, max_file_size=limits.max_file_size, json_limits=JsonLimits(max_bytes=limits.max_json),
        require_encryption=True,
    )


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)


def key_members(key: Ed25519PublicKey, expert_id: str) -> dict[str, bytes]:
    """expert.pub and expert.pem for `key`."""
    return {
        EXPERT_PUB: (sshsig.public_key_line(key, expert_id) + "\n").encode("ascii"),
        EXPERT_PEM: public_pem(key),
    }


def member_entries(members: Mapping[str, bytes]) -> tuple[MemberEntry, ...]:
    return tuple(
        MemberEntry(path=p, size=len(b), sha256=hashlib.sha256(b).hexdigest()) for p, b in sorted(members.items())
    )


def seal_sheet(sheet: Sheet, members: Mapping[str, bytes], key: Ed25519PrivateKey) -> tuple[bytes, bytes]:
    """The unencrypted ZIP and the sheet.json bytes. `members` must be exactly what `sheet.members` lists."""
    body = sheet_bytes(sheet)
    listed = {m.path for m in sheet.members}
    if listed != set(members):
        raise ValueError(f"members {sorted(set(members) ^ listed)} are not listed exactly once")
    everything = dict(members)
    everything[SHEET] = body
    everything[SHEET_SIG] = sshsig.sign(body, key, SHEET_NAMESPACE)
    everything[SHEET_RAW_SIG] = key.sign(body)
    return container.write_zip(everything, stored_suffixes=(".pdf",)), body


def encrypt_sheet(zip_bytes: bytes, recipients: Sequence[str]) -> bytes:
    """age-encrypt to the agency recipient and the expert's own (both required)."""
    if len(recipients) < 2:
        raise ValueError("a sheet is encrypted to the agency and to the expert")
    return agecrypt.encrypt_to_recipients(zip_bytes, recipients)


# ── reading ─────────────────────────────────────────────────────────────────────────────────

@dataclass(frozen=True)
class OpenedSheet:
    sheet: Sheet
    sheet_bytes: bytes
    sheet_sha256: str
    members: dict[str, bytes]
    signer_fingerprint: str

    @functools.cached_property
    def content_digest(self) -> str:
        """What the printed pages' QR codes hold (computed on demand: an import never needs it)."""
        return content_digest(self.sheet)


def read_sheet(
    source: Path | bytes,
    batch: Any,
    *,
    identities: Sequence[str] = (),
    identity: str | None = None,
    allowed_signers: str | None = None,
    pinned: Mapping[str, str] | None = None,
    limits: SheetLimits | None = None,
) -> OpenedSheet:
    """Open and fully check a .ticsheet against `batch` (a `formats.batch.OpenedBatch`).

    `batch` may also be a mapping batch id → opened batch (a round's import): the sheet is checked
    against the batch its signed body names, and refused with `sheet.batch_not_in_import` (the id as
    the detail) when that is none of them — so a file is decrypted once, not once to route it and
    again to read it.
    `identity` is the text of an age identity file (the agency's, or the expert's own);
    `allowed_signers` the text of an OpenSSH allowed_signers file and/or `pinned` expert id →
    fingerprint: when either is given the signer must be the pinned key of the sheet's expert.
    Raises `SheetRejected` only; never writes to disk."""
    try:
        ids = list(identities)
        if identity is not None:
            ids += agecrypt.identities_from_text(identity)
        return _read(source, batch, ids, allowed_signers, pinned, limits or SheetLimits())
    except SheetRejected:
        raise
    except Rejected as exc:
        raise SheetRejected(exc.code, exc.detail) from None


def _read(source: Path | bytes, batch: Any, identities: Sequence[str], allowed_signers: str | None,
          pinned: Mapping[str, str] | None, limits: SheetLimits) -> OpenedSheet:
    doc = sheet_document(limits)
    env = open_envelope(doc, source, identities=identities)
    check_format(env.body, SHEET_FORMAT, SHEET_FORMAT_VERSION)
    try:
        sheet = Sheet.model_validate_json(env.body_bytes)
    except ValidationError as exc:
        raise Rejected(SCHEMA_INVALID, schema_detail(exc, SHEET)) from None
    if isinstance(batch, Mapping):
        chosen = batch.get(sheet.batch_id)
        if chosen is None:
            raise Rejected(BATCH_NOT_OPEN, sheet.batch_id)
        batch = chosen
    members = dict(env.members)
    raw_sig = members.pop(SHEET_RAW_SIG)
    # the signer: body, SSHSIG, raw signature and key files agree
    if env.signer_fingerprint != sheet.signer_fingerprint:
        raise Rejected(SIGNER_MISMATCH, f"signed by {env.signer_fingerprint}, sheet names {sheet.signer_fingerprint}")
    try:
        env.signer.verify(raw_sig, env.body_bytes)
    except InvalidSignature:
        raise Rejected(RAW_SIGNATURE, SHEET_RAW_SIG) from None
    expected_keys = key_members(env.signer, sheet.expert_id)
    if members.get(EXPERT_PEM) != expected_keys[EXPERT_PEM] or (
        members.get(EXPERT_PUB, b"").split(b" ")[:2] != expected_keys[EXPERT_PUB].split(b" ")[:2]
    ):
        raise Rejected(PUBKEY_MISMATCH)
    batch_key = batch_key_of(batch, sheet.expert_id)
    if batch_key is not None and env.signer_fingerprint != batch_key:
        raise Rejected(NOT_BATCH_KEY, f"{sheet.expert_id}: signed by {env.signer_fingerprint}, batch names {batch_key}")
    checks.check_pin(sheet.expert_id, env.signer_fingerprint, allowed_signers, pinned, batch_key is not None)
    checks.check_members(sheet, members, env.digests)
    checks.check_semantics(sheet, batch, members)
    checks.check_pdfs(sheet, members)
    return OpenedSheet(
        sheet=sheet, sheet_bytes=env.body_bytes, sheet_sha256=hashlib.sha256(env.body_bytes).hexdigest(),
        members=members, signer_fingerprint=env.signer_fingerprint,
    )


def batch_key_of(batch: Any, expert_id: str) -> str | None:
    """The expert's key fingerprint written in the (agency-signed) batch manifest, or None."""
    for e in getattr(getattr(batch, "manifest", None), "experts", ()):
        if e.id == expert_id:
            return getattr(e, "key_fingerprint", None)
    return None



__all__ = [
    "SHEET_FORMAT", "SHEET_FORMAT_VERSION", "SHEET_NAMESPACE", "Sheet", "OpenedSheet", "read_sheet",
    "seal_sheet", "encrypt_sheet", "sheet_bytes", "content_digest", "qr_payload", "parse_allowed_signers",
    "allowed_signers_line", "batch_key_of", "key_members", "member_entries", "pdf_member",
]
