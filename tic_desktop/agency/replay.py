"""The replay rules of the score-sheet import (`agency.importer`, step 4): how a verified sheet with a
new SHA-256 stands against the revisions of its expert already stored.

Replay rules (`classify`), per expert; revisions are never overwritten or deleted:
  - higher sheet_seq than every stored one → `accepted`; the previous newest becomes superseded
    (`superseded_seq`). Its `supersedes` link is checked: the stored revision at sheet_seq − 1
    → chain `linked`; a SHA-256 never imported → still accepted, chain `gap` (an expert may export
    several revisions and send only the last; the outcome says the intermediate ones were not
    received); a stored sheet that is NOT at sheet_seq − 1 of this expert → `rejected`,
    `sheet.broken_chain` (the app never writes such a link: the history is inconsistent).
  - lower sheet_seq than the newest, and no stored sheet with that seq → `older`: stored in the
    history, not counted.
  - same sheet_seq as a stored sheet, other content → `conflict`: stored; neither sheet of that
    seq counts until a person calls `AgencyWorkspace.resolve_conflict` (if it is the newest seq,
    the expert has no current sheet meanwhile).
  - the expert's audit head must grow with sheet_seq: a sheet whose `audit_head.seq` is not above
    that of every stored lower revision (or not below that of every stored higher revision) is
    `rejected`, `sheet.audit_rollback` — a workspace rolled back and exported again (a replay).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tic_desktop.agency.records import Chain, ImportStatus
from tic_desktop.core.errors import register

OLDER = register(
    "import.older", "这是该专家较早的版本，已存入历史记录；汇总使用该专家较新的版本。",
    "This is an earlier revision of the expert's sheet. It is kept in the history; the newer revision counts.",
)
SHEET_CONFLICT = register(
    "sheet.conflict",
    "同一位专家的同一版本号有两份内容不同的评分表。两份都已保留，但在核实并选定其中一份之前均不计入汇总。请联系该专家核实。",
    "The expert has two different sheets with the same revision number. Both are kept, but neither counts until "
    "someone checks with the expert and chooses one.",
)
BROKEN_CHAIN = register(
    "sheet.broken_chain",
    "评分表声明替代的版本与已导入的版本号不相符，版本记录不连贯。请勿采用，并联系该专家重新导出。",
    "The revision this sheet says it replaces does not match the revisions already imported; its history is "
    "inconsistent. Do not use it; ask the expert to export again.",
)
AUDIT_ROLLBACK = register(
    "sheet.audit_rollback",
    "评分表的工作记录比已导入的较早版本还旧，可能是专家电脑上的工作区被回退后重新导出（重放）。已拒收，请联系该专家核实。",
    "The sheet's work log is older than that of a revision already imported: the expert's workspace may have "
    "been rolled back and exported again (a replay). It was refused; check with the expert.",
)


@dataclass(frozen=True)
class Decision:
    status: ImportStatus
    code: str | None
    superseded_seq: int | None
    chain: Chain
    detail: str = ""


def classify(seq: int, supersedes: str | None, audit_seq: int, revisions: Sequence[Mapping[str, Any]]) -> Decision:
    """The replay rules (module docstring) for a verified, new sheet_sha256 of one expert against
    that expert's stored revisions (dicts with sheet_sha256, sheet_seq, supersedes, audit_seq)."""
    chain: Chain = "first"
    if seq > 1:
        target = next((r for r in revisions if r["sheet_sha256"] == supersedes), None)
        if target is None:
            chain = "gap"
        elif target["sheet_seq"] != seq - 1:
            return Decision("rejected", BROKEN_CHAIN, None, "gap",
                            f"#{seq} supersedes #{target['sheet_seq']} {str(supersedes)[:16]}")
        else:
            chain = "linked"
    for r in revisions:
        if (r["sheet_seq"] < seq and r["audit_seq"] >= audit_seq) or (r["sheet_seq"] > seq and r["audit_seq"] <= audit_seq):
            return Decision("rejected", AUDIT_ROLLBACK, None, chain,
                            f"#{seq} audit {audit_seq}; stored #{r['sheet_seq']} audit {r['audit_seq']}")
    if any(r["sheet_seq"] == seq for r in revisions):
        return Decision("conflict", SHEET_CONFLICT, None, chain, f"#{seq}")
    newest = max((r["sheet_seq"] for r in revisions), default=None)
    if newest is not None and seq < newest:
        return Decision("older", OLDER, None, chain, f"#{seq} < #{newest}")
    return Decision("accepted", None, newest, chain)


__all__ = ["AUDIT_ROLLBACK", "BROKEN_CHAIN", "OLDER", "SHEET_CONFLICT", "Decision", "classify"]
