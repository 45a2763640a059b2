"""The one sheet import pipeline: pins, every replay state, and nothing half-imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.agency_world import World, make_world, reencrypt, resign, tamper
from tic_desktop.agency import import_pipeline
from tic_desktop.agency.importer import classify, collect_sheet_files, import_sheets
from tic_desktop.agency.workspace import AgencyWorkspace
from tic_desktop.core.errors import Rejected
from tic_desktop.formats.batch import OpenedBatch
from tic_desktop.formats.demo_key import DEMO_AGENCY_FINGERPRINT
from tic_desktop.simulate import make_key


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(tmp_path_factory.mktemp("agency-import"), ("E01", "E02"))


@pytest.fixture
def ws(tmp_path: Path, world: World) -> AgencyWorkspace:
    w = AgencyWorkspace.open(tmp_path / "ws" / "agency.db")
    w.add_batch(world.batch_path, world.identity, own_fingerprint=DEMO_AGENCY_FINGERPRINT, allow_demo=True)
    yield w
    w.close()


@pytest.fixture
def batch(ws: AgencyWorkspace, world: World) -> OpenedBatch:
    b = ws.open_batch(world.opened.manifest.batch_id, world.identity)
    yield b
    b.close()


BID = "TJTIC-2026-01"


def _pin(ws: AgencyWorkspace, world: World, *experts: str) -> None:
    for eid in experts:
        ws.pin(BID, eid, world.keys[eid].fingerprint, "enrolment")


def _rev(world: World, tmp: Path, name: str, base: Path, seq: int, supersedes: str | None, audit: int,
         **extra: object) -> Path:
    return resign(world, base, tmp / name, sheet_seq=seq, supersedes=supersedes,
                  audit_head=(audit, "ab" * 32), **extra)


def test_unpinned_sheet_is_not_stored_until_its_key_is_pinned(ws: AgencyWorkspace, batch: OpenedBatch,
                                                               world: World) -> None:
    [out] = import_sheets(ws, batch, world.identity, [world.sheets["E01"]])
    assert out.status == "unpinned" and out.code == "sheet.key_not_pinned"
    assert out.fingerprint == world.keys["E01"].fingerprint and out.expert_id == "E01"
    assert ws.sheets(BID) == [] and ws.pins(BID) == {}
    # the reader stores a verified file ahead of its turn: a refused one must not stay behind
    assert not list((ws.folder / "sheets").glob("*.ticsheet"))
    ws.pin(BID, "E01", out.fingerprint, "manual")
    [again] = import_sheets(ws, batch, world.identity, [world.sheets["E01"]])
    assert again.status == "accepted" and again.code is None
    assert [(r.expert_id, r.sheet_seq, r.state) for r in ws.current_sheets(BID)] == [("E01", 1, "current")]
    assert [o.status for o in ws.import_log(BID)] == ["unpinned", "accepted"]


def test_trust_first_use_pins_and_refuses_another_key_later(ws: AgencyWorkspace, batch: OpenedBatch,
                                                            world: World, tmp_path: Path) -> None:
    [out] = import_sheets(ws, batch, world.identity, [world.sheets["E01"]], trust_first_use=True)
    assert out.status == "accepted"
    pin = ws.pins(BID)["E01"]
    assert pin.fingerprint == world.keys["E01"].fingerprint and pin.source == "first_use"
    s1 = world.read(world.sheets["E01"])
    forged = _rev(world, tmp_path, "forged.ticsheet", world.sheets["E01"], 2, s1.sheet_sha256,
                  s1.sheet.audit_head.seq + 9, key=make_key("E01"))
    [bad] = import_sheets(ws, batch, world.identity, [forged], trust_first_use=True)
    assert bad.status == "rejected" and bad.code == "sheet.key_mismatch"
    assert ws.pins(BID)["E01"].fingerprint == world.keys["E01"].fingerprint
    assert [r.sheet_seq for r in ws.sheets(BID)] == [1]


def test_allowed_signers_pins_the_listed_experts(ws: AgencyWorkspace, world: World) -> None:
    from tic_desktop.formats.sheet import allowed_signers_line

    text = "\n".join(allowed_signers_line(eid, world.keys[eid].signing_key.public_key()) for eid in ("E01", "E02"))
    text += "\n" + allowed_signers_line("NOT-IN-BATCH", make_key("X").signing_key.public_key())
    assert ws.pin_allowed_signers(BID, text) == 2
    assert {e: p.source for e, p in ws.pins(BID).items()} == {"E01": "allowed_signers", "E02": "allowed_signers"}
    with pytest.raises(Rejected) as err:
        ws.pin(BID, "E01", make_key("E01").fingerprint, "manual")
    assert err.value.code == "pin.conflict"
    ws.pin(BID, "E01", world.keys["E01"].fingerprint, "manual")  # the same key again: no-op


def test_same_file_twice_and_a_reencrypted_copy_are_duplicates(ws: AgencyWorkspace, batch: OpenedBatch,
                                                               world: World, tmp_path: Path) -> None:
    _pin(ws, world, "E01")
    copy = reencrypt(world, world.sheets["E01"], tmp_path / "copy.ticsheet")
    outs = import_sheets(ws, batch, world.identity, [world.sheets["E01"], copy])
    outs += import_sheets(ws, batch, world.identity, [world.sheets["E01"]])
    assert [o.status for o in outs] == ["accepted", "duplicate", "duplicate"]
    assert outs[1].code == "import.duplicate"
    assert len(ws.sheets(BID)) == 1
    assert len(list((ws.folder / "sheets").iterdir())) == 1


def test_newer_revision_supersedes_and_both_are_kept(ws: AgencyWorkspace, batch: OpenedBatch, world: World,
                                                     tmp_path: Path) -> None:
    _pin(ws, world, "E01")
    s1 = world.read(world.sheets["E01"])
    r2 = _rev(world, tmp_path, "r2.ticsheet", world.sheets["E01"], 2, s1.sheet_sha256, s1.sheet.audit_head.seq + 3)
    outs = import_sheets(ws, batch, world.identity, [world.sheets["E01"], r2])
    assert [o.status for o in outs] == ["accepted", "accepted"]
    assert outs[1].superseded_seq == 1 and "替代第 1 版" in outs[1].message("zh")
    history = ws.sheets(BID)
    assert [(r.sheet_seq, r.state, r.chain) for r in history] == [(1, "superseded", "first"), (2, "current", "linked")]
    assert all(r.raw_path is not None and r.raw_path.is_file() for r in history)
    assert ws.current_sheets(BID)[0].sheet().sheet_seq == 2


def test_an_older_revision_after_the_newer_goes_to_the_history(ws: AgencyWorkspace, batch: OpenedBatch,
                                                               world: World, tmp_path: Path) -> None:
    _pin(ws, world, "E01")
    s1 = world.read(world.sheets["E01"])
    r2 = _rev(world, tmp_path, "r2.ticsheet", world.sheets["E01"], 2, s1.sheet_sha256, s1.sheet.audit_head.seq + 3)
    outs = import_sheets(ws, batch, world.identity, [r2, world.sheets["E01"]])
    assert [o.status for o in outs] == ["accepted", "older"]
    assert [(r.sheet_seq, r.state) for r in ws.sheets(BID)] == [(1, "superseded"), (2, "current")]


def test_a_revision_whose_predecessor_never_arrived_is_accepted_with_a_gap(
        ws: AgencyWorkspace, batch: OpenedBatch, world: World, tmp_path: Path) -> None:
    _pin(ws, world, "E01")
    s1 = world.read(world.sheets["E01"])
    r3 = _rev(world, tmp_path, "r3.ticsheet", world.sheets["E01"], 3, "cd" * 32, s1.sheet.audit_head.seq + 9)
    outs = import_sheets(ws, batch, world.identity, [world.sheets["E01"], r3])
    assert [o.status for o in outs] == ["accepted", "accepted"]
    assert "were not received" in outs[1].message("en")
    assert [(r.sheet_seq, r.state, r.chain) for r in ws.sheets(BID)] == [(1, "superseded", "first"), (3, "current", "gap")]


def test_a_link_to_the_wrong_revision_is_a_broken_chain(ws: AgencyWorkspace, batch: OpenedBatch, world: World,
                                                        tmp_path: Path) -> None:
    _pin(ws, world, "E01")
    s1 = world.read(world.sheets["E01"])
    r3 = _rev(world, tmp_path, "r3.ticsheet", world.sheets["E01"], 3, s1.sheet_sha256, s1.sheet.audit_head.seq + 9)
    outs = import_sheets(ws, batch, world.identity, [world.sheets["E01"], r3])
    assert [(o.status, o.code) for o in outs] == [("accepted", None), ("rejected", "sheet.broken_chain")]
    assert len(ws.sheets(BID)) == 1 and len(list((ws.folder / "sheets").iterdir())) == 1


def test_a_newer_revision_from_a_rolled_back_workspace_is_refused(ws: AgencyWorkspace, batch: OpenedBatch,
                                                                  world: World, tmp_path: Path) -> None:
    _pin(ws, world, "E01")
    s1 = world.read(world.sheets["E01"])
    r2 = _rev(world, tmp_path, "r2.ticsheet", world.sheets["E01"], 2, s1.sheet_sha256, s1.sheet.audit_head.seq - 1)
    outs = import_sheets(ws, batch, world.identity, [world.sheets["E01"], r2])
    assert [(o.status, o.code) for o in outs] == [("accepted", None), ("rejected", "sheet.audit_rollback")]
    assert "重放" in outs[1].message("zh")
    assert [r.sheet_seq for r in ws.current_sheets(BID)] == [1]


def test_same_revision_number_with_other_content_is_a_conflict_a_person_resolves(
        ws: AgencyWorkspace, batch: OpenedBatch, world: World, tmp_path: Path) -> None:
    _pin(ws, world, "E01", "E02")
    s1 = world.read(world.sheets["E01"])
    other = resign(world, world.sheets["E01"], tmp_path / "other.ticsheet", created_at="2026-01-02T03:04:05Z")
    outs = import_sheets(ws, batch, world.identity, [world.sheets["E01"], other, world.sheets["E02"]])
    assert [(o.status, o.code) for o in outs] == [("accepted", None), ("conflict", "sheet.conflict"), ("accepted", None)]
    assert [r.expert_id for r in ws.current_sheets(BID)] == ["E02"]  # neither E01 sheet counts
    [conflict] = ws.conflicts(BID)
    assert (conflict.expert_id, conflict.sheet_seq, conflict.blocking) == ("E01", 1, True)
    assert {s.state for s in conflict.sheets} == {"conflict"} and len(conflict.sheets) == 2
    with pytest.raises(Rejected) as err:
        ws.resolve_conflict(BID, "E01", 1, outs[1].sheet_sha256 or "", "  ")
    assert err.value.code == "decision.reason_required"
    ws.resolve_conflict(BID, "E01", 1, outs[1].sheet_sha256 or "", "专家电话确认以第二份为准")
    assert ws.conflicts(BID) == []
    current = {r.expert_id: r.sheet_sha256 for r in ws.current_sheets(BID)}
    assert current == {"E01": outs[1].sheet_sha256, "E02": outs[2].sheet_sha256}
    assert {r.sheet_sha256: r.state for r in ws.sheets(BID)}[s1.sheet_sha256] == "superseded"
    assert ws.audit_events()[-1].action == "sheet.resolve_conflict"


def test_a_tampered_file_is_rejected_with_the_signature_code(ws: AgencyWorkspace, batch: OpenedBatch,
                                                             world: World, tmp_path: Path) -> None:
    _pin(ws, world, "E01")
    bad = tamper(world, world.sheets["E01"], tmp_path / "bad.ticsheet")
    missing = tmp_path / "missing.ticsheet"
    outs = import_sheets(ws, batch, world.identity, [bad, missing])
    assert [(o.status, o.code) for o in outs] == [("rejected", "sig.bad_signature"), ("rejected", "import.unreadable")]
    assert "签名" in outs[0].message("zh") and outs[0].file_name == "bad.ticsheet"
    assert ws.sheets(BID) == [] and not list((ws.folder / "sheets").glob("*"))
    assert [o.status for o in ws.import_log(BID)] == ["rejected", "rejected"]


def test_folders_expand_to_their_sheets(world: World, tmp_path: Path) -> None:
    (tmp_path / "a.ticsheet").write_bytes(b"x")
    (tmp_path / "b.TICSHEET").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    files = collect_sheet_files([tmp_path, tmp_path / "a.ticsheet"])
    assert [f.name for f in files] == ["a.ticsheet", "b.TICSHEET"]


def test_an_error_mid_import_leaves_nothing_behind(ws: AgencyWorkspace, batch: OpenedBatch, world: World,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _pin(ws, world, "E01")
    head = ws.audit_head()

    def boom(name: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(import_pipeline, "fault_point", boom)
    with pytest.raises(OSError):
        import_sheets(ws, batch, world.identity, [world.sheets["E01"]])
    assert ws.sheets(BID) == [] and ws.import_log(BID) == [] and ws.audit_head() == head
    assert not list((ws.folder / "sheets").glob("*"))
    monkeypatch.undo()
    assert [o.status for o in import_sheets(ws, batch, world.identity, [world.sheets["E01"]])] == ["accepted"]
    ws.verify_audit_chain()


_KILL = """
import sys
from pathlib import Path
from tic_desktop.agency.workspace import AgencyWorkspace
from tic_desktop.agency.importer import import_sheets
ws = AgencyWorkspace.open(Path(sys.argv[1]))
identity = Path(sys.argv[2]).read_text()
batch = ws.open_batch("TJTIC-2026-01", identity)
import_sheets(ws, batch, identity, [Path(sys.argv[3])])
"""


def test_a_kill_mid_import_leaves_the_workspace_as_before(ws: AgencyWorkspace, world: World,
                                                          tmp_path: Path) -> None:
    _pin(ws, world, "E01")
    head = ws.audit_head()
    db = ws.path
    ws.close()
    identity = tmp_path / "agency.agekey"
    identity.write_text(world.identity)
    env = {**os.environ, "TIC_FAULT": "mid_import"}
    r = subprocess.run([sys.executable, "-c", _KILL, str(db), str(identity), str(world.sheets["E01"])],
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 137, r.stderr
    with AgencyWorkspace.open(db) as again:
        assert again.sheets(BID) == [] and again.import_log(BID) == []
        assert again.verify_audit_chain() == head
        batch = again.open_batch(BID, world.identity)
        with batch:
            outs = import_sheets(again, batch, world.identity, [world.sheets["E01"]])
        assert [o.status for o in outs] == ["accepted"]
        assert [r.state for r in again.sheets(BID)] == ["current"]


@pytest.mark.parametrize(
    ("seq", "supersedes", "audit", "stored", "expected"),
    [
        (1, None, 5, [], ("accepted", "first", None)),
        (2, "a" * 64, 9, [("a" * 64, 1, 5)], ("accepted", "linked", 1)),
        (2, "f" * 64, 9, [("a" * 64, 1, 5)], ("accepted", "gap", 1)),
        (1, None, 3, [("b" * 64, 2, 9)], ("older", "first", None)),
        (1, None, 6, [("a" * 64, 1, 5)], ("conflict", "first", None)),
        (3, "a" * 64, 9, [("a" * 64, 1, 5)], ("rejected", "gap", None)),
        (2, "a" * 64, 5, [("a" * 64, 1, 5)], ("rejected", "linked", None)),
        (1, None, 9, [("b" * 64, 2, 8)], ("rejected", "first", None)),
    ],
)
def test_classify_replay_rules(seq: int, supersedes: str | None, audit: int,
                               stored: list[tuple[str, int, int]], expected: tuple[str, str, int | None]) -> None:
    revisions = [{"sheet_sha256": s, "sheet_seq": q, "supersedes": None, "audit_seq": a} for s, q, a in stored]
    d = classify(seq, supersedes, audit, revisions)
    assert (d.status, d.chain, d.superseded_seq) == expected


def test_a_batch_file_offered_as_a_sheet_is_named_as_a_batch(tmp_path: Path) -> None:
    from tic_desktop.agency.import_outcome import looks_like_batch as _looks_like_batch
    from tic_desktop.demo import write_demo_batch

    batch = write_demo_batch(tmp_path / "demo")
    renamed = tmp_path / "returned.ticsheet"
    renamed.write_bytes(batch.read_bytes())
    assert _looks_like_batch(batch, batch.read_bytes())
    assert _looks_like_batch(renamed, renamed.read_bytes())  # by content, whatever its name
    assert not _looks_like_batch(tmp_path / "E01.ticsheet", b"age-encryption.org/v1\n...")
