"""The consolidated report PDF: font embedded, the Chinese text comes back, qpdf is happy, the
outline points at the right pages, dropped totals are marked, blank opinion sections are lines."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from report_factory import build

from tic_desktop.reports.consolidated_pdf import check_pdf, write_consolidated_pdf

TOOLS = ("pdffonts", "pdftotext", "qpdf")
pytestmark = pytest.mark.skipif(not all(shutil.which(t) for t in TOOLS), reason="poppler-utils and qpdf needed")


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _text(path: Path, page: int | None = None, layout: bool = False) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return _flat(_run("pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), *pages, str(path), "-"))


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    built = build(5, 7)
    path = tmp_path_factory.mktemp("cpdf") / "consolidated.pdf"
    calls: list[tuple[int, int]] = []
    write_consolidated_pdf(path, built.report, lambda d, n: calls.append((d, n)))
    return {"path": path, "report": built.report, "calls": calls, "text": _text(path)}


def test_font_embedded_and_file_sound(pdf: dict[str, Any]) -> None:
    lines = _run("pdffonts", str(pdf["path"])).splitlines()[2:]
    assert lines
    for line in lines:
        assert line.split()[-5] == "yes", f"font not embedded: {line}"
    assert "No syntax or stream encoding errors" in _run("qpdf", "--check", str(pdf["path"]))
    check_pdf(pdf["path"])


def test_cover_ranking_and_every_proposal_come_back_as_text(pdf: dict[str, Any]) -> None:
    text, report = pdf["text"], pdf["report"]
    for needle in ("专家评审汇总报告", report.agency_name, report.batch_id, "已接收7份，未接收2份",
                   "E09-张三.ticsheet", "签名无效", "排名表", "评分汇总表", "计算过程", "专家评审意见",
                   "专家组意见", "专家组组长", "专家组成员", "填写人", "复核人"):
        assert _flat(needle) in text, needle
    for r in report.consolidation.results:
        assert _flat(r.center_name) in text
        assert _flat(r.calculation.zh) in text
    # the ranking table lists the feasibility results in rank order, the tie marked
    ranking = _text(pdf["path"], 2, layout=True)  # rows in reading order
    ranked = report.consolidation.for_form("feasibility_review")
    positions = [ranking.index(r.proposal_id) for r in ranked]
    assert positions == sorted(positions)
    assert "1（并列）" in ranking


def test_dropped_totals_marked_and_outlier_named(pdf: dict[str, Any]) -> None:
    text, report = pdf["text"], pdf["report"]
    assert "〔去高〕" in text and "〔去低〕" in text
    r = report.consolidation.result("TJ-003", "feasibility_review")
    outlier = next(e for e in r.experts if e.outlier)
    assert outlier.dropped == "lowest"
    # the dot plot labels the dot: total, dropped as lowest, outlier
    assert f"{outlier.total}（去低）离群" in text


def test_vetoes_conflicts_comments_and_opinions(pdf: dict[str, Any]) -> None:
    text, report = pdf["text"], pdf["report"]
    assert "组长确认成立，理由：经核实，申报材料中合作协议未盖章，属实。" in text
    assert "待专家组组长确认" in text
    r = report.consolidation.result("TJ-002", "feasibility_review")
    assert f"回避：{report.expert(r.conflicted[0]).name}（{r.conflicted[0]}）" in text
    assert f"未提交评分表：{report.expert(r.missing[0]).name}（{r.missing[0]}）" in text
    # each expert's overall fields by name (from ReportData.inputs)
    entry = report.entries("TJ-001", "feasibility_review")[0]
    assert _flat(f"主要问题：{entry.overall['main_problems']}") in text
    # a saved panel opinion is printed; TJ-002 has none: its headings are there with nothing after
    assert _flat(report.opinions[("TJ-001", "feasibility_review")].overall) in text
    assert "总体评价：主要成效：存在问题：意见建议：结论：" in text


def test_outline_points_at_each_proposals_page(pdf: dict[str, Any]) -> None:
    data = json.loads(_run("qpdf", "--json", "--json-key=outlines", str(pdf["path"])))
    outlines = data["outlines"]
    titles = [o["title"] for o in outlines]
    assert titles[0] == "封面" and titles[1].startswith("排名表")
    for o in outlines:
        assert o["dest"][1] == "/XYZ"  # not /Fit: QtPdf warns on those
    for r in pdf["report"].consolidation.results:
        top = next(o for o in outlines if o["title"] == f"{r.proposal_id} {r.center_name}")
        page = top["destpageposfrom1"]
        assert r.proposal_id in _text(pdf["path"], page)
        kids = [k["title"] for k in top["kids"]]
        assert len(kids) == 2  # both forms of a feasibility proposal


def test_progress_once_per_proposal(pdf: dict[str, Any]) -> None:
    assert pdf["calls"] == [(i, 5) for i in range(1, 6)]


def test_without_inputs_the_comment_section_says_so(tmp_path: Path) -> None:
    from dataclasses import replace

    report = replace(build(2, 5, extras=False, tie=False).report, inputs=())
    path = tmp_path / "c.pdf"
    write_consolidated_pdf(path, report)
    assert "本报告未附专家评审意见" in _text(path)


def test_reportlab_runs_with_its_c_accelerator() -> None:
    # rl_accel is a dependency: without it reportlab formats numbers, measures strings and encodes
    # streams in Python and a batch report takes about twice as long
    from reportlab.lib import rl_accel

    assert not rl_accel._py_funcs, f"pure-Python fallbacks in use: {sorted(rl_accel._py_funcs)}"
