"""The round's outputs from two real panels (periodic form split into 专家组, every expert simulated):
round.pdf (cohort ranking, panel effects, normalisation flags, the official choice and its reason,
decisions and 异议/复议, then each panel's report), round.xlsx (inert cells), the 公示 list with the
agency's notice template, checked with pdftotext / pdffonts / qpdf."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.round_world import RoundWorld, make_round_world
from tic_desktop.agency import round_store
from tic_desktop.agency import service as svc
from tic_desktop.agency.service import round as round_svc
from tic_desktop.agency.workspace import signing_fingerprint
from tic_desktop.core.errors import Rejected
from tic_desktop.core.round_results import FinalDecision
from tic_desktop.reports.notice import PLACEHOLDERS, default_notice, fill_notice
from tic_desktop.reports.publication import publication
from tic_desktop.reports.round_outputs import FILES, write_round_outputs

pytestmark = pytest.mark.skipif(any(shutil.which(t) is None for t in ("pdftotext", "pdffonts", "qpdf")),
                                reason="poppler-utils and qpdf are needed")


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def _text(path: Path) -> str:
    return "".join(_run("pdftotext", "-raw", "-enc", "UTF-8", str(path), "-").split())


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> RoundWorld:
    return make_round_world(tmp_path_factory.mktemp("round"))


@pytest.fixture
def ws(world: RoundWorld, tmp_path: Path):  # noqa: ANN201
    ws = svc.open_workspace(tmp_path / "ws" / "agency.db", check_location=False)
    identity = world.identity.read_text("utf-8")
    for path in world.batches:
        info = svc.add_batch(ws, path, identity, own_fingerprint=signing_fingerprint(world.agency))
        ws.pin_allowed_signers(info.batch_id, world.allowed_signers.read_text("ascii"))
        with svc.open_batch(ws, info.batch_id, identity) as batch:
            svc.import_files(ws, batch, identity, [world.sheets[info.batch_id]])
    round_store.create_round(ws, "R2027", "2027 年度专业性技术创新中心评估", 2027)
    for b in world.batch_ids:
        round_store.add_batch(ws, "R2027", b)
    yield ws, identity
    ws.close()


def test_round_pdf_xlsx_and_publication_from_two_panels(ws, world: RoundWorld, tmp_path: Path) -> None:
    ws, identity = ws
    first = round_svc.round_report(ws, "R2027", identity).results.rows[0]
    round_store.record_decision(ws, "R2027", FinalDecision(first.batch_id, first.proposal_id, "2027-07-01",
                                                           "同意评估结论", "津科发〔2027〕12号"))
    oid = round_store.record_objection(ws, "R2027", first.batch_id, first.proposal_id, "objection", "2027-06-20",
                                       "=HYPERLINK(\"http://x\")", "对得分有异议")
    round_store.settle_objection(ws, "R2027", oid, "维持原结论", "2027-06-28")
    round_store.set_official(ws, "R2027", "normalised", "各组评分尺度差异明显，经专家委员会讨论采用标准化排名")
    round_store.set_notice(ws, "R2027", "关于{round_title}结果的公示\n公示期：2027年6月20日至6月26日。联系人：王老师 022-12345678\n"
                                        "{agency}\n{date}")
    report = round_svc.round_report(ws, "R2027", identity, generated_at="2027-06-19T10:00:00+08:00")
    written = round_svc.write_round_exports(tmp_path / "out", report)
    out = tmp_path / "out"
    assert {p.name for p in written} >= set(FILES) | {"round.csv"}
    for name in ("round.pdf", "publication.pdf"):
        pdf = out / name
        assert "No syntax or stream encoding errors" in _run("qpdf", "--check", str(pdf))
        fonts = _run("pdffonts", str(pdf)).splitlines()[2:]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # every font embedded

    text = _text(out / "round.pdf")
    for words in ("评审轮次汇总报告", "2027年度专业性技术创新中心评估", "全轮排名", "专家组效应", "各专家与本组比较",
                  "标准化与正式排名", "采用标准化排名", "各组评分尺度差异明显", "津科发〔2027〕12号", "维持原结论"):
        assert words.replace(" ", "") in text, words
    for b in world.batch_ids:  # each panel's own report follows
        assert b in text
    assert text.count("专家评审汇总报告") >= len(world.batch_ids)
    changed = [r for r in report.results.rows if "normalised.conclusion_differs" in r.flag_codes]
    if changed:
        assert f"按标准化得分结论会改变的项目（{len(changed)}项）" in text
    for r in report.results.rows:
        assert r.center_name in text

    wb = load_workbook(out / "round.xlsx")
    assert wb.sheetnames == ["排名", "专家组", "专家", "决定与异议"]
    ranking = list(wb["排名"].iter_rows(values_only=True))
    assert ranking[0][:4] == ("全轮排名", "专家组（批次）", "项目编号", "中心名称")
    assert len(ranking) == 1 + len(report.results.rows)
    assert {row[2] for row in ranking[1:]} == {r.proposal_id for r in report.results.rows}
    objection = [row for row in wb["决定与异议"].iter_rows(values_only=True) if row[0] == "异议"][0]
    assert objection[8] == "'=HYPERLINK(\"http://x\")"  # inert: quoted, a string cell
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f"
    assert len(list(wb["专家"].iter_rows())) - 1 == sum(len(p.experts) for p in report.results.panels)

    pub = _text(out / "publication.pdf")
    assert "关于2027年度专业性技术创新中心评估结果的公示" in pub
    assert "联系人：王老师022-12345678" in pub and "2027年6月19日" in pub
    for r in report.results.rows:
        assert r.center_name in pub and r.lead_unit in pub
        assert str(r.final_score) not in pub  # the list carries no scores
    wb = load_workbook(out / "publication.xlsx")
    assert wb.sheetnames == ["公示名单", "公示说明"]
    rows = list(wb["公示名单"].iter_rows(min_row=3, values_only=True))
    assert rows[0][:6] == ("序号", "中心名称", "依托单位", "中心类型", "评估结论", "处理意见")
    official = {r.center_name: r.conclusion_label.zh for r in report.results.rows if r.conclusion_label}
    assert {row[1]: row[4] for row in rows[1:] if row[1] in official} == official


def test_the_default_notice_fills_every_placeholder_and_an_unknown_one_refuses_the_export(ws, tmp_path: Path) -> None:
    ws, identity = ws
    text = default_notice()
    assert "{agency}" in text and "{round_title}" in text
    filled = fill_notice("", {k: f"<{k}>" for k in PLACEHOLDERS})
    assert "{" not in filled and "<round_title>" in filled
    assert fill_notice("{{ {year} }}", {"year": 2027}) == "{ 2027 }"
    report = round_svc.round_report(ws, "R2027", identity)
    pub = publication(report)
    assert pub.title.startswith("关于2027 年度专业性技术创新中心评估") and pub.agency
    assert sum(len(g.rows) for g in pub.groups) == len(report.results.rows)
    round_store.set_notice(ws, "R2027", "关于{round_titel}的公示")
    bad = round_svc.round_report(ws, "R2027", identity)
    for write in (write_round_outputs, round_svc.write_round_exports):
        with pytest.raises(Rejected) as exc:
            write(tmp_path / "bad", bad)
        assert exc.value.code == "notice.unknown_placeholder" and "round_titel" in str(exc.value)
        assert not (tmp_path / "bad").exists() or not any((tmp_path / "bad").iterdir())


def test_the_previous_round_prints_beside_this_one_with_the_centers_to_reassess_and_the_last_targets(
        ws, tmp_path: Path) -> None:
    ws, identity = ws
    db = tmp_path / "ws" / "agency.db"
    previous = round_svc.previous_from_workspace(db, identity)  # this workspace as "last year's"
    previous = [replace(p, rectify=True, outcome="限期整改") if i == 0 else p for i, p in enumerate(previous)]
    round_store.import_previous(ws, "R2027", previous)
    report = round_svc.round_report(ws, "R2027", identity)
    write_round_outputs(tmp_path / "out", report)
    text = _text(tmp_path / "out" / "round.pdf")
    assert "上轮结果（同比）" in text and "须复评" in text
    assert f"已导入上一轮{len(previous)}项结果" in text
    with_targets = [r for r in report.results.rows if r.targets_item and r.previous and r.previous.targets]
    if with_targets:
        r = with_targets[0]
        assert f"（第{r.targets_item}项）：{r.previous.targets[0].name}" in text


def test_awards_print_in_the_publication_when_the_form_has_them(ws) -> None:
    ws, identity = ws
    report = round_svc.round_report(ws, "R2027", identity)
    pub = publication(report)
    professional = [g for g in pub.groups if g.center_type == "professional"]
    assert professional and professional[0].awards
    for r in professional[0].rows:
        row = report.results.row(r.batch_id, r.proposal_id, r.form_id)
        assert r.award == row.award and (r.award is None or r.award > Decimal(0))
