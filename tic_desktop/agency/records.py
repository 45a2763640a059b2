"""What the agency workspace hands out: batches, pinned keys, stored sheet revisions, conflicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from tic_desktop.core.types import Text
from tic_desktop.formats.sheet import Sheet

PinSource = Literal["first_use", "enrolment", "allowed_signers", "manual"]
PIN_SOURCES: tuple[str, ...] = ("first_use", "enrolment", "allowed_signers", "manual")
SheetState = Literal["current", "superseded", "conflict"]
Chain = Literal["first", "linked", "gap"]


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
