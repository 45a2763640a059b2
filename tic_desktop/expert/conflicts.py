"""The expert's conflict-of-interest declarations (回避), as the session shows and checks them.

Per assigned proposal: a conflict the agency knew in advance (the manifest's `known_conflicts`) is
shown declared and locked; otherwise what the expert declared, or nothing. A declaration needs a
known reason (core.pledge.CONFLICT_REASONS), and "other" needs a note.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tic_desktop.core.errors import Rejected, register
from tic_desktop.core.pledge import CONFLICT_REASONS, KNOWN_IN_ADVANCE

NOTE_REQUIRED = register(
    "conflict.note_required", "选择“其他”回避情形时请填写说明。", "Explain the conflict when choosing \"other\".",
)
UNKNOWN_REASON = register(
    "conflict.unknown_reason", "未知的回避理由。", "Unknown conflict reason.",
)

ConflictRow = tuple[bool, str | None, str]
"""(declared, reason code, note) as the workspace stores it."""


@dataclass(frozen=True)
class ConflictDeclaration:
    declared: bool
    reason: str | None = None
    note: str = ""
    locked: bool = False
    """Known in advance by the agency: shown, cannot be undone by the expert."""


def shown_conflicts(proposal_ids: Iterable[str], known: set[str],
                    rows: Mapping[str, ConflictRow]) -> dict[str, ConflictDeclaration]:
    """The declaration of each proposal: known in advance (locked), stored, or none."""
    out = {}
    for pid in proposal_ids:
        if pid in known:
            out[pid] = ConflictDeclaration(True, KNOWN_IN_ADVANCE, "", locked=True)
        elif pid in rows:
            declared, code, note = rows[pid]
            out[pid] = ConflictDeclaration(declared, code, note)
        else:
            out[pid] = ConflictDeclaration(False)
    return out


def rows_to_store(current: Mapping[str, ConflictDeclaration],
                  declarations: Mapping[str, ConflictDeclaration]) -> dict[str, ConflictRow]:
    """The rows to store for every proposal of `current` (what is shown now) after the expert's
    `declarations` (a proposal left out: not declared; a locked one stays as it is). Raises
    `Rejected` (`conflict.unknown_reason`, `conflict.note_required`) with nothing stored."""
    codes = {r.code for r in CONFLICT_REASONS}
    rows: dict[str, ConflictRow] = {}
    for pid, existing in current.items():
        decl = existing if existing.locked else declarations.get(pid, ConflictDeclaration(False))
        if decl.declared and not decl.locked:
            if decl.reason not in codes:
                raise Rejected(UNKNOWN_REASON, str(decl.reason))
            if decl.reason == "other" and not decl.note.strip():
                raise Rejected(NOTE_REQUIRED, pid)
        rows[pid] = (decl.declared, decl.reason if decl.declared else None, decl.note.strip())
    return rows
