"""`sheet.json`: the pydantic model of one expert's signed scores (tic-sheet 1.0), its member names,
canonical bytes, content digest and QR text. Sealing and opening the `.ticsheet` are in `formats.sheet`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field

from tic_desktop.core.types import Dec, Ident, Sha256Hex, Strict
from tic_desktop.formats import strictjson
from tic_desktop.formats.allowed_signers import SHEET_NAMESPACE
from tic_desktop.formats.envelope import ID

SHEET_FORMAT = "tic-sheet"
SHEET_FORMAT_VERSION = "1.0"

SHEET = "sheet.json"
SHEET_SIG = "sheet.json.sig"
SHEET_RAW_SIG = "sheet.json.ed25519"
EXPERT_PUB = "expert.pub"
EXPERT_PEM = "expert.pem"
PLEDGE_PDF = "pledge.pdf"


def pdf_member(proposal_id: str) -> str:
    return f"pdf/{proposal_id}.pdf"


Comment = Annotated[str, Field(min_length=1, max_length=20000)]
Fingerprint = Annotated[str, Field(pattern=r"^SHA256:[A-Za-z0-9+/]{43}$")]
AgeRecipient = Annotated[str, Field(pattern=r"^age1[02-9ac-hj-np-z]{58}$")]
Timestamp = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$")]
MemberPath = Annotated[str, Field(pattern=rf"^(expert\.pub|expert\.pem|pledge\.pdf|pdf/{ID}\.pdf)$")]


class Recipient(Strict):
    """The agency the sheet is for (from the batch manifest)."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    fingerprint: Fingerprint
    age_recipient: AgeRecipient


class FormHash(Strict):
    id: Ident
    version: Annotated[str, Field(pattern=r"^[0-9]+\.[0-9]+$")]
    sha256: Sha256Hex


class CriterionEntry(Strict):
    id: Ident
    score: Dec | None
    """Points as a decimal string; null when not scored (N/A, or another role's criterion)."""
    not_applicable: bool
    comment: Comment | None


class FormEntry(Strict):
    form_id: Ident
    criteria: tuple[CriterionEntry, ...]
    """Every criterion of the form, in form order."""
    vetoes: dict[Ident, bool]
    """Veto id → true (是) / false (否)."""
    vetoes_triggered: tuple[Ident, ...]
    conclusion: Ident | None
    overall: dict[Ident, Annotated[str, Field(max_length=20000)]]
    raw_total: Dec
    applicable_max: Dec
    total: Dec


class ConflictEntry(Strict):
    declared: bool
    reason: Ident | None
    note: Annotated[str, Field(max_length=2000)]


class DocumentEntry(Strict):
    path: Annotated[str, Field(min_length=1, max_length=300)]
    sha256: Sha256Hex


class ProposalEntry(Strict):
    proposal_id: Ident
    conflict: ConflictEntry
    forms: tuple[FormEntry, ...]
    """Empty when the expert withdrew (conflict declared)."""
    documents_opened: tuple[DocumentEntry, ...]


class PledgeEntry(Strict):
    text_sha256: Sha256Hex
    accepted_at: Annotated[str, Field(min_length=1, max_length=64)]


class AuditHeadEntry(Strict):
    seq: Annotated[int, Field(ge=0)]
    hash: Sha256Hex


class MemberEntry(Strict):
    path: MemberPath
    size: Annotated[int, Field(ge=0, le=2**40)]
    sha256: Sha256Hex


class Sheet(Strict):
    """sheet.json (tic-sheet 1.0)."""

    format: Literal["tic-sheet"]
    format_version: Literal["1.0"]
    app_version: Annotated[str, Field(min_length=1, max_length=40)]
    batch_id: Ident
    batch_manifest_sha256: Sha256Hex
    expert_id: Ident
    signer_fingerprint: Fingerprint
    recipient: Recipient
    forms: tuple[FormHash, ...]
    proposals: tuple[ProposalEntry, ...]
    pledge: PledgeEntry
    sheet_seq: Annotated[int, Field(ge=1, le=1_000_000)]
    supersedes: Sha256Hex | None
    """SHA-256 of the previous revision's sheet.json (null for the first)."""
    audit_head: AuditHeadEntry
    created_at: Timestamp
    """Informative only (the expert's clock)."""
    members: tuple[MemberEntry, ...]

    def proposal(self, proposal_id: str) -> ProposalEntry:
        for p in self.proposals:
            if p.proposal_id == proposal_id:
                return p
        raise KeyError(proposal_id)


def sheet_bytes(sheet: Sheet) -> bytes:
    """The canonical sheet.json bytes (what is signed)."""
    return strictjson.dumps(sheet.model_dump(mode="json"))


def content_digest(sheet: Sheet | Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the RFC 8785 bytes of the sheet without `members`: what the PDFs' QR codes hold."""
    data = sheet.model_dump(mode="json") if isinstance(sheet, Sheet) else dict(sheet)
    data.pop("members", None)
    return hashlib.sha256(strictjson.dumps(data)).hexdigest()


def qr_payload(*, batch_id: str, expert_id: str, sheet_seq: int, digest: str, fingerprint: str,
               proposal_id: str | None = None) -> str:
    """The text of the QR code on every printed page of a sheet."""
    parts = [SHEET_NAMESPACE, f"batch={batch_id}", f"expert={expert_id}", f"seq={sheet_seq}"]
    if proposal_id:
        parts.append(f"proposal={proposal_id}")
    parts += [f"content={digest}", f"fp={fingerprint}"]
    return ";".join(parts)
