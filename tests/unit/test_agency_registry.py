"""The agency's expert registry (issue 11): one key per expert across batches, revoke and rotate, first use
only for keys nothing else claims, the agency's own signature on every batch it reads, and the v1 pins kept
by the migration. Each attack is performed as an attacker would: a fresh key re-signing a genuine sheet."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.agency_world import World, make_world, resign
from tic_desktop.agency.importer import import_sheets
from tic_desktop.agency.workspace import AgencyWorkspace
from tic_desktop.core.errors import Rejected
from tic_desktop.formats.demo_key import DEMO_AGENCY_FINGERPRINT
from tic_desktop.simulate import make_key

BID = "TJTIC-2026-01"
DEMO = {"own_fingerprint": DEMO_AGENCY_FINGERPRINT, "allow_demo": True}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(tmp_path_factory.mktemp("registry"), ("E01", "E02", "E03"))


@pytest.fixture(scope="module")
def forged(world: World, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """E01's, E02's and E03's genuine sheets re-signed by ONE attacker key (in each expert's name)."""
    attacker = make_key("X")
    out = tmp_path_factory.mktemp("forged")
    return {eid: resign(world, world.sheets[eid], out / f"{eid}.ticsheet", key=attacker) for eid in ("E01", "E02", "E03")}


@pytest.fixture()
def ws(tmp_path: Path, world: World):  # noqa: ANN201
    w = AgencyWorkspace.open(tmp_path / "agency" / "agency.db")
    w.add_batch(world.batch_path, world.identity, **DEMO)
    yield w
    w.close()


def _state(ws: AgencyWorkspace) -> tuple[int, list[tuple[str, str, bool]]]:
    return len(ws.sheets(BID)), [(k.expert_id, k.fingerprint, k.active) for k in ws.expert_keys()]


def test_a_key_belongs_to_one_expert_in_every_door(ws: AgencyWorkspace, world: World) -> None:
    fp1 = world.keys["E01"].fingerprint
    ws.pin(BID, "E01", fp1, "enrolment")
    before = _state(ws)
    with pytest.raises(Rejected) as err:  # the paper sheet typed for the wrong expert
        ws.pin(BID, "E02", fp1, "enrolment")
    assert err.value.code == "pin.key_taken"
    with pytest.raises(Rejected) as err:  # across batches too: no batch needed to enrol
        ws.enrol("E77", fp1, "manual")
    assert err.value.code == "pin.key_taken"
    from tic_desktop.formats.sheet import allowed_signers_line

    shared = "\n".join(allowed_signers_line(eid, world.keys["E02"].signing_key.public_key()) for eid in ("E02", "E03"))
    with pytest.raises(Rejected) as err:  # one allowed_signers file naming one key for two experts
        ws.pin_allowed_signers(BID, shared)
    assert err.value.code == "pin.shared_key"
    assert _state(ws) == before


def test_a_second_expert_presenting_an_enrolled_key_is_refused_on_import(ws: AgencyWorkspace, world: World,
                                                                        forged: dict[str, Path]) -> None:
    attacker_fp = world.read(forged["E01"]).signer_fingerprint
    ws.pin(BID, "E01", attacker_fp, "manual")  # suppose the attacker's key got enrolled for E01
    outs = import_sheets(ws, world.opened, world.identity, [forged["E02"], forged["E03"]], trust_first_use=True)
    assert [o.code for o in outs] == ["sheet.key_of_other_expert"] * 2
    assert [o.status for o in outs] == ["rejected", "rejected"]
    assert ws.sheets(BID) == [] and set(ws.pins(BID)) == {"E01"}


def test_first_use_never_lets_one_key_sign_for_several_experts(ws: AgencyWorkspace, world: World,
                                                               forged: dict[str, Path]) -> None:
    outs = import_sheets(ws, world.opened, world.identity, [forged["E01"], forged["E02"], forged["E03"]],
                         trust_first_use=True)
    assert [(o.status, o.code) for o in outs] == [("rejected", "pin.first_use_ambiguous")] * 3
    assert _state(ws) == (0, [])


def test_a_forged_sheet_sorting_first_cannot_take_the_experts_place(ws: AgencyWorkspace, world: World,
                                                                    forged: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "A-E01.ticsheet").write_bytes(forged["E01"].read_bytes())  # sorts before the genuine one
    (folder / "E01.ticsheet").write_bytes(world.sheets["E01"].read_bytes())
    (folder / "E02.ticsheet").write_bytes(world.sheets["E02"].read_bytes())
    outs = import_sheets(ws, world.opened, world.identity, [folder], trust_first_use=True)
    got = {o.file_name: (o.status, o.code) for o in outs}
    assert got == {"A-E01.ticsheet": ("rejected", "pin.first_use_ambiguous"),
                   "E01.ticsheet": ("rejected", "pin.first_use_ambiguous"), "E02.ticsheet": ("accepted", None)}
    assert {k.expert_id: k.source for k in ws.expert_keys()} == {"E02": "first_use"}
    # the agency checks E01's enrolment sheet and enrols the genuine key: now it imports, the forgery never
    ws.pin(BID, "E01", world.keys["E01"].fingerprint, "enrolment")
    outs = import_sheets(ws, world.opened, world.identity, [folder], trust_first_use=True)
    got = {o.file_name: (o.status, o.code) for o in outs}
    assert got["E01.ticsheet"] == ("accepted", None) and got["A-E01.ticsheet"] == ("rejected", "sheet.key_mismatch")


def test_the_trust_button_refuses_a_key_when_another_claims_the_expert(ws: AgencyWorkspace, world: World,
                                                                        forged: dict[str, Path]) -> None:
    outs = import_sheets(ws, world.opened, world.identity, [forged["E01"], world.sheets["E01"]])
    assert [o.status for o in outs] == ["unpinned", "unpinned"]
    for o in outs:  # 一致，信任此密钥 on either row: refused, nothing pinned
        with pytest.raises(Rejected) as err:
            ws.trust_first_use(BID, "E01", o.fingerprint or "")
        assert err.value.code == "pin.first_use_ambiguous"
    assert ws.pins(BID) == {}
    [clean] = import_sheets(ws, world.opened, world.identity, [world.sheets["E02"]])
    ws.trust_first_use(BID, "E02", clean.fingerprint or "")  # nothing else claims E02 or its key
    assert ws.pins(BID)["E02"].source == "first_use"


def test_enrolled_once_valid_in_every_later_batch_until_rotated_or_revoked(tmp_path: Path, world: World) -> None:
    from tic_desktop.demo import write_demo_batch

    later = write_demo_batch(tmp_path / "later", "periodic_assessment")  # another batch of the same agency
    with AgencyWorkspace.open(tmp_path / "a" / "agency.db") as w:
        w.add_batch(world.batch_path, world.identity, **DEMO)
        info = w.add_batch(later, world.identity, **DEMO)
        w.pin(BID, "E01", world.keys["E01"].fingerprint, "enrolment")
        assert w.pins(info.batch_id)["E01"].fingerprint == world.keys["E01"].fingerprint
        new = make_key("E01")
        w.rotate_key("E01", new.fingerprint, "新电脑")
        assert w.pins(BID)["E01"].fingerprint == new.fingerprint
        [out] = import_sheets(w, world.opened, world.identity, [world.sheets["E01"]])
        assert (out.status, out.code) == ("rejected", "sheet.key_revoked")
        with pytest.raises(Rejected) as err:  # a rotated key never comes back
            w.rotate_key("E01", world.keys["E01"].fingerprint, "再换回来")
        assert err.value.code == "pin.key_revoked"
        w.revoke_key("E01", "电脑丢失")
        assert "E01" not in w.pins(BID)
        assert [(k.end_reason, k.note) for k in w.expert_keys("E01")] == [("rotated", "新电脑"), ("revoked", "电脑丢失")]
        actions = [e.action for e in w.audit_events()]
        assert "expert.key_rotate" in actions and "expert.key_revoke" in actions
        with pytest.raises(sqlite3.DatabaseError):  # the schema keeps the history: no key is ever deleted
            w._connection().execute("DELETE FROM expert_keys")


def test_the_agency_refuses_a_batch_not_signed_by_its_own_key(tmp_path: Path, world: World) -> None:
    from tic_desktop.formats.keys import create_agency_keys

    real = create_agency_keys(tmp_path / "agency" / "keys")
    with AgencyWorkspace.open(tmp_path / "agency" / "agency.db") as w:
        for kwargs, code in [({}, "agency.demo_batch"),  # default: the key in <folder>/keys/ (a real agency)
                             ({"own_fingerprint": real.fingerprint}, "agency.demo_batch"),
                             ({"own_fingerprint": DEMO_AGENCY_FINGERPRINT}, "agency.demo_batch")]:  # not a demo
            with pytest.raises(Rejected) as err:
                w.add_batch(world.batch_path, world.identity, **kwargs)
            assert err.value.code == code
        assert w.batches() == []
    with AgencyWorkspace.open(tmp_path / "nokeys" / "agency.db") as w, pytest.raises(Rejected) as err:
        w.add_batch(world.batch_path, world.identity)
    assert err.value.code == "agency.own_key_unknown"


def test_v1_pins_are_kept_by_the_migration(tmp_path: Path, world: World) -> None:
    from tic_desktop.agency import schema

    db = tmp_path / "old" / "agency.db"
    db.parent.mkdir()
    conn = sqlite3.connect(db)
    schema._to_v1(conn)
    conn.execute("INSERT INTO batches VALUES ('B1', ?, 't', 't', 'feasibility_review', 'SHA256:x', 'age1x', "
                 "'[\"E01\",\"E02\"]', '[]', ?, 1, '2026-01-01T00:00:00Z')", ("ab" * 32, "cd" * 32))
    k1, k2, k3 = (make_key(e).fingerprint for e in ("E01", "E01b", "E02"))
    conn.executemany("INSERT INTO expert_pins VALUES ('B1', ?, ?, ?, ?)", [
        ("E01", k1, "enrolment", "2026-01-01T00:00:01Z"), ("E02", k3, "first_use", "2026-01-01T00:00:02Z")])
    conn.execute("PRAGMA user_version = 1")
    conn.execute(f"PRAGMA application_id = {schema.AGENCY_APPLICATION_ID}")
    conn.commit()
    conn.close()
    with AgencyWorkspace.open(db) as w:
        assert {e: (p.fingerprint, p.source) for e, p in w.pins("B1").items()} == {
            "E01": (k1, "enrolment"), "E02": (k3, "first_use")}
        rows = w.query("SELECT expert_id, fingerprint FROM expert_pins ORDER BY expert_id")
        assert [(r["expert_id"], r["fingerprint"]) for r in rows] == [("E01", k1), ("E02", k3)]  # the v1 table stays
        with pytest.raises(Rejected):
            w.enrol("E02", k2, "manual")  # E02 has its key: another one is a conflict


# ── the property: whatever keys the experts' sheets carry, no key gets two experts in ───────────────

PROPERTY = settings(max_examples=12, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def pool(world: World, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int], Path]:
    """Each of E01–E03's sheets signed by each of three keys (key 0 is E01's own, 1 and 2 strangers)."""
    out = tmp_path_factory.mktemp("pool")
    keys = [world.keys["E01"], make_key("K1"), make_key("K2")]
    files = {}
    for eid in ("E01", "E02", "E03"):
        for n, key in enumerate(keys):
            files[(eid, n)] = resign(world, world.sheets[eid], out / f"{eid}-k{n}.ticsheet", key=key)
    return files


@PROPERTY
@given(assignment=st.lists(st.tuples(st.sampled_from(("E01", "E02", "E03")), st.integers(0, 2)),
                           min_size=1, max_size=5, unique=True),
       enrolled=st.sampled_from((None, 0, 1)), first_use=st.booleans())
def test_accepted_sheets_never_include_two_experts_signed_by_one_key(
        tmp_path_factory: pytest.TempPathFactory, world: World, pool: dict[tuple[str, int], Path],
        assignment: list[tuple[str, int]], enrolled: int | None, first_use: bool) -> None:
    from tic_desktop.formats.sheet import read_sheet

    with AgencyWorkspace.open(tmp_path_factory.mktemp("prop") / "agency.db") as w:
        w.add_batch(world.batch_path, world.identity, **DEMO)
        if enrolled is not None:  # sometimes E01 is enrolled beforehand, with its own key or a stranger's
            w.pin(BID, "E01", read_sheet(pool[("E01", enrolled)], world.opened, identity=world.identity)
                  .signer_fingerprint, "enrolment")
        import_sheets(w, world.opened, world.identity, [pool[a] for a in assignment], trust_first_use=first_use)
        experts_of: dict[str, set[str]] = {}
        for r in w.sheets(BID):
            experts_of.setdefault(r.fingerprint, set()).add(r.expert_id)
        assert all(len(e) == 1 for e in experts_of.values()), experts_of
        keys = [k.fingerprint for k in w.expert_keys()]
        assert len(keys) == len(set(keys))
