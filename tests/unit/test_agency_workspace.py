"""The agency workspace: batches, pins, chair decisions, opinions, the audit chain; consolidation inputs."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pyrage
import pytest

from tests.unit.agency_world import World, make_world
from tic_desktop.agency.importer import import_sheets
from tic_desktop.agency.inputs import consolidate_workspace, consolidation_inputs
from tic_desktop.agency.schema import AGENCY_SCHEMA_VERSION
from tic_desktop.agency.workspace import AgencyWorkspace
from tic_desktop.core.consolidation import VetoDecision
from tic_desktop.core.errors import Rejected
from tic_desktop.core.panel_opinion import PanelOpinion
from tic_desktop.formats.demo_key import DEMO_AGENCY_FINGERPRINT
from tic_desktop.storage.errors import StorageError
from tic_desktop.storage.workspace import Workspace

BID = "TJTIC-2026-01"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    # E02 withdraws from TJ-SB-02 on the sheet; E04 has a known conflict with TJ-BM-04 in the demo batch
    return make_world(tmp_path_factory.mktemp("agency-ws"), ("E02", "E04"), conflicts={("E02", "TJ-SB-02")})


@pytest.fixture
def ws(tmp_path: Path, world: World) -> AgencyWorkspace:
    w = AgencyWorkspace.open(tmp_path / "agency" / "agency.db")
    w.add_batch(world.batch_path, world.identity, own_fingerprint=DEMO_AGENCY_FINGERPRINT, allow_demo=True)
    yield w
    w.close()


def test_add_batch_keeps_a_copy_and_is_idempotent(ws: AgencyWorkspace, world: World) -> None:
    [info] = ws.batches()
    assert (info.batch_id, info.kind, info.experts, info.proposals) == (BID, "feasibility_review", 7, 6)
    assert info.path.is_file() and info.path.read_bytes() == world.batch_path.read_bytes()
    assert ws.add_batch(world.batch_path, world.identity, own_fingerprint=DEMO_AGENCY_FINGERPRINT, allow_demo=True) == info
    with ws.open_batch(BID, world.identity) as opened:
        assert opened.manifest_sha256 == world.opened.manifest_sha256
    assert [e.action for e in ws.audit_events()] == ["schema.migrate"] * AGENCY_SCHEMA_VERSION + ["batch.add"]


def test_a_batch_of_another_agency_is_refused(tmp_path: Path, world: World) -> None:
    other = pyrage.x25519.Identity.generate()
    with AgencyWorkspace.open(tmp_path / "a.db") as w, pytest.raises(Rejected) as err:
        w.add_batch(world.batch_path, f"# other agency\n{other}\n", own_fingerprint=DEMO_AGENCY_FINGERPRINT, allow_demo=True)
    assert err.value.code == "agency.not_own_batch"


def test_a_batch_encrypted_to_experts_is_also_readable_by_the_agency(tmp_path: Path, world: World) -> None:
    from tic_desktop.demo import _build_demo, demo_agency_dir
    from tic_desktop.formats import keys as agency_keys
    from tic_desktop.formats.batch import read_batch, write_batch

    expert = pyrage.x25519.Identity.generate()
    spec = _build_demo(tmp_path / "src", "feasibility_review")[1]
    out = tmp_path / "for-expert.ticbatch"
    write_batch(out, spec, agency_keys.load_agency_keys(demo_agency_dir()), recipients=[str(expert.to_public())])
    read_batch(out, identity=str(expert)).close()  # the expert still opens it
    with AgencyWorkspace.open(tmp_path / "a.db") as w:
        info = w.add_batch(out, world.identity, own_fingerprint=DEMO_AGENCY_FINGERPRINT, allow_demo=True)
        w.open_batch(info.batch_id, world.identity).close()


def test_an_expert_workspace_is_not_an_agency_workspace(tmp_path: Path) -> None:
    Workspace.open(tmp_path / "workspace.db").close()
    with pytest.raises(StorageError) as err:
        AgencyWorkspace.open(tmp_path / "workspace.db")
    assert err.value.code == "db.foreign"


def test_pins_refuse_a_second_key_and_bad_input(ws: AgencyWorkspace, world: World) -> None:
    fp = world.keys["E02"].fingerprint
    ws.pin(BID, "E02", fp, "enrolment")
    ws.pin(BID, "E02", fp, "manual")
    assert ws.pins(BID)["E02"].source == "enrolment"
    for args, code in [(("E02", world.keys["E04"].fingerprint), "pin.conflict"),
                       (("E99", fp), "pin.unknown_expert"),
                       (("E03", "SHA256:short"), "pin.bad_fingerprint")]:
        with pytest.raises(Rejected) as err:
            ws.pin(BID, *args, "manual")
        assert err.value.code == code
    assert list(ws.pins(BID)) == ["E02"]
    assert [e.action for e in ws.audit_events()].count("expert.pin") == 1


def test_veto_decisions_and_opinions_round_trip_audited(ws: AgencyWorkspace) -> None:
    key = ("TJ-AI-01", "feasibility_review", "v1")
    with pytest.raises(Rejected):
        ws.set_veto_decision(BID, key, VetoDecision(confirmed=True, reason=" "))
    ws.set_veto_decision(BID, key, VetoDecision(confirmed=True, reason="预算造假", decided_by="组长"))
    ws.set_veto_decision(BID, key, VetoDecision(confirmed=False, reason="复核后不成立", decided_by="组长"))
    got = ws.veto_decisions(BID)[key]
    assert (got.confirmed, got.reason, got.decided_by) == (False, "复核后不成立", "组长") and got.decided_at
    last = ws.audit_events()[-1]
    assert last.action == "veto.decide" and last.data["previous"] == {"confirmed": True, "reason": "预算造假"}
    ws.save_opinion(BID, "TJ-AI-01", "feasibility_review", PanelOpinion(overall="方案可行", chair_name="张三"))
    op = ws.opinions(BID)[("TJ-AI-01", "feasibility_review")]
    assert op.overall == "方案可行" and op.chair_name == "张三" and op.written_at
    ws.verify_audit_chain()


def test_stored_sheets_cannot_be_overwritten(ws: AgencyWorkspace, world: World) -> None:
    ws.pin(BID, "E02", world.keys["E02"].fingerprint, "enrolment")
    with ws.open_batch(BID, world.identity) as batch:
        import_sheets(ws, batch, world.identity, [world.sheets["E02"]])
    conn = sqlite3.connect(ws.path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="never overwritten"):
            conn.execute("UPDATE sheets SET sheet_seq = 9")
        with pytest.raises(sqlite3.DatabaseError, match="never deleted"):
            conn.execute("DELETE FROM sheets")
    finally:
        conn.close()


def test_inputs_sort_experts_into_entries_conflicted_and_missing(world: World) -> None:
    sheets = [world.read(world.sheets[e]).sheet for e in ("E02", "E04")]
    inputs = consolidation_inputs(world.opened, sheets)
    assert [(i.proposal_id, i.form.id) for i in inputs][:2] == [("TJ-AI-01", "feasibility_review"),
                                                                 ("TJ-AI-01", "rd_capacity_project")]
    assert len(inputs) == 12
    by = {(i.proposal_id, i.form.id): i for i in inputs}
    sb = by[("TJ-SB-02", "feasibility_review")]
    assert [e.expert_id for e in sb.entries] == ["E04"] and sb.conflicted == ("E02",)
    assert sb.missing == ("E01", "E03", "E05", "E06", "E07")
    bm = by[("TJ-BM-04", "feasibility_review")]
    assert [e.expert_id for e in bm.entries] == ["E02"] and bm.conflicted == ("E04",)
    ai = by[("TJ-AI-01", "feasibility_review")]
    e2 = next(e for e in ai.entries if e.expert_id == "E02")
    fe = next(f for f in sheets[0].proposal("TJ-AI-01").forms if f.form_id == "feasibility_review")
    assert e2.total == fe.total and e2.raw_total == fe.raw_total and isinstance(e2.total, Decimal)
    assert e2.scores == {c.id: c.score for c in fe.criteria if c.score is not None}
    assert e2.not_applicable == frozenset(c.id for c in fe.criteria if c.not_applicable)
    assert e2.conclusion == fe.conclusion and e2.expert_name == world.opened.manifest.expert("E02").name
    assert ai.rule == world.opened.manifest.consolidation["feasibility_review"]


def test_consolidate_workspace_uses_the_current_sheets(ws: AgencyWorkspace, world: World) -> None:
    for eid in ("E02", "E04"):
        ws.pin(BID, eid, world.keys[eid].fingerprint, "enrolment")
    with ws.open_batch(BID, world.identity) as batch:
        import_sheets(ws, batch, world.identity, [world.sheets["E02"], world.sheets["E04"]])
        result = consolidate_workspace(ws, batch)
    r = result.result("TJ-AI-01", "feasibility_review")
    sheets = {e: world.read(world.sheets[e]).sheet for e in ("E02", "E04")}
    totals = sorted(next(f.total for f in sheets[e].proposal("TJ-AI-01").forms if f.form_id == "feasibility_review")
                    for e in ("E02", "E04"))
    assert r.valid_sheets == 2 and sorted(x.total for x in r.experts) == totals
    assert set(r.missing) == {"E01", "E03", "E05", "E06", "E07"}
