"""汇总结果: the ranking per form (table + chart: rank, centre, valid sheets, final score, conclusion,
the outcome — 后续支持 / 整改 / 撤销, or for a periodic assessment the award and the 撤并转 path — the
award and the marks) and, for the selected proposal, ProposalDetail (totals, experts × criteria,
calculation, the policy checks, the counted 撤并转 recommendations, raised vetoes; ranks are per
center type, shown in the last column when a form ranks more than one), where the chair confirms
(确认否决) or rejects (不予采纳) a veto with a reason.

Every figure comes from `agency.service.consolidate` (core.consolidation), run in a worker
with its own workspace connection; this page only shows it. The hooks `ask_veto` and `show_message`
can be replaced.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.core.cohort import has_awards
from tic_desktop.core.consolidation import Consolidation, ProposalResult, VetoDecision
from tic_desktop.ui.agency.agency_context import AgencyContext
from tic_desktop.ui.agency.archive_export import ArchiveExport
from tic_desktop.ui.agency.charts import Bar, RankingChart
from tic_desktop.ui.agency.proposal_detail import DROPPED_MARK, ProposalDetail
from tic_desktop.ui.agency.result_texts import (
    award_text,
    capped_note,
    center_type_text,
    conclusion_text,
    fmt,
    grade_text,
    outcome_text,
)
from tic_desktop.ui.agency.results_export import ResultsExport
from tic_desktop.ui.agency.veto_dialog import VetoDialog
from tic_desktop.ui.common.background import run_in_background
from tic_desktop.ui.common.table_model import CENTER, LEFT, RIGHT, TableModel

__all__ = ["DROPPED_MARK", "ConsolidationPage", "fmt"]
D = Qt.ItemDataRole
AWARD_COLUMN = 6
MARKS_COLUMN = 7
TYPE_COLUMN = 8
REASON_COLUMN = 9
BAND_FLAG = "conclusion.differs_from_band"


class ConsolidationPage(QWidget):
    consolidated = Signal(object)
    """Emitted with the new `Consolidation` after every run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: AgencyContext | None = None
        self.consolidation: Consolidation | None = None
        self.current: ProposalResult | None = None
        self._busy = False
        self._again = False
        self._pending_select: str | None = None
        self.ask_veto = self._ask_veto
        self.show_message = self._show_message
        self._build()
        self._connect()

    # ── layout ──────────────────────────────────────────────────────────────────────────────
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("评分表：")))
        self.formCombo = QComboBox()
        bar.addWidget(self.formCombo)
        self.refreshButton = QPushButton(self.tr("重新汇总"))
        bar.addWidget(self.refreshButton)
        self.progressBar = QProgressBar()
        self.progressBar.setRange(0, 0)
        self.progressBar.setMaximumWidth(160)
        self.progressBar.hide()
        self.statusLabel = QLabel()
        bar.addWidget(self.progressBar)
        bar.addWidget(self.statusLabel)
        bar.addStretch(1)
        self.export = ResultsExport()
        bar.addWidget(self.export)
        self.archive = ArchiveExport()
        bar.addWidget(self.archive)
        layout.addLayout(bar)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QSplitter(Qt.Orientation.Vertical)
        self.rankModel = TableModel(
            [self.tr("名次"), self.tr("中心"), self.tr("有效表"), self.tr("最终得分"), self.tr("结论"),
             self.tr("处理结果"), self.tr("奖励"), self.tr("提示"), self.tr("中心类型"), self.tr("结论与分档不一致")],
            [CENTER, LEFT, CENTER, RIGHT, LEFT, LEFT, RIGHT, LEFT, LEFT, LEFT], self)
        self.rankView = QTableView()
        self.rankView.setAccessibleName(self.tr("排名"))
        self.rankView.setModel(self.rankModel)
        self.rankView.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rankView.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rankView.verticalHeader().hide()
        header = self.rankView.horizontalHeader()
        # the centre's name whole (issue 17: truncated names); the long texts elided with the whole
        # text as a tooltip, so that every column (中心类型 too) stays in view at 1280 px
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        for column, width in ((5, 92), (MARKS_COLUMN, 92), (REASON_COLUMN, 150)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setMinimumSectionSize(36)
        self.rankView.setTextElideMode(Qt.TextElideMode.ElideRight)
        left.addWidget(self.rankView)
        self.rankingChart = RankingChart()
        chart_scroll = QScrollArea()
        chart_scroll.setAccessibleName(self.tr("图表"))
        chart_scroll.setWidgetResizable(True)
        chart_scroll.setWidget(self.rankingChart)
        left.addWidget(chart_scroll)
        left.setSizes([320, 380])
        split.addWidget(left)

        self.detail = ProposalDetail()
        # the detail's widgets, as the page's own (tests, screenshots)
        d = self.detail
        self.titleLabel, self.dotPlot, self.tabs = d.titleLabel, d.dotPlot, d.tabs
        self.scoreModel, self.scoreView, self.calcText = d.scoreModel, d.scoreView, d.calcText
        self.vetoPanel = d.vetoPanel
        self.vetoList = d.vetoPanel.vetoList
        self.confirmVetoButton, self.rejectVetoButton = d.vetoPanel.confirmVetoButton, d.vetoPanel.rejectVetoButton
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([800, 460])
        layout.addWidget(split, 1)

    def _connect(self) -> None:
        self.formCombo.currentIndexChanged.connect(lambda _i: self._show_form())
        self.refreshButton.clicked.connect(self.reconsolidate)
        self.rankView.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._on_row(cur.row()))
        self.vetoPanel.decide.connect(self._on_veto)

    # ── context and runs ────────────────────────────────────────────────────────────────────
    def set_context(self, ctx: AgencyContext | None) -> None:
        self.ctx = ctx
        self.export.set_context(ctx)
        self.archive.set_context(ctx)
        self.consolidation = None
        self.formCombo.blockSignals(True)
        self.formCombo.clear()
        if ctx is not None:
            for ref in ctx.manifest.forms:
                form = ctx.batch.forms[ref.id]
                self.formCombo.addItem(self._t(form.title), ref.id)
        self.formCombo.blockSignals(False)
        self._show_form()
        if ctx is not None:
            self.reconsolidate()

    def reconsolidate(self) -> bool:
        """Consolidate again in a worker (current sheets + chair decisions). While one runs, another
        is queued and starts when it ends (False)."""
        if self.ctx is None:
            return False
        if self._busy:
            self._again = True
            return False
        self._again = False
        ctx = self.ctx
        self._set_busy(True)
        self.statusLabel.setText(self.tr("正在汇总…"))
        if self.current is not None and self._pending_select is None:
            self._pending_select = self.current.proposal_id

        def work() -> Consolidation:
            from tic_desktop.agency.service import consolidate

            with ctx.worker_workspace() as (ws, batch):
                return consolidate(ws, batch)

        run_in_background(work, lambda out: self._on_consolidated(out, ctx=ctx), self._on_failed, owner=self)
        return True

    def is_busy(self) -> bool:
        return self._busy

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.refreshButton.setEnabled(not busy)
        self.progressBar.setVisible(busy)
        self.vetoPanel.set_busy(busy)

    def _on_consolidated(self, consolidation: Consolidation, *, ctx: AgencyContext | None = None) -> None:
        self._set_busy(False)
        if ctx is not None and ctx is not self.ctx:  # another batch was chosen meanwhile
            self.statusLabel.setText("")
            if self.ctx is not None:
                self.reconsolidate()
            return
        self.statusLabel.setText(self.tr("已汇总 %1").replace("%1", _dt.datetime.now().strftime("%H:%M:%S")))
        self.consolidation = consolidation
        self._show_form()
        self.consolidated.emit(consolidation)
        if self._again:
            self.reconsolidate()

    def _on_failed(self, exc: BaseException) -> None:
        self._again = False
        self._set_busy(False)
        self.statusLabel.setText("")
        self.show_message(self.tr("汇总失败"), self.ctx.error_text(exc) if self.ctx else str(exc), True)

    # ── ranking ─────────────────────────────────────────────────────────────────────────────
    def form_id(self) -> str | None:
        return self.formCombo.currentData()

    def results(self) -> tuple[ProposalResult, ...]:
        if self.consolidation is None or self.form_id() is None:
            return ()
        return self.consolidation.for_form(self.form_id())

    def _marks(self, r: ProposalResult) -> str:
        marks = []
        if r.tie:
            marks.append(self.tr("并列"))
        if r.capped:
            marks.append(self.tr("限额调整"))
        codes = {f.code for f in r.flags}
        if "veto.pending" in codes:
            marks.append(self.tr("否决待确认"))
        if "veto.confirmed" in codes:
            marks.append(self.tr("已否决"))
        if "sheets.insufficient" in codes:
            marks.append(self.tr("有效表不足"))
        if any(c.startswith("outlier.") for c in codes):
            marks.append(self.tr("离群"))
        if "policy.failed" in codes:
            marks.append(self.tr("政策核减"))
        if "subsidy.suggested_over" in codes:
            marks.append(self.tr("建议额度超限"))
        if "excellent.cohort_small" in codes:
            marks.append(self.tr("样本过少"))
        if BAND_FLAG in codes:
            marks.append(self.tr("结论与分档不一致"))
        return " · ".join(marks)

    def conclusion_text(self, r: ProposalResult, *, outcome: bool = False) -> str:
        return conclusion_text(r, self._lang(), outcome=outcome)

    def _row(self, r: ProposalResult) -> tuple[Any, ...]:
        lang = self._lang()
        rank = ("=" if r.tie else "") + str(r.rank) if r.rank is not None else "—"
        open_ = r.conclusion is None
        grade = {D.DisplayRole: grade_text(r, lang),
                 D.ToolTipRole: capped_note(r, lang) or conclusion_text(r, lang, outcome=True),
                 D.ForegroundRole: QColor("#c62828") if open_ else QColor("#b26a00") if r.capped else QColor("#222")}
        outcome = {D.DisplayRole: outcome_text(r, lang), D.ToolTipRole: outcome_text(r, lang),
                   D.ForegroundRole: QColor("#c62828") if open_ else QColor("#222")}
        award = {D.DisplayRole: award_text(r.award, lang), D.ForegroundRole: QColor("#2e7d32")}
        marks = {D.DisplayRole: self._marks(r), D.ToolTipRole: "\n".join(f.text(lang) for f in r.flags),
                 D.ForegroundRole: QColor("#b26a00")}
        short = r.center_name.removeprefix("天津市") or r.center_name  # the same city for every centre
        reasons = [f.text(lang) for f in r.flags if f.code == BAND_FLAG]
        reason = {D.DisplayRole: "；".join(reasons), D.ToolTipRole: "\n".join(reasons),
                  D.ForegroundRole: QColor("#b45309")}
        if reasons:
            reason[D.BackgroundRole] = QColor("#fff7e6")
        return (rank, {D.DisplayRole: short, D.ToolTipRole: r.center_name}, str(r.valid_sheets),
                fmt(r.final_score), grade, outcome, award, marks, center_type_text(r.center_type), reason)

    def _show_form(self) -> None:
        results = self.results()
        form = self.ctx.batch.forms.get(self.form_id()) if self.ctx and self.form_id() else None
        self.rankModel.set_rows([self._row(r) for r in results])
        has_award = form is not None and has_awards(form)
        self.rankView.setColumnHidden(AWARD_COLUMN, not has_award)
        # ranks are per center type: the type column shows when the form ranks more than one
        self.rankView.setColumnHidden(TYPE_COLUMN, len({r.center_type for r in results}) < 2)
        # an expert's conclusion other than the band of their total, with their reason (issue 17 item 8)
        self.rankView.setColumnHidden(REASON_COLUMN, not any(f.code == BAND_FLAG for r in results for f in r.flags))
        codes = [c.code for c in form.conclusions] if form is not None else []
        self.rankingChart.set_data([
            Bar(label=f"{r.rank or '—'}. {r.center_name}", value=r.final_score,
                category=codes.index(r.conclusion) if r.conclusion in codes else len(codes),
                note=grade_text(r, self._lang()))
            for r in results])
        want = self._pending_select or (self.current.proposal_id if self.current else None)
        self._pending_select = None
        row = next((i for i, r in enumerate(results) if r.proposal_id == want), 0 if results else -1)
        if row >= 0:
            self.select_row(row)
        else:
            self._show_result(None)

    def select_row(self, row: int) -> None:
        index = self.rankModel.index(row, 0)
        self.rankView.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self._on_row(row)

    def select_proposal(self, proposal_id: str) -> None:
        for i, r in enumerate(self.results()):
            if r.proposal_id == proposal_id:
                self.select_row(i)
                return
        raise KeyError(proposal_id)

    def _on_row(self, row: int) -> None:
        results = self.results()
        self._show_result(results[row] if 0 <= row < len(results) else None)

    def _show_result(self, r: ProposalResult | None) -> None:
        self.current = r
        if r is None or self.ctx is None:
            self.detail.clear(self.tr("尚无汇总结果：请先导入评分表。") if self.ctx else "")
            return
        self.detail.show_result(r, self.ctx)

    # ── the chair's veto decisions ──────────────────────────────────────────────────────────
    def _on_veto(self, confirm: bool) -> None:
        veto, r = self.vetoPanel.selected_veto(), self.current
        if veto is None or r is None or self.ctx is None or self._busy:
            return
        decision = self.ask_veto(confirm, r, veto)
        if decision is None:
            return
        try:
            self.ctx.ws.set_veto_decision(self.ctx.batch_id, (r.proposal_id, r.form_id, veto.veto_id), decision)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            self.show_message(self.tr("未能保存决定"), self.ctx.error_text(exc), True)
            return
        self._pending_select = r.proposal_id
        self.reconsolidate()

    def _ask_veto(self, confirm: bool, r: ProposalResult, veto: Any) -> VetoDecision | None:
        assert self.ctx is not None
        dialog = VetoDialog(confirm, r.center_name, self._t(veto.label),
                            "、".join(self.ctx.expert_name(x) for x in veto.raised_by), self.ctx.chair_name(), self)
        if dialog.exec() != VetoDialog.DialogCode.Accepted:
            return None
        return VetoDecision(confirmed=confirm, reason=dialog.reason(), decided_by=dialog.decided_by(),
                            decided_at=_dt.datetime.now().astimezone().isoformat(timespec="seconds"))

    # ── helpers ─────────────────────────────────────────────────────────────────────────────
    def _lang(self) -> str:
        return self.ctx.lang if self.ctx else "zh"

    def _t(self, text: Any) -> str:
        return str(text.zh if self._lang().startswith("zh") else text.en)

    def _show_message(self, title: str, text: str, error: bool) -> None:
        (QMessageBox.warning if error else QMessageBox.information)(self, title, text)
