"""Replay and revision cases of the .ticsheet corpus (reliability.md §5 "Semantics and replay"),
decided by the agency importer (`agency.importer.import_sheets`) against the workspace's history.

Each scenario imports a sequence of sheets (made by `sheet_factory`, each valid on its own) and
states the outcome of every import: status and code. After every rejected import nothing is stored:
no sheet row, no raw copy in the workspace's `sheets/` folder, no pin — only the import log grows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import Ctx
from sheet_factory import SheetWorld

from tic_desktop.agency.importer import import_sheets
from tic_desktop.agency.workspace import AgencyWorkspace
from tic_desktop.formats.batch import OpenedBatch


@dataclass(frozen=True)
class Rev:
    """One sheet of E01: its revision, what it supersedes (a label of an earlier Rev, a made-up
    hash, or None), its audit head and its scores (so two revisions can differ in content)."""

    label: str
    seq: int
    supersedes: str | None
    audit: int
    c1: str = "30"


@dataclass(frozen=True)
class Step:
    rev: str
    status: str
    code: str | None = None


SCENARIOS: dict[str, tuple[list[Rev], list[Step]]] = {
    "first-revision-accepted": ([Rev("a", 1, None, 5)], [Step("a", "accepted")]),
    "same-file-twice-is-a-duplicate": ([Rev("a", 1, None, 5)],
                                       [Step("a", "accepted"), Step("a", "duplicate", "import.duplicate")]),
    "newer-revision-supersedes": ([Rev("a", 1, None, 5), Rev("b", 2, "a", 9, c1="31")],
                                  [Step("a", "accepted"), Step("b", "accepted")]),
    "lower-sheet-seq-goes-to-history": ([Rev("a", 1, None, 5), Rev("b", 2, "a", 9, c1="31")],
                                        [Step("b", "accepted"), Step("a", "older", "import.older")]),
    "reused-sheet-seq-other-content-is-a-conflict": (
        [Rev("a", 1, None, 5), Rev("a2", 1, None, 6, c1="12")],
        [Step("a", "accepted"), Step("a2", "conflict", "sheet.conflict")]),
    "supersedes-unknown-hash-is-a-gap-not-a-loss": (
        [Rev("a", 1, None, 5), Rev("c", 3, "never-imported", 12, c1="33")],
        [Step("a", "accepted"), Step("c", "accepted")]),
    "supersedes-the-wrong-revision-is-a-broken-chain": (
        [Rev("a", 1, None, 5), Rev("b", 2, "a", 9, c1="31"), Rev("c", 3, "a", 12, c1="33")],
        [Step("a", "accepted"), Step("b", "accepted"), Step("c", "rejected", "sheet.broken_chain")]),
    "lower-audit-head-than-an-earlier-revision-is-a-replay": (
        [Rev("a", 1, None, 20), Rev("b", 2, "a", 9, c1="31")],
        [Step("a", "accepted"), Step("b", "rejected", "sheet.audit_rollback")]),
    "equal-audit-head-for-a-higher-revision-is-a-replay": (
        [Rev("a", 1, None, 20), Rev("b", 2, "a", 20, c1="31")],
        [Step("a", "accepted"), Step("b", "rejected", "sheet.audit_rollback")]),
    "older-revision-with-a-higher-audit-head-than-the-newer-is-a-replay": (
        [Rev("a", 1, None, 30), Rev("b", 2, "a", 9, c1="31")],
        [Step("b", "accepted"), Step("a", "rejected", "sheet.audit_rollback")]),
    "replay-of-the-old-file-after-a-newer-one": (
        [Rev("a", 1, None, 5), Rev("b", 2, "a", 9, c1="31")],
        [Step("a", "accepted"), Step("b", "accepted"), Step("a", "duplicate", "import.duplicate")]),
}


@pytest.fixture
def agency(tmp_path: Path, sheets: SheetWorld, ctx: Ctx) -> Iterator[tuple[AgencyWorkspace, OpenedBatch]]:
    batch_file = tmp_path / "batch.ticbatch"
    batch_file.write_bytes(ctx.valid)
    ws = AgencyWorkspace.open(tmp_path / "ws" / "agency.db")
    ws.add_batch(batch_file, sheets.agency_identity, own_fingerprint=sheets.batch.agency_fingerprint)
    batch = ws.open_batch(sheets.batch.manifest.batch_id, sheets.agency_identity)
    ws.pin(batch.manifest.batch_id, "E01", sheets.e1.fingerprint, "enrolment")
    yield ws, batch
    batch.close()
    ws.close()


def _files(sheets: SheetWorld, revs: list[Rev], folder: Path) -> dict[str, Path]:
    """Write each revision; `supersedes` labels become the SHA-256 of that revision's sheet.json."""
    from tic_desktop.formats.sheet import read_sheet

    folder.mkdir()
    hashes: dict[str, str] = {}
    out: dict[str, Path] = {}
    for r in revs:
        sup = None if r.supersedes is None else hashes.get(r.supersedes,
                                                           hashlib.sha256(r.supersedes.encode()).hexdigest())
        data = sheets.make(seq=r.seq, supersedes=sup, audit_seq=r.audit, scores={"c1": r.c1, "c2": "50.5"})
        hashes[r.label] = read_sheet(data, sheets.batch, identity=sheets.agency_identity).sheet_sha256
        out[r.label] = folder / f"E01-{r.label}.ticsheet"
        out[r.label].write_bytes(data)
    return out


def _state(ws: AgencyWorkspace, batch_id: str) -> tuple[int, list[str], dict[str, object]]:
    stored = sorted(p.name for p in (ws.folder / "sheets").glob("*")) if (ws.folder / "sheets").exists() else []
    return len(ws.sheets(batch_id)), stored, dict(ws.pins(batch_id))


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_replay_scenario(name: str, agency: tuple[AgencyWorkspace, OpenedBatch], sheets: SheetWorld,
                         tmp_path: Path) -> None:
    ws, batch = agency
    revs, steps = SCENARIOS[name]
    files = _files(sheets, revs, tmp_path / "in")
    bid = batch.manifest.batch_id
    for step in steps:
        before = _state(ws, bid)
        log_before = len(ws.import_log(bid))
        [out] = import_sheets(ws, batch, sheets.agency_identity, [files[step.rev]])
        assert (out.status, out.code) == (step.status, step.code), (step, out.message("en"))
        assert out.message("zh") and out.message("en")
        assert len(ws.import_log(bid)) == log_before + 1
        if step.status in ("rejected", "duplicate"):
            assert _state(ws, bid) == before, "a refused or repeated file changed the workspace"
        else:
            assert _state(ws, bid)[0] == before[0] + 1


def test_conflicting_revisions_both_kept_and_neither_counts(agency: tuple[AgencyWorkspace, OpenedBatch],
                                                            sheets: SheetWorld, tmp_path: Path) -> None:
    ws, batch = agency
    files = _files(sheets, [Rev("a", 1, None, 5), Rev("a2", 1, None, 6, c1="12")], tmp_path / "in")
    import_sheets(ws, batch, sheets.agency_identity, [files["a"], files["a2"]])
    bid = batch.manifest.batch_id
    assert len(ws.sheets(bid)) == 2
    assert [c.expert_id for c in ws.conflicts(bid)] == ["E01"]
    assert ws.current_sheets(bid) == []


def test_a_sheet_for_another_batch_is_rejected_and_not_stored(agency: tuple[AgencyWorkspace, OpenedBatch],
                                                              sheets: SheetWorld, tmp_path: Path) -> None:
    ws, batch = agency
    path = tmp_path / "other.ticsheet"
    path.write_bytes(sheets.make(edit=lambda b: b.__setitem__("batch_id", "2026-99")))
    before = _state(ws, batch.manifest.batch_id)
    [out] = import_sheets(ws, batch, sheets.agency_identity, [path])
    assert (out.status, out.code) == ("rejected", "sheet.batch_mismatch")
    assert _state(ws, batch.manifest.batch_id) == before


def test_an_unpinned_experts_sheet_is_not_stored(agency: tuple[AgencyWorkspace, OpenedBatch],
                                                 sheets: SheetWorld, tmp_path: Path) -> None:
    ws, batch = agency
    path = tmp_path / "E02.ticsheet"
    path.write_bytes(sheets.make(sheets.e2))
    before = _state(ws, batch.manifest.batch_id)
    [out] = import_sheets(ws, batch, sheets.agency_identity, [path])
    assert (out.status, out.code, out.fingerprint) == ("unpinned", "sheet.key_not_pinned", sheets.e2.fingerprint)
    assert _state(ws, batch.manifest.batch_id) == before
