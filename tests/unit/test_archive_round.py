"""The archive of an evaluation round: every batch of the round under batches/<batch_id>/, the round's
record and files; verified, refused when tampered, and restored to the same round.csv and results.csv."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.round_world import RoundWorld, make_round_world
from tests.unit.test_archive import members, rezip
from tic_desktop.agency import round_store
from tic_desktop.agency import service as svc
from tic_desktop.agency.archive import ArchiveSource, write_archive
from tic_desktop.agency.archive_restore import restore_archive
from tic_desktop.agency.archive_verify import verify_archive
from tic_desktop.agency.service import round as round_svc
from tic_desktop.agency.workspace import AgencyWorkspace
from tic_desktop.core.errors import Rejected
from tic_desktop.core.round_results import FinalDecision
from tic_desktop.formats.keys import load_agency_keys


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> RoundWorld:
    return make_round_world(tmp_path_factory.mktemp("round-archive"))


def test_a_round_archive_round_trips(world: RoundWorld, tmp_path: Path) -> None:
    identity = world.identity.read_text("utf-8")
    keys = load_agency_keys(world.agency)
    ws = svc.open_workspace(tmp_path / "ws" / "agency.db", check_location=False)
    try:
        for path in world.batches:
            info = svc.add_batch(ws, path, identity, own_fingerprint=keys.fingerprint)
            ws.pin_allowed_signers(info.batch_id, world.allowed_signers.read_text("ascii"))
            with svc.open_batch(ws, info.batch_id, identity) as batch:
                svc.import_files(ws, batch, identity, [world.sheets[info.batch_id]])
        round_store.create_round(ws, "R2027", "2027 年度专业性技术创新中心评估", 2027)
        for b in world.batch_ids:
            round_store.add_batch(ws, "R2027", b)
        first = world.batch_ids[0]
        pid = json.loads(ws.query("SELECT proposal_ids FROM batches WHERE batch_id = ?", (first,))[0]["proposal_ids"])[0]
        round_store.record_decision(ws, "R2027", FinalDecision(first, pid, "2027-07-01", "同意", "津科〔2027〕1号"))
        number = round_store.record_objection(ws, "R2027", first, pid, "objection", "2027-06-20", "某单位", "对排名有异议")
        round_store.settle_objection(ws, "R2027", number, "维持原结论", "2027-06-28")
        round_store.set_notice(ws, "R2027", "公示期五个工作日。")
        report = round_svc.round_report(ws, "R2027", identity)
        round_svc.write_round_exports(tmp_path / "out", report)
        out = tmp_path / "R2027.ticarchive"
        write_archive(out, ArchiveSource(ws, reports_dir=tmp_path / "out", round_id="R2027"), keys)
    finally:
        ws.close()

    content = members(out)
    manifest = json.loads(content["manifest.json"])
    assert manifest["round_id"] == "R2027" and manifest["batch_id"] is None
    assert manifest["batch_ids"] == world.batch_ids
    for b in world.batch_ids:
        assert f"batches/{b}/batch/{b}.ticbatch" in content
        assert f"batches/{b}/reports/results.csv" in content and f"batches/{b}/sheets.json" in content
    assert {"round.json", "reports/round.csv", "audit_log.jsonl"} <= set(content)
    record = json.loads(content["round.json"])
    assert record["decisions"][0]["document_number"] == "津科〔2027〕1号"
    assert record["objections"][0]["outcome"] == "维持原结论"
    with verify_archive(out, expect_fingerprint=keys.fingerprint) as v:
        assert v.round_id == "R2027" and v.batch_ids == world.batch_ids

    restored = restore_archive(out, identity, tmp_path / "restored")
    assert restored.results_identical is True and not restored.differing
    assert (tmp_path / "restored" / "round.csv").read_bytes() == (tmp_path / "out" / "round.csv").read_bytes()
    for b in world.batch_ids:
        assert ((tmp_path / "restored" / b / "results.csv").read_bytes()
                == (tmp_path / "out" / b / "results.csv").read_bytes())
    with AgencyWorkspace.open(tmp_path / "restored" / "agency" / "agency.db", check_location=False) as again:
        assert round_store.decisions(again, "R2027")[0].document_number == "津科〔2027〕1号"
        assert round_store.objections(again, "R2027")[0].outcome == "维持原结论"
        assert round_store.notice(again, "R2027") == "公示期五个工作日。"

    # one batch's result file changed inside the round archive
    content[f"batches/{first}/reports/results.csv"] += b"X\r\n"
    with pytest.raises(Rejected) as err:
        verify_archive(rezip(tmp_path / "t.ticarchive", content)).close()
    assert err.value.code == "archive.member_hash"
