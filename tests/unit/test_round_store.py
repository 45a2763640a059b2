"""The round in the agency workspace: migration from a real v4 file (v4 → v5 scans → v6 rounds), the round's records
(audited), and the round built on the agency service from two real panels' sheets."""

from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from tests.round_world import RoundWorld, make_round_world
from tic_desktop.agency import round_store
from tic_desktop.agency import service as svc
from tic_desktop.agency.round_csv import ROUND_COLUMNS, read_previous_csv
from tic_desktop.agency.schema import AGENCY_SCHEMA_VERSION
from tic_desktop.agency.service import round as round_svc
from tic_desktop.agency.workspace import AgencyWorkspace
from tic_desktop.agency.workspace import signing_fingerprint as _fp
from tic_desktop.core.errors import Rejected
from tic_desktop.core.round_results import FinalDecision


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> RoundWorld:
    return make_round_world(tmp_path_factory.mktemp("round"))


def _ws_with_batches(world: RoundWorld, folder: Path) -> tuple[AgencyWorkspace, str]:
    ws = svc.open_workspace(folder / "agency.db", check_location=False)
    identity = world.identity.read_text("utf-8")
    own = _fp(world.agency)
    for path in world.batches:
        info = svc.add_batch(ws, path, identity, own_fingerprint=own)
        ws.pin_allowed_signers(info.batch_id, world.allowed_signers.read_text("ascii"))
        with svc.open_batch(ws, info.batch_id, identity) as batch:
            outcomes = svc.import_files(ws, batch, identity, [world.sheets[info.batch_id]])
            assert all(o.status == "accepted" for o in outcomes), outcomes
    return ws, identity


class _V4(AgencyWorkspace):
    schema_version = 4


def test_a_v4_agency_workspace_migrates_to_the_round_schema_keeping_everything(world: RoundWorld, tmp_path: Path) -> None:
    assert AGENCY_SCHEMA_VERSION >= 6
    identity = world.identity.read_text("utf-8")
    old = _V4.open(tmp_path / "agency.db", check_location=False)
    info = old.add_batch(world.batches[0], identity, own_fingerprint=_fp(world.agency))
    old.close()
    conn = sqlite3.connect(tmp_path / "agency.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
    assert not conn.execute("SELECT name FROM sqlite_master WHERE name = 'rounds'").fetchone()
    conn.close()
    ws = AgencyWorkspace.open(tmp_path / "agency.db", check_location=False)
    try:
        assert [b.batch_id for b in ws.batches()] == [info.batch_id]
        migrations = [e for e in ws.audit_events() if e.action == "schema.migrate"]
        assert [e.data for e in migrations[-2:]] == [{"from": 4, "to": 5}, {"from": 5, "to": 6}]
        ws.verify_audit_chain()
        assert list((tmp_path / "backups").iterdir())  # the snapshot taken before the migration
        r = round_store.create_round(ws, "R2027", "2027 年度专业性技术创新中心评估", 2027)
        round_store.add_batch(ws, r.round_id, info.batch_id)
        assert round_store.get_round(ws, "R2027").batch_ids == (info.batch_id,)
    finally:
        ws.close()


def test_round_records_are_checked_and_audited(world: RoundWorld, tmp_path: Path) -> None:
    ws, identity = _ws_with_batches(world, tmp_path)
    try:
        b1, b2 = world.batch_ids
        with pytest.raises(Rejected) as bad:
            round_store.create_round(ws, "bad id!", "x", 2027)
        assert bad.value.code == "round.invalid"
        round_store.create_round(ws, "R2027", "2027 年度专业性技术创新中心评估", 2027)
        with pytest.raises(Rejected) as exists:
            round_store.create_round(ws, "R2027", "again", 2027)
        assert exists.value.code == "round.exists"
        round_store.add_batch(ws, "R2027", b1)
        round_store.add_batch(ws, "R2027", b2)
        round_store.add_batch(ws, "R2027", b1)  # again: no change
        round_store.create_round(ws, "OTHER", "另一轮", 2027)
        with pytest.raises(Rejected) as taken:
            round_store.add_batch(ws, "OTHER", b1)
        assert taken.value.code == "round.batch_taken"
        with pytest.raises(Rejected) as reason:
            round_store.set_official(ws, "R2027", "normalised", "  ")
        assert reason.value.code == "round.reason_required"
        report = round_svc.round_report(ws, "R2027", identity)
        pid = report.results.rows[0].proposal_id
        batch = report.results.rows[0].batch_id
        with pytest.raises(Rejected) as day:
            round_store.record_decision(ws, "R2027", FinalDecision(batch, pid, "2027/06/30", "同意"))
        assert day.value.code == "round.bad_date"
        with pytest.raises(Rejected) as center:
            round_store.record_decision(ws, "R2027", FinalDecision(batch, "NOPE", "2027-06-30", "同意"))
        assert center.value.code == "round.unknown_center"
        round_store.record_decision(ws, "R2027", FinalDecision(batch, pid, "2027-06-30", "同意评估结果",
                                                                 "津科技〔2027〕12号"))
        number = round_store.record_objection(ws, "R2027", batch, pid, "objection", "2027-06-10", "某某公司",
                                              "对评分有异议")
        round_store.settle_objection(ws, "R2027", number, "维持原结论", "2027-06-20")
        round_store.set_official(ws, "R2027", "normalised", "各组宽严不一")
        again = round_svc.round_report(ws, "R2027", identity)
        row = again.results.row(batch, pid, again.results.rows[0].form_id)
        assert row.decision is not None and row.decision.document_number == "津科技〔2027〕12号"
        assert [o.outcome for o in row.objections] == ["维持原结论"]
        assert again.results.official.basis == "normalised" and again.results.official.reason == "各组宽严不一"
        assert all("round.official_normalised" in r.flag_codes for r in again.results.rows if r.round_rank)
        stored = round_store.normalisation(ws, "R2027")
        assert stored is not None and stored == again.results.normalisation
        actions = [e.action for e in ws.audit_events()]
        for action in ("round.create", "round.add_batch", "round.decision", "round.objection",
                       "round.objection_outcome", "round.official", "round.normalisation"):
            assert action in actions
        assert actions.count("round.add_batch") == 2  # the repeat is no change, OTHER was refused
        ws.verify_audit_chain()
    finally:
        ws.close()


def test_the_round_on_the_service_ranks_both_panels_and_writes_round_csv(world: RoundWorld, tmp_path: Path) -> None:
    ws, identity = _ws_with_batches(world, tmp_path / "ws")
    try:
        round_store.create_round(ws, "R2027", "2027 年度专业性技术创新中心评估", 2027)
        for b in world.batch_ids:
            round_store.add_batch(ws, "R2027", b)
        report = round_svc.round_report(ws, "R2027", identity)
        rows = report.results.rows
        assert len(rows) == 6 and {r.batch_id for r in rows} == set(world.batch_ids)
        assert [p.batch_id for p in report.panels] == world.batch_ids
        for center_type in ("professional", "engineering"):
            ranks = sorted(r.round_rank for r in rows if r.center_type == center_type)
            assert ranks[0] == 1 and ranks == sorted(ranks)
        assert all(r.panel_rank is not None and r.lead_unit for r in rows)
        assert {p.batch_id for p in report.results.panels} == set(world.batch_ids)
        written = round_svc.write_round_exports(tmp_path / "out", report)
        names = {p.relative_to(tmp_path / "out").as_posix() for p in written}
        assert "round.csv" in names
        for b in world.batch_ids:
            assert {f"{b}/results.csv", f"{b}/scores.csv", f"{b}/results.xlsx", f"{b}/consolidated.pdf"} <= names
        assert {"round.pdf", "round.xlsx", "publication.pdf", "publication.xlsx"} <= names
        text = (tmp_path / "out" / "round.csv").read_bytes().decode("utf-8-sig")
        table = list(csv.DictReader(io.StringIO(text)))
        assert tuple(table[0]) == ROUND_COLUMNS and len(table) == 6
        assert {t["proposal_id"]: t["round_rank"] for t in table} == {r.proposal_id: str(r.round_rank) for r in rows}

        # next year: this round.csv is the previous round; a center that failed is flagged for re-assessment
        prev = read_previous_csv(tmp_path / "out" / "round.csv")
        prev = [replace(p, conclusion="fail", rectify=True, outcome="限期整改") if i == 0 else p
                for i, p in enumerate(prev)]
        round_store.create_round(ws, "R2030", "2030 年度专业性技术创新中心评估", 2030)
        round_store.import_previous(ws, "R2030", prev)
        assert round_store.previous(ws, "R2030") == sorted(
            prev, key=lambda p: (round_store.name_key(p.center_name), p.form_id))
        results = report.results
        from tic_desktop.core.round_cohort import compute_round

        panels = []
        for b in world.batch_ids:
            with ws.open_batch(b, identity) as batch:
                panels.append(round_svc.panel_input(ws, batch))
        later = compute_round(results.info, panels, previous=round_store.previous(ws, "R2030"))
        flagged = [r for r in later.rows if "previous.rectify" in r.flag_codes]
        assert {r.center_name for r in flagged} == {p.center_name for p in prev if p.rectify}
        assert prev[0].center_name in {r.center_name for r in flagged}
        assert all(r.previous is not None and r.previous.final_score == Decimal(str(r.final_score))
                   for r in later.rows if r.final_score is not None)
    finally:
        ws.close()



def test_previous_results_from_an_old_agency_workspace(world: RoundWorld, tmp_path: Path) -> None:
    old, identity = _ws_with_batches(world, tmp_path / "old")
    old.close()
    results = round_svc.previous_from_workspace(tmp_path / "old", identity)
    assert len(results) == 6 and all(p.source.startswith("workspace:") for p in results)
    with AgencyWorkspace.open(tmp_path / "old" / "agency.db", check_location=False) as ws:
        for b in world.batch_ids:
            with ws.open_batch(b, identity) as batch:
                for p in results:
                    if p.proposal_id in batch.proposals:
                        kpis = batch.proposals[p.proposal_id].kpis
                        assert [(t.kpi_id, t.target) for t in p.targets] == [(k.id, k.target) for k in kpis]
    assert all(p.rectify == (p.conclusion == "fail") for p in results)
    with pytest.raises(Rejected) as missing:
        round_svc.previous_from_workspace(tmp_path / "nowhere", identity)
    assert missing.value.code == "round.previous_workspace"


def test_the_round_exports_sign_every_pdf_with_the_agency_certificate(world: RoundWorld, tmp_path: Path) -> None:
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from tic_desktop.demo import demo_agency_dir
    from tic_desktop.formats.docsign import load_document_key

    signer = load_document_key(demo_agency_dir())
    root = asn1_x509.Certificate.load(signer.certificate.public_bytes(serialization.Encoding.DER))
    ws, identity = _ws_with_batches(world, tmp_path / "ws")
    try:
        round_store.create_round(ws, "R2027", "2027 年度专业性技术创新中心评估", 2027)
        for b in world.batch_ids:
            round_store.add_batch(ws, "R2027", b)
        report = round_svc.round_report(ws, "R2027", identity)
        written = round_svc.write_round_exports(tmp_path / "out", report, signer=signer)
    finally:
        ws.close()
    pdfs = [p for p in written if p.suffix == ".pdf"]
    names = {p.relative_to(tmp_path / "out").as_posix() for p in pdfs}
    assert {"publication.pdf", "round.pdf"} <= names and all(f"{b}/consolidated.pdf" in names for b in world.batch_ids)
    for path in pdfs:
        with path.open("rb") as fh:
            sigs = PdfFileReader(fh, strict=False).embedded_signatures
            assert len(sigs) == 1, path.name
            status = validate_pdf_signature(sigs[0], ValidationContext(trust_roots=[root]))
            assert status.intact and status.valid, path.name
    # the 公示 notice as .docx: the notice filled from the template, the agency and date at the right,
    # then the list per form and center type
    from docx import Document

    from tic_desktop.reports.publication import publication

    pub = publication(report)
    doc = Document(str(tmp_path / "out" / "publication.docx"))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0] == pub.title and pub.title.startswith("关于")
    assert paragraphs.count(pub.agency) == 1  # the template's closing {agency} line, once, at the right
    right = next(p for p in doc.paragraphs if p.text == pub.agency)
    assert right.alignment is not None and right.alignment.name == "RIGHT"
    assert len(doc.tables) == len(pub.groups)
    assert [g.heading for g in pub.groups] == [t[: t.rindex("（")] for t in paragraphs if "项）" in t]
    names = [row.cells[1].text for t in doc.tables for row in t.rows[1:]]
    assert names == [r.center_name for r in pub.rows]
