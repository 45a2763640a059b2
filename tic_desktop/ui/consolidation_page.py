"""汇总结果: the ranking per form (table + chart) and, for the selected proposal, the panel's totals
(DotPlot), the experts × criteria table, the calculation, the flags and the raised vetoes, which
the chair confirms (确认否决) or rejects (不予采纳) with a reason.

Every figure comes from `agency.inputs.consolidate_workspace` (core.consolidation), run in a worker
with its own workspace connection; this page only shows it. The hooks `ask_veto` and `show_message`
can be replaced.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.core.consolidation import Consolidation, ProposalResult, VetoDecision
from tic_desktop.ui.agency_context import AgencyContext
from tic_desktop.ui.background import run_in_background
from tic_desktop.ui.charts import Bar, Dot, DotPlot, RankingChart
from tic_desktop.ui.results_export import ResultsExport
from tic_desktop.ui.table_model import CENTER, LEFT, RIGHT, TableModel
from tic_desktop.ui.veto_dialog import VetoDialog

DROPPED_MARK = "〔去〕"
GREY = QColor("#8a8a8a")
OUTLIER_BG = QColor("#ffe0e0")
SPREAD_BG = QColor("#fff3cd")


def fmt(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return format(value, "f")


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
        layout.addLayout(bar)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QSplitter(Qt.Orientation.Vertical)
        self.rankModel = TableModel(
            [self.tr("名次"), self.tr("中心"), self.tr("有效表"), self.tr("最终得分"), self.tr("结论"), self.tr("提示")],
            [CENTER, LEFT, CENTER, RIGHT, LEFT, LEFT], self)
        self.rankView = QTableView()
        self.rankView.setModel(self.rankModel)
        self.rankView.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rankView.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rankView.verticalHeader().hide()
        header = self.rankView.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.rankView.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        left.addWidget(self.rankView)
        self.rankingChart = RankingChart()
        chart_scroll = QScrollArea()
        chart_scroll.setWidgetResizable(True)
        chart_scroll.setWidget(self.rankingChart)
        left.addWidget(chart_scroll)
        left.setSizes([320, 380])
        split.addWidget(left)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(6, 0, 0, 0)
        self.titleLabel = QLabel()
        title_font = QFont(self.titleLabel.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
        title_font.setBold(True)
        self.titleLabel.setFont(title_font)
        self.titleLabel.setWordWrap(True)
        rl.addWidget(self.titleLabel)
        self.dotPlot = DotPlot()
        rl.addWidget(self.dotPlot)
        legend = QLabel(self.tr("● 计入　○ 去掉的最高/最低分　◉ 离群　┆ 最终得分"))
        legend.setStyleSheet("color: #666;")
        rl.addWidget(legend)
        self.tabs = QTabWidget()
        self.scoreModel = TableModel([], parent=self)
        self.scoreView = QTableView()
        self.scoreView.setModel(self.scoreModel)
        self.scoreView.verticalHeader().hide()
        self.scoreView.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tabs.addTab(self.scoreView, self.tr("评分明细"))
        self.calcText = QTextBrowser()
        self.tabs.addTab(self.calcText, self.tr("计算过程与提示"))
        veto_tab = QWidget()
        vl = QVBoxLayout(veto_tab)
        self.vetoList = QListWidget()
        self.vetoList.setWordWrap(True)
        vl.addWidget(self.vetoList)
        vb = QHBoxLayout()
        vb.addStretch(1)
        self.confirmVetoButton = QPushButton(self.tr("确认否决"))
        self.rejectVetoButton = QPushButton(self.tr("不予采纳"))
        vb.addWidget(self.confirmVetoButton)
        vb.addWidget(self.rejectVetoButton)
        vl.addLayout(vb)
        self.tabs.addTab(veto_tab, self.tr("否决项"))
        rl.addWidget(self.tabs, 1)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([500, 760])
        layout.addWidget(split, 1)
        self._update_veto_buttons()

    def _connect(self) -> None:
        self.formCombo.currentIndexChanged.connect(lambda _i: self._show_form())
        self.refreshButton.clicked.connect(self.reconsolidate)
        self.rankView.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._on_row(cur.row()))
        self.vetoList.currentRowChanged.connect(lambda _r: self._update_veto_buttons())
        self.confirmVetoButton.clicked.connect(lambda: self._on_veto(True))
        self.rejectVetoButton.clicked.connect(lambda: self._on_veto(False))

    # ── context and runs ────────────────────────────────────────────────────────────────────
    def set_context(self, ctx: AgencyContext | None) -> None:
        self.ctx = ctx
        self.export.set_context(ctx)
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
        self._busy = True
        self.refreshButton.setEnabled(False)
        self.progressBar.show()
        self.statusLabel.setText(self.tr("正在汇总…"))
        if self.current is not None and self._pending_select is None:
            self._pending_select = self.current.proposal_id

        def work() -> Consolidation:
            from tic_desktop.agency.inputs import consolidate_workspace

            with ctx.worker_workspace() as (ws, batch):
                return consolidate_workspace(ws, batch)

        run_in_background(work, lambda c: self._on_consolidated(c, ctx), self._on_failed)
        return True

    def is_busy(self) -> bool:
        return self._busy

    def _on_consolidated(self, consolidation: Consolidation, ctx: AgencyContext | None = None) -> None:
        self._busy = False
        self.refreshButton.setEnabled(True)
        self.progressBar.hide()
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
        self._busy = False
        self._again = False
        self.refreshButton.setEnabled(True)
        self.progressBar.hide()
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
        return " · ".join(marks)

    def conclusion_text(self, r: ProposalResult, *, outcome: bool = False) -> str:
        if r.conclusion_label is not None:
            text = self._t(r.conclusion_label)
            if outcome and r.outcome is not None and self._t(r.outcome) != text:
                text += self.tr("；%1").replace("%1", self._t(r.outcome))
            return text
        if any(f.code == "veto.pending" for f in r.flags):
            return self.tr("待定（否决项待确认）")
        return "—"

    def _show_form(self) -> None:
        results = self.results()
        form = self.ctx.batch.forms.get(self.form_id()) if self.ctx and self.form_id() else None
        rows = []
        for r in results:
            marks = self._marks(r)
            rank = ("=" if r.tie else "") + str(r.rank) if r.rank is not None else "—"
            rows.append((rank, {Qt.ItemDataRole.DisplayRole: r.center_name, Qt.ItemDataRole.ToolTipRole: r.center_name},
                         str(r.valid_sheets), fmt(r.final_score),
                         {Qt.ItemDataRole.DisplayRole: self.conclusion_text(r),
                          Qt.ItemDataRole.ToolTipRole: self.conclusion_text(r, outcome=True),
                          Qt.ItemDataRole.ForegroundRole: QColor("#c62828") if r.conclusion is None else QColor("#222")},
                         {Qt.ItemDataRole.DisplayRole: marks,
                          Qt.ItemDataRole.ToolTipRole: "\n".join(f.text(self._lang()) for f in r.flags),
                          Qt.ItemDataRole.ForegroundRole: QColor("#b26a00")}))
        self.rankModel.set_rows(rows)
        codes = [c.code for c in form.conclusions] if form is not None else []
        self.rankingChart.set_data([
            Bar(label=f"{r.rank or '—'}. {r.center_name}", value=r.final_score,
                category=codes.index(r.conclusion) if r.conclusion in codes else len(codes),
                note=self.conclusion_text(r))
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

    # ── one proposal ────────────────────────────────────────────────────────────────────────
    def _show_result(self, r: ProposalResult | None) -> None:
        self.current = r
        if r is None or self.ctx is None:
            self.titleLabel.setText(self.tr("尚无汇总结果：请先导入评分表。") if self.ctx else "")
            self.dotPlot.set_data([], None)
            self.scoreModel.set_headers([])
            self.scoreModel.set_rows([])
            self.calcText.clear()
            self.vetoList.clear()
            self._update_veto_buttons()
            return
        self.titleLabel.setText(self.tr("%1　最终得分 %2　结论：%3")
                                .replace("%1", r.center_name).replace("%2", fmt(r.final_score))
                                .replace("%3", self.conclusion_text(r, outcome=True)))
        dropped_label = {"highest": self.tr("（去掉的最高分）"), "lowest": self.tr("（去掉的最低分）")}
        self.dotPlot.set_data(
            [Dot(label=e.expert_name + (dropped_label[e.dropped] if e.dropped else ""), value=e.total,
                 dropped=e.dropped is not None, outlier=e.outlier) for e in r.experts],
            r.final_score, self.tr("最终得分 %1").replace("%1", fmt(r.final_score)))
        self._fill_scores(r)
        self._fill_calculation(r)
        self._fill_vetoes(r)

    def _fill_scores(self, r: ProposalResult) -> None:
        assert self.ctx is not None
        form = self.ctx.batch.forms[r.form_id]
        labels = {c.id: c for c in form.criteria}
        headers = [self.tr("评分项"), self.tr("满分")] + [e.expert_name for e in r.experts] + [self.tr("平均")]
        rows: list[list[Any]] = []
        for c in r.criteria:
            crit = labels.get(c.criterion_id)
            name = f"{c.criterion_id} {self._t(crit.label)}" if crit else c.criterion_id
            bg = {Qt.ItemDataRole.BackgroundRole: SPREAD_BG} if c.outlier else {}
            row: list[Any] = [{Qt.ItemDataRole.DisplayRole: name, **bg,
                               Qt.ItemDataRole.ToolTipRole: self.tr("专家打分相差 %1 分").replace("%1", fmt(c.spread))
                               if c.outlier else name}, fmt(c.max)]
            for e in r.experts:
                score = c.scores.get(e.expert_id)
                cell: dict[int, Any] = {Qt.ItemDataRole.DisplayRole: fmt(score) if score is not None else self.tr("不适用"),
                                        Qt.ItemDataRole.TextAlignmentRole: int(RIGHT.value), **bg}
                if e.dropped:
                    cell[Qt.ItemDataRole.ForegroundRole] = GREY
                row.append(cell)
            row.append({Qt.ItemDataRole.DisplayRole: fmt(c.mean), Qt.ItemDataRole.TextAlignmentRole: int(RIGHT.value),
                        **bg})
            rows.append(row)
        bold = QFont(self.scoreView.font())
        bold.setBold(True)
        struck = QFont(bold)
        struck.setStrikeOut(True)
        total: list[Any] = [{Qt.ItemDataRole.DisplayRole: self.tr("总分"), Qt.ItemDataRole.FontRole: bold}, "100"]
        for e in r.experts:
            cell = {Qt.ItemDataRole.DisplayRole: fmt(e.total), Qt.ItemDataRole.FontRole: bold,
                    Qt.ItemDataRole.TextAlignmentRole: int(RIGHT.value),
                    Qt.ItemDataRole.ToolTipRole: self.tr("与全体平均分相差 %1").replace("%1", fmt(e.deviation))}
            if e.dropped:
                cell[Qt.ItemDataRole.DisplayRole] = DROPPED_MARK + fmt(e.total)
                cell[Qt.ItemDataRole.FontRole] = struck
                cell[Qt.ItemDataRole.ForegroundRole] = GREY
                cell[Qt.ItemDataRole.ToolTipRole] = (
                    self.tr("去掉的最高分：不计入最终得分") if e.dropped == "highest"
                    else self.tr("去掉的最低分：不计入最终得分"))
            if e.outlier:
                cell[Qt.ItemDataRole.BackgroundRole] = OUTLIER_BG
                cell[Qt.ItemDataRole.ToolTipRole] += "\n" + self.tr("离群：与全体平均分相差 %1").replace("%1", fmt(e.deviation))
            total.append(cell)
        total.append({Qt.ItemDataRole.DisplayRole: fmt(r.final_score), Qt.ItemDataRole.FontRole: bold,
                      Qt.ItemDataRole.TextAlignmentRole: int(RIGHT.value),
                      Qt.ItemDataRole.ToolTipRole: self.tr("最终得分")})
        rows.insert(0, total)
        self.scoreModel.set_headers(headers)
        self.scoreModel.set_rows(rows)
        self.scoreModel.layoutChanged.emit()
        self.scoreView.resizeColumnsToContents()
        self.scoreView.setColumnWidth(0, min(self.scoreView.columnWidth(0), 190))

    def _fill_calculation(self, r: ProposalResult) -> None:
        assert self.ctx is not None
        parts = [f"<p><b>{self.tr('计算过程')}</b><br>{_html(self._t(r.calculation))}</p>"]
        if r.flags:
            items = "".join(f"<li>{_html(f.text(self._lang()))}</li>" for f in r.flags)
            parts.append(f"<p><b>{self.tr('提示')}</b></p><ul>{items}</ul>")
        names = self.ctx.expert_name
        parts.append(f"<p><b>{self.tr('回避专家（不计分）')}</b>：" +
                     (_html("、".join(names(x) for x in r.conflicted)) or self.tr("无")) + "</p>")
        parts.append(f"<p><b>{self.tr('未收到评分表')}</b>：" +
                     (_html("、".join(names(x) for x in r.missing)) or self.tr("无")) + "</p>")
        self.calcText.setHtml("".join(parts))

    def _fill_vetoes(self, r: ProposalResult) -> None:
        assert self.ctx is not None
        self.vetoList.clear()
        for v in r.vetoes:
            who = "、".join(self.ctx.expert_name(x) for x in v.raised_by)
            if v.decision is None:
                state = self.tr("待组长确认")
            elif v.decision.confirmed:
                state = self.tr("已确认否决：%1").replace("%1", v.decision.reason)
            else:
                state = self.tr("不予采纳：%1").replace("%1", v.decision.reason)
            item = QListWidgetItem(self.tr("%1\n提出专家：%2\n%3").replace("%1", self._t(v.label))
                                   .replace("%2", who).replace("%3", state))
            item.setData(Qt.ItemDataRole.UserRole, v.veto_id)
            item.setForeground(QColor("#c62828") if v.decision is None else QColor("#333"))
            self.vetoList.addItem(item)
        if not r.vetoes:
            self.vetoList.addItem(QListWidgetItem(self.tr("没有专家提出否决项。")))
        self.tabs.setTabText(2, self.tr("否决项（%1）").replace("%1", str(len(r.vetoes))) if r.vetoes
                             else self.tr("否决项"))
        if r.vetoes:
            self.vetoList.setCurrentRow(0)
        self._update_veto_buttons()

    def _selected_veto(self) -> Any:
        item = self.vetoList.currentItem()
        veto_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if self.current is None or veto_id is None:
            return None
        return next((v for v in self.current.vetoes if v.veto_id == veto_id), None)

    def _update_veto_buttons(self) -> None:
        enabled = self._selected_veto() is not None and not self._busy
        self.confirmVetoButton.setEnabled(enabled)
        self.rejectVetoButton.setEnabled(enabled)

    def _on_veto(self, confirm: bool) -> None:
        veto, r = self._selected_veto(), self.current
        if veto is None or r is None or self.ctx is None:
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


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")
