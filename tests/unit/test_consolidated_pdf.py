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
    tied = next(r for r in ranked if r.tie)
    assert f"{tied.rank}（并列）" in ranking


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


def _pages(path: Path) -> int:
    return int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(path))).group(1))  # type: ignore[union-attr]


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def _row(path: Path, pages: range, proposal_id: str) -> str:
    """The text of the ranking table's row that holds `proposal_id`: every word whose middle is
    within 7 pt of the middle of the id (cells of two lines are centred on the row)."""
    for page in pages:
        html = _run("pdftotext", "-bbox", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(path), "-")
        words = [(float(y0), float(x0), (float(y0) + float(y1)) / 2, w) for x0, y0, _x1, y1, w in WORD.findall(html)]
        mid = next((m for _, _, m, w in words if w == proposal_id), None)
        if mid is not None:
            return "".join(w for _, _, m, w in sorted(words) if abs(m - mid) <= 7)
    raise AssertionError(f"{proposal_id} not in the ranking table")


def test_periodic_assessment_shows_grade_award_and_the_cap(tmp_path: Path) -> None:
    report = build(20, 7, kind="periodic_assessment").report
    path = tmp_path / "periodic.pdf"
    write_consolidated_pdf(path, report)
    results = report.consolidation.results
    awarded = [r for r in results if r.award is not None]
    capped = [r for r in results if r.capped]
    assert awarded and capped, "the fixture should reach the 20% cap"
    ranking = range(2, 4)
    for r in awarded:
        row = _row(path, ranking, r.proposal_id)
        assert "优秀" in row and "300,000元" in row, row
    for r in capped:
        row = _row(path, ranking, r.proposal_id)
        assert r.conclusion_label is not None and r.conclusion_label.zh in row and "优秀名额已满" in row, row
    assert "不超过排名项目数的20%" in _text(path, 2)
    # per proposal: the grade with the cap, the award
    text = _text(path)
    assert f"{capped[0].conclusion_label.zh}（优秀名额已满，顺延）" in text  # type: ignore[union-attr]
    assert "一次性奖励300,000元" in text


def test_term_end_shows_each_outcome_in_the_ranking_table(tmp_path: Path) -> None:
    report = build(20, 7, kind="term_end_evaluation", seed=3).report
    path = tmp_path / "term_end.pdf"
    write_consolidated_pdf(path, report)
    decided = [r for r in report.consolidation.results if r.outcome is not None]
    assert {r.outcome.zh for r in decided} == {  # type: ignore[union-attr]
        "后续支持（优先）", "后续支持", "限期整改（一年后复评，仍不合格的撤销）", "撤销"}
    for r in decided:
        row = _row(path, range(2, 4), r.proposal_id)
        assert _flat(r.outcome.zh)[:4] in row, (r.outcome.zh, row)  # type: ignore[union-attr]


def test_text_stays_inside_the_margins_and_table_cells(pdf: dict[str, Any], tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4

    from tic_desktop.reports import consolidated_pdf as cp
    from tic_desktop.reports import consolidated_proposal as cprop
    from tic_desktop.reports.consolidated_style import Styles
    from tic_desktop.reports.pdftext import width

    # no word of any page beyond the left and right margins (16 mm)
    html = _run("pdftotext", "-bbox", "-enc", "UTF-8", str(pdf["path"]), "-")
    left, right = cp.MARGIN - 1, A4[0] - cp.MARGIN + 1
    for x0, _y0, x1, _y1, word in WORD.findall(html):
        assert left <= float(x0) and float(x1) <= right, word
    # every cell of every ruled table holds its text within its column (or its span)
    grids: list[Any] = []
    for kind in ("feasibility_review", "term_end_evaluation", "periodic_assessment"):
        report = build(20, 11, kind=kind).report
        st = Styles()
        for form_id in dict.fromkeys(r.form_id for r in report.consolidation.results):
            form = report.forms[form_id]
            group = report.consolidation.for_form(form_id)
            grids += [f for f in cp._ranking(form, group, st) if isinstance(f, cp.Grid)]
            for r in group:
                grids += [cprop._score_table(r, form, st)[0], cprop._key_facts(r, form, 20, st)]
    for g in grids:
        assert g.width <= cp.WIDTH + 0.01
        for r, row in enumerate(g.rows):
            for c, text in enumerate(row):
                avail = sum(g.widths[c:g.spans.get((r, c), c) + 1]) - 2 * g.PAD
                for line in text.split("\n"):
                    assert width(line, g.font, g.sizes.get((c, r), g.size)) <= avail + 0.01, (line, avail)


def test_lines_break_anywhere_but_before_closing_punctuation_or_inside_numbers() -> None:
    from tic_desktop.reports.fonts import register_fonts
    from tic_desktop.reports.pdftext import NO_LINE_START, break_lines, width

    font = register_fonts()
    text = "建议按申请安排财政补助（报市科技局审定），其余 4 份总分之和 348.00 ÷ 4 = 87.00，四舍五入保留 2 位小数。"
    for avail in range(40, 200, 3):
        lines = break_lines(text, avail, font, 8.5)
        assert "".join(lines) == text  # nothing lost or added
        for line in lines:
            assert width(line, font, 8.5) <= avail or len(line) == 1, (avail, line)
        for line in lines[1:]:
            assert line[0] not in NO_LINE_START, (avail, lines)
        for a, b in zip(lines, lines[1:], strict=False):
            assert not (a[-1].isdigit() and (b[0].isdigit() or b[0] == ".")), (avail, a, b)
