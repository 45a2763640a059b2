"""The consolidation page on real batches and sheets: ranking, one proposal's detail, the dot plot,
dropped totals marked, the chair's veto decision."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.agency_setup import (  # noqa: F401 - fixtures
    answer_next_dialog,
    ctx,
    demo_round,
    import_all,
    newer_revision,
    open_context,
    periodic_ctx,
    periodic_round,
    term_end_ctx,
    term_end_round,
)
from tic_desktop.ui.agency.consolidation_page import DROPPED_MARK, ConsolidationPage
from tic_desktop.ui.agency.veto_dialog import VetoDialog

GRADE, OUTCOME, AWARD, MARKS, TYPE = 4, 5, 6, 7, 8


def _page(qtbot, context) -> ConsolidationPage:
    page = ConsolidationPage()
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show_message = lambda *a: page.__dict__.setdefault("messages", []).append(a)
    page.set_context(context)
    qtbot.waitUntil(lambda: page.consolidation is not None and not page.is_busy(), timeout=20000)
    return page


def _cells(model, row: int) -> list[str]:
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_ranking_and_a_selected_proposal_with_dropped_totals_marked(qtbot, ctx, demo_round: Path):  # noqa: F811
    import_all(ctx, demo_round / "sheets")
    page = _page(qtbot, ctx)
    assert page.formCombo.currentText() == "综合性技术创新中心建设方案论证评分表" or page.formCombo.count() == 2
    ranking = [_cells(page.rankModel, r) for r in range(page.rankModel.rowCount())]
    assert [r[0] for r in ranking] == ["1", "2", "3", "4", "5", "6"]
    scores = [r[3] for r in ranking]
    assert scores == sorted(scores, reverse=True)
    assert all(r[2] in ("6", "7") for r in ranking)  # valid sheets (one expert withdrew from TJ-BM-04)
    assert len(page.rankingChart.bars()) == 6

    top = page.results()[0]
    page.select_row(0)
    assert page.current is top
    assert top.center_name in page.titleLabel.text() and ranking[0][3] in page.titleLabel.text()
    dots = page.dotPlot.dots()
    assert len(dots) == top.valid_sheets
    assert [d.dropped for d in dots].count(True) == 2  # one highest and one lowest
    assert page.dotPlot.final() == top.final_score
    # the experts × criteria table: criteria rows, then 总分 with the dropped totals struck and marked
    model = page.scoreModel
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[0] == "评分项" and headers[-1] == "平均" and len(headers) == 3 + top.valid_sheets
    total_row = 0  # the totals first, so the dropped ones are seen at once
    assert model.index(total_row, 0).data() == "总分"
    dropped_cells = [c for c in range(2, model.columnCount() - 1)
                     if str(model.index(total_row, c).data()).startswith(DROPPED_MARK)]
    assert len(dropped_cells) == 2
    cell = model.index(total_row, dropped_cells[0])
    assert cell.data(Qt.ItemDataRole.FontRole).strikeOut()
    assert "不计入最终得分" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(total_row, model.columnCount() - 1).data() == ranking[0][3]
    assert "去掉一个最高分" in page.calcText.toPlainText()

    # the proposal with a withdrawn expert lists them
    page.select_proposal("TJ-BM-04")
    assert "回避专家（不计分）" in page.calcText.toPlainText()
    withdrawn = next(e.name for e in ctx.manifest.experts if "TJ-BM-04" in e.known_conflicts)
    assert f"回避专家（不计分）：{withdrawn}" in page.calcText.toPlainText()


def test_missing_sheets_are_listed(qtbot, ctx, demo_round: Path):  # noqa: F811
    from tic_desktop.agency.importer import import_sheets

    ctx.ws.pin_allowed_signers(ctx.batch_id, (demo_round / "sheets" / "allowed_signers").read_text("utf-8"))
    import_sheets(ctx.ws, ctx.batch, ctx.identity, sorted((demo_round / "sheets").glob("E0[1-5].ticsheet")))
    page = _page(qtbot, ctx)
    page.select_row(0)
    text = page.calcText.toPlainText()
    names = "、".join(e.name for e in ctx.manifest.experts[5:])
    assert f"未收到评分表：{names}" in text


def test_the_chair_confirms_a_veto_with_a_reason_and_the_conclusion_follows(qtbot, term_end_ctx):  # noqa: F811
    page = _page(qtbot, term_end_ctx)
    page.select_proposal("TJ-AI-01")
    assert page.conclusion_text(page.current) == "待定（否决项待确认）"
    row = next(r for r in range(page.rankModel.rowCount()) if page.results()[r].proposal_id == "TJ-AI-01")
    assert "否决待确认" in page.rankModel.index(row, MARKS).data()
    assert page.rankModel.index(row, OUTCOME).data() == "待定"
    assert page.tabs.tabText(2) == "否决项（1）"
    item = page.vetoList.item(0).text()
    assert "完成不足 80%" in item and "待组长确认" in item and "张国华" in item
    assert [d.outlier for d in page.dotPlot.dots()] == [e.outlier for e in page.current.experts]

    def confirm(dialog) -> None:
        assert isinstance(dialog, VetoDialog)
        assert not dialog.ok.isEnabled()  # no reason yet
        assert dialog.byEdit.text() == term_end_ctx.chair_name()
        dialog.reasonEdit.setPlainText("核对任务书，目标完成率 76%，否决成立")
        dialog.ok.click()

    answer_next_dialog(confirm)
    page.confirmVetoButton.click()
    qtbot.waitUntil(lambda: not page.is_busy() and page.current is not None
                    and page.current.proposal_id == "TJ-AI-01" and page.current.conclusion is not None,
                    timeout=20000)
    form = term_end_ctx.batch.forms["term_end_evaluation"]
    assert page.current.conclusion == form.worst_conclusion.code
    assert form.worst_conclusion.label.zh in page.titleLabel.text()
    assert "已确认否决：核对任务书，目标完成率 76%，否决成立" in page.vetoList.item(0).text()
    # the outcome of the worst conclusion, in its own column: 撤销
    row = next(r for r in range(page.rankModel.rowCount()) if page.results()[r].proposal_id == "TJ-AI-01")
    assert page.rankModel.index(row, GRADE).data() == "不合格"
    assert page.rankModel.index(row, OUTCOME).data() == "撤销"
    assert "处理结果：撤销" in page.calcText.toPlainText()
    decision = term_end_ctx.ws.veto_decisions(term_end_ctx.batch_id)[("TJ-AI-01", form.id, "completion_below_80")]
    assert decision.confirmed and decision.decided_by == term_end_ctx.chair_name()


def test_a_cancelled_veto_dialog_changes_nothing(qtbot, term_end_ctx):  # noqa: F811
    page = _page(qtbot, term_end_ctx)
    page.select_proposal("TJ-SB-02")
    answer_next_dialog(lambda dialog: dialog.reject())
    page.rejectVetoButton.click()
    QApplication.processEvents()
    assert term_end_ctx.ws.veto_decisions(term_end_ctx.batch_id) == {}
    assert not page.is_busy()


def _row_of(page: ConsolidationPage, proposal_id: str) -> int:
    return next(r for r, res in enumerate(page.results()) if res.proposal_id == proposal_id)


def test_term_end_outcomes_are_a_column_of_their_own(qtbot, term_end_ctx):  # noqa: F811
    page = _page(qtbot, term_end_ctx)
    headers = [page.rankModel.headerData(c, Qt.Orientation.Horizontal) for c in range(page.rankModel.columnCount())]
    assert headers[GRADE:MARKS + 1] == ["结论", "处理结果", "奖励", "提示"]
    assert page.rankView.isColumnHidden(AWARD)  # the term-end form has no award
    top = _row_of(page, "TJ-NE-05")
    assert _cells(page.rankModel, top)[GRADE:OUTCOME + 1] == ["优秀", "后续支持（优先）"]
    # the others wait for the chair: no outcome yet
    assert {page.rankModel.index(_row_of(page, p), OUTCOME).data() for p in ("TJ-AI-01", "TJ-SB-02")} == {"待定"}
    # the chair rejects the veto on TJ-IM-03: its band's outcome shows (后续支持 / 限期整改 …)
    from tic_desktop.core.consolidation import VetoDecision

    form = term_end_ctx.batch.forms["term_end_evaluation"]
    page.ask_veto = lambda confirm, r, veto: VetoDecision(confirmed=False, reason="目标已按调整后的任务书完成",
                                                          decided_by="张国华")
    page.select_proposal("TJ-IM-03")
    page.rejectVetoButton.click()
    qtbot.waitUntil(lambda: not page.is_busy() and page.current is not None
                    and page.current.proposal_id == "TJ-IM-03" and page.current.conclusion is not None,
                    timeout=20000)
    r = page.current
    band = next(c for c in form.conclusions if c.code == r.conclusion)
    row = _row_of(page, "TJ-IM-03")
    assert page.rankModel.index(row, GRADE).data() == band.label.zh
    assert page.rankModel.index(row, OUTCOME).data() == band.outcome.zh
    assert band.outcome.zh in ("后续支持", "限期整改（一年后复评，仍不合格的撤销）")


def test_periodic_grade_award_cap_and_restructure_recommendations(qtbot, periodic_ctx, periodic_round,  # noqa: F811
                                                                  tmp_path):
    # E03 revises the sheet and recommends 转入专业性技术创新中心 (the structured 撤并转 answer)
    revision = newer_revision(periodic_round, "E03", tmp_path / "rev" / "E03-r2.ticsheet",
                              overall={"restructure": "convert"})
    from tic_desktop.agency.importer import import_sheets

    [out] = import_sheets(periodic_ctx.ws, periodic_ctx.batch, periodic_ctx.identity, [revision])
    assert out.status == "accepted" and out.superseded_seq == 1
    page = _page(qtbot, periodic_ctx)
    assert not page.rankView.isColumnHidden(AWARD) and not page.rankView.isColumnHidden(TYPE)
    results = page.results()
    pro = [i for i, r in enumerate(results) if r.center_type == "professional"]
    eng = [i for i, r in enumerate(results) if r.center_type == "engineering"]
    assert len(pro) == 4 and len(eng) == 2
    # ranks are per center type: both cohorts start at 1
    assert [results[i].rank for i in pro] == [1, 2, 3, 4] and [results[i].rank for i in eng] == [1, 2]
    assert {_cells(page.rankModel, i)[TYPE] for i in eng} == {"工程中心"}
    # the 30万元 award only for an 优秀 professional center: 20% of 4, rounded half up = 1 place
    for i in eng:
        assert results[i].award is None and page.rankModel.index(i, AWARD).data() == ""
    best = results[pro[0]]
    if best.conclusion == "excellent":
        row = _cells(page.rankModel, pro[0])
        assert row[GRADE] == "优秀" and row[AWARD] == "奖励 30 万元"
        assert row[OUTCOME] == "一次性给予 30 万元市财政资金奖励"
    capped = [i for i in pro if results[i].capped]
    for i in capped:
        cell = page.rankModel.index(i, GRADE)
        assert cell.data() == "良好（限额调整）"
        assert "4 个中四舍五入为 1 个" in cell.data(Qt.ItemDataRole.ToolTipRole)
        assert page.rankModel.index(i, AWARD).data() == ""
    # 20% of 2 engineering centers is below one place: flagged, not silently zeroed
    for i in eng:
        assert "样本过少" in page.rankModel.index(i, MARKS).data()
    for i in pro:  # 0.8 rounds half up to 1 place: not flagged
        assert "样本过少" not in page.rankModel.index(i, MARKS).data()
    # the detail of an engineering center: the 撤并转 recommendation counted across the panel
    page.select_row(eng[0])
    text = page.calcText.toPlainText()
    e03 = periodic_ctx.expert_name("E03")
    assert "撤并转建议（专家人数）" in text and "转入专业性技术创新中心" in text and e03 in text
    r = page.current
    assert r is not None and r.restructure is not None
    convert = next(o for o in r.restructure.options if o.code == "convert")
    assert e03 in convert.experts and f"转入专业性技术创新中心 {convert.count} 人" in text


def test_periodic_in_english(qtbot, periodic_round, tmp_path):  # noqa: F811
    from PySide6.QtWidgets import QApplication

    from tic_desktop.ui.common.i18n import install_translators

    context = open_context(periodic_round, tmp_path)
    context.lang = "en"
    import_all(context, periodic_round / "sheets")
    install_translators(QApplication.instance(), "en")
    try:
        page = _page(qtbot, context)
        headers = [page.rankModel.headerData(c, Qt.Orientation.Horizontal) for c in range(page.rankModel.columnCount())]
        assert headers[GRADE:MARKS + 1] == ["Conclusion", "Outcome", "Award", "Flags"]
        row = _cells(page.rankModel, 0)
        assert row[GRADE] == "Excellent" and row[AWARD] == "Award 300,000 CNY"
        assert row[OUTCOME] == "One-time city award of 300,000 CNY"
        for capped in (r for r in range(page.rankModel.rowCount()) if page.results()[r].capped):
            assert page.rankModel.index(capped, GRADE).data() == "Good (capped)"
            assert "is capped at 20%" in page.rankModel.index(capped, GRADE).data(Qt.ItemDataRole.ToolTipRole)
        engineering = [r for r in range(page.rankModel.rowCount()) if page.results()[r].center_type == "engineering"]
        assert engineering and all("Cohort too small" in page.rankModel.index(r, MARKS).data() for r in engineering)
        assert {page.rankModel.index(r, TYPE).data() for r in engineering} == {"Engineering"}
    finally:
        install_translators(QApplication.instance(), "zh")
        context.batch.close()
        context.ws.close()


def test_a_conclusion_differing_from_its_band_shows_with_the_reason(qtbot, ctx, demo_round: Path):  # noqa: F811
    """Issue 17 item 8: an expert's 通过 under a total in the 修改后通过 band, with their reason, is seen on
    汇总结果 — a column of its own in the ranking, a mark, and a note above the proposal's detail."""
    from dataclasses import replace

    from tic_desktop.agency.inputs import consolidation_inputs
    from tic_desktop.core.consolidation import consolidate
    from tic_desktop.core.scoring import CONCLUSION_REASON
    from tic_desktop.ui.agency.consolidation_page import REASON_COLUMN

    import_all(ctx, demo_round / "sheets")
    page = _page(qtbot, ctx)
    assert page.rankView.isColumnHidden(REASON_COLUMN)  # nobody differs in the simulated round
    inputs = list(consolidation_inputs(ctx.batch, [r.sheet() for r in ctx.ws.current_sheets(ctx.batch_id)]))
    index, item = next((i, p) for i, p in enumerate(inputs) if p.form.id == page.form_id()
                       and any(e.conclusion != "pass" and not e.vetoes_triggered for e in p.entries))
    entry = next(e for e in item.entries if e.conclusion != "pass" and not e.vetoes_triggered)
    differing = replace(entry, conclusion="pass", overall={**entry.overall, CONCLUSION_REASON: "核心团队实力突出"})
    inputs[index] = replace(item, entries=tuple(differing if e is entry else e for e in item.entries))
    page._on_consolidated(consolidate(inputs, ctx.ws.veto_decisions(ctx.batch_id)), ctx=ctx)
    row = _row_of(page, item.proposal_id)
    assert not page.rankView.isColumnHidden(REASON_COLUMN)
    cell = page.rankModel.index(row, REASON_COLUMN).data()
    assert entry.expert_name in cell and "核心团队实力突出" in cell and "不一致" in cell
    assert "结论与分档不一致" in page.rankModel.index(row, MARKS).data()
    others = [page.rankModel.index(r, REASON_COLUMN).data() for r in range(page.rankModel.rowCount()) if r != row]
    assert others == [""] * len(others)
    header = page.rankView.horizontalHeader()
    assert header.sectionViewportPosition(REASON_COLUMN) >= 0 and header.sectionSize(REASON_COLUMN) >= 100
    page.select_row(row)
    assert not page.detail.bandNote.isHidden() and "核心团队实力突出" in page.detail.bandNote.text()
    page.select_row(next(r for r in range(page.rankModel.rowCount()) if r != row))
    assert page.detail.bandNote.isHidden()


def test_ranking_columns_and_detail_fit_a_1280_pixel_window(qtbot, periodic_ctx):  # noqa: F811
    """Issue 17 item 11: at 1280 px the 中心类型 column was scrolled off and centre names truncated;
    评分明细 rows were three lines tall; the dot plot's legend was painted over its axis."""
    from tic_desktop.ui.agency.agency_window import AgencyWindow  # noqa: F401 - the window's page width

    page = _page(qtbot, periodic_ctx)
    page.resize(1280 - 170 - 40, 600)  # the page inside a 1280-px window beside the navigation list
    page.show()
    qtbot.waitExposed(page)
    page.select_row(0)
    qtbot.wait(50)
    view = page.rankView
    assert not view.isColumnHidden(TYPE)
    header = view.horizontalHeader()
    shown = [c for c in range(page.rankModel.columnCount()) if not view.isColumnHidden(c)]
    right = max(header.sectionViewportPosition(c) + header.sectionSize(c) for c in shown)
    assert right <= view.viewport().width(), (right, view.viewport().width(), [header.sectionSize(c) for c in shown])
    metrics = view.fontMetrics()
    for row in range(page.rankModel.rowCount()):
        name = page.rankModel.index(row, 1).data()
        assert metrics.horizontalAdvance(name) <= header.sectionSize(1) - 6, name
    scores = page.scoreView
    assert scores.rowHeight(1) <= metrics.lineSpacing() * 1.8
    detail = page.detail
    legend = detail.legendLabel.geometry()
    assert detail.dotPlot.geometry().bottom() < legend.top()  # the legend below the plot, never on it
    assert page.minimumSizeHint().height() <= 600
