"""What the agency workspace hands out: batches, pinned keys, stored sheet revisions, conflicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from tic_desktop.core.types import Text
from tic_desktop.formats.sheet_model import Sheet

PinSource = Literal["first_use", "enrolment", "allowed_signers", "manual", "enrolment_file", "manifest"]
PIN_SOURCES: tuple[str, ...] = ("first_use", "enrolment", "allowed_signers", "manual", "enrolment_file", "manifest")
"""How a key came into the expert registry: first use (confirmed), the paper enrolment sheet (typed or
its QR scanned), an allowed_signers file, by hand, the enrolment file the expert exported from the
app, or the expert's fingerprint written in the agency's own signed batch manifest."""
SheetState = Literal["current", "superseded", "conflict"]
Chain = Literal["first", "linked", "gap"]
ImportStatus = Literal["accepted", "duplicate", "older", "conflict", "unpinned", "rejected"]
"""What an import did with one file (`agency.importer.ImportOutcome.status`)."""


@dataclass(frozen=True)
class BatchInfo:
    batch_id: str
    title: Text
    kind: str
    path: Path
    """The raw batch file kept in the workspace (content-addressed)."""
    added_at: str
    experts: int
    proposals: int
    manifest_sha256: str = ""
    agency_fingerprint: str = ""
    raw_sha256: str = ""


@dataclass(frozen=True)
class Pin:
    fingerprint: str
    source: PinSource
    pinned_at: str


@dataclass(frozen=True)
class KeyRecord:
    """One key in the agency's expert registry (agency schema v2): valid for every batch of the
    agency until it is revoked or rotated (`ended_at`)."""

    expert_id: str
    fingerprint: str
    source: PinSource
    enrolled_at: str
    batch_id: str | None = None
    """The batch it was enrolled with (informative; the key counts for every batch)."""
    ended_at: str | None = None
    end_reason: Literal["revoked", "rotated"] | None = None
    note: str = ""

    @property
    def active(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True)
class SheetRecord:
    batch_id: str
    expert_id: str
    sheet_seq: int
    sheet_sha256: str
    fingerprint: str
    file_name: str
    imported_at: str
    state: SheetState
    supersedes: str | None = None
    raw_sha256: str = ""
    audit_seq: int = 0
    chain: Chain = "first"
    """first (sheet_seq 1), linked (supersedes a stored revision), gap (supersedes one never imported)."""
    raw_path: Path | None = None
    sheet_json: bytes = field(default=b"", repr=False, compare=False)

    def sheet(self) -> Sheet:
        """formats.sheet.Sheet parsed from the stored (verified, signed) sheet.json."""
        return _parse_sheet(self.sheet_sha256, self.sheet_json)


_SHEET_CACHE: dict[str, Sheet] = {}


def _parse_sheet(sha: str, data: bytes) -> Sheet:
    got = _SHEET_CACHE.get(sha)
    if got is None:
        got = Sheet.model_validate_json(data)
        if len(_SHEET_CACHE) > 512:
            _SHEET_CACHE.clear()
        _SHEET_CACHE[sha] = got
    return got


@dataclass(frozen=True)
class Conflict:
    """Sheets of one expert with the same sheet_seq and different content, not yet resolved."""

    batch_id: str
    expert_id: str
    sheet_seq: int
    sheets: tuple[SheetRecord, ...]
    blocking: bool
    """True when this is the expert's newest revision: the expert has no current sheet until resolved."""
