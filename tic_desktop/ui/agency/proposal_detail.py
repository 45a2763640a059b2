"""One proposal's consolidated result (right half of 汇总结果): the title with the final score and
conclusion, the panel's totals (DotPlot), the experts × criteria table with the dropped totals
struck (item by item on role-split forms), the calculation with flags, withdrawn and missing experts,
the outcome (award, 优秀 cap), the subsidy policy checks with the compliant subsidy, the experts'
suggested subsidy, the counted 撤并转 recommendations, 达标率 / 平均完成率, and the raised vetoes
(VetoPanel). Only shows; no rules."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.core.kpi import kpi_rows, kpi_summary
from tic_desktop.ui.agency.charts import Dot, DotPlot
from tic_desktop.ui.agency.result_texts import (
    award_text,
    capped_note,
    conclusion_text,
    fmt,
    outcome_text,
    t,
)
from tic_desktop.ui.agency.veto_panel import VetoPanel
from tic_desktop.ui.common.table_model import RIGHT, TableModel

DROPPED_MARK = "〔去〕"
GREY = QColor("#8a8a8a")
OUTLIER_BG = QColor("#ffe0e0")
SPREAD_BG = QColor("#fff3cd")
D = Qt.ItemDataRole


class ProposalDetail(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = "zh"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        self.titleLabel = QLabel()
        title_font = QFont(self.titleLabel.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
        title_font.setBold(True)
        self.titleLabel.setFont(title_font)
        self.titleLabel.setWordWrap(True)
        layout.addWidget(self.titleLabel)
        # an expert's conclusion that differs from the band of their own total, with their reason,
        # where the agency looks (issue 17 item 8)
        self.bandNote = QLabel()
        self.bandNote.setObjectName("bandNote")
        self.bandNote.setWordWrap(True)
        self.bandNote.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bandNote.setStyleSheet("QLabel#bandNote { background: #fff7e6; color: #92400e; border: 1px solid "
                                    "#f59e0b; border-radius: 3px; padding: 3px 6px; }")
        self.bandNote.setAccessibleName(self.tr("结论与分档不一致"))
        self.bandNote.setVisible(False)
        layout.addWidget(self.bandNote)
        # the plot and its legend scroll in their own area above the tables: a panel of many experts
        # on a small screen never squeezes the plot onto its legend or grows the window (issue 17)
        self.dotPlot = DotPlot()
        plot_box = QWidget()
        plot_layout = QVBoxLayout(plot_box)
        plot_layout.setContentsMargins(0, 0, 0, 0)
        plot_layout.addWidget(self.dotPlot)
        self.legendLabel = QLabel(self.tr("● 计入　○ 去掉的最高/最低分　◉ 离群　┆ 最终得分"))
        self.legendLabel.setStyleSheet("color: #666;")
        self.legendLabel.setWordWrap(True)
        plot_layout.addWidget(self.legendLabel)
        plot_layout.addStretch(1)
        self.plotScroll = QScrollArea()
        self.plotScroll.setWidgetResizable(True)
        self.plotScroll.setFrameShape(QFrame.Shape.NoFrame)
        self.plotScroll.setAccessibleName(self.tr("专家总分分布"))
        self.plotScroll.setWidget(plot_box)
        self.plotScroll.setMinimumHeight(60)
        self.tabs = QTabWidget()
        self.scoreModel = TableModel([], parent=self)
        self.scoreView = QTableView()
        self.scoreView.setAccessibleName(self.tr("评分汇总表"))
        self.scoreView.setModel(self.scoreModel)
        self.scoreView.verticalHeader().hide()
        self.scoreView.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.scoreView.setWordWrap(False)
        # one line a row (issue 17: 评分明细 rows three lines tall); names elided, whole in the tooltip
        rows = self.scoreView.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.scoreView.fontMetrics().lineSpacing() + 8)
        self.tabs.addTab(self.scoreView, self.tr("评分明细"))
        self.calcText = QTextBrowser()
        self.calcText.setAccessibleName(self.tr("计算过程"))
        self.tabs.addTab(self.calcText, self.tr("计算过程与提示"))
        self.vetoPanel = VetoPanel()
        self.tabs.addTab(self.vetoPanel, self.tr("否决项"))
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(self.plotScroll)
        self.split.addWidget(self.tabs)
        self.split.setChildrenCollapsible(False)
        self.split.setStretchFactor(0, 2)
        self.split.setStretchFactor(1, 3)
        self._split_moved = False
        self.split.splitterMoved.connect(lambda *_: setattr(self, "_split_moved", True))
        layout.addWidget(self.split, 1)

    def clear(self, text: str) -> None:
        self.titleLabel.setText(text)
        self.bandNote.setVisible(False)
        self.dotPlot.set_data([], None)
        self.scoreModel.set_headers([])
        self.scoreModel.set_rows([])
        self.calcText.clear()
        self.vetoPanel.clear()
        self.tabs.setTabText(2, self.vetoPanel.title())

    def show_result(self, r: Any, ctx: Any) -> None:
        """`r`: a ProposalResult (its policy checks, suggested subsidy and 撤并转 counts included)."""
        self.lang = ctx.lang
        self.titleLabel.setText(self.tr("%1　最终得分 %2　结论：%3")
                                .replace("%1", r.center_name).replace("%2", fmt(r.final_score))
                                .replace("%3", conclusion_text(r, self.lang, outcome=True)))
        reasons = [f.text(self.lang) for f in r.flags if f.code == "conclusion.differs_from_band"]
        self.bandNote.setText("\n".join(f"⚠ {text}" for text in reasons))
        self.bandNote.setVisible(bool(reasons))
        dropped_label = {"highest": self.tr("（去掉的最高分）"), "lowest": self.tr("（去掉的最低分）")}
        self.dotPlot.set_data(
            [Dot(label=e.expert_name + (dropped_label[e.dropped] if e.dropped else ""), value=e.total,
                 dropped=e.dropped is not None, outlier=e.outlier) for e in r.experts],
            r.final_score, self.tr("最终得分 %1").replace("%1", fmt(r.final_score)))
        self._fit_plot()
        self._fill_scores(r, ctx)
        self._fill_calculation(r, ctx)
        self.vetoPanel.show_vetoes(r.vetoes, ctx.expert_name, lambda text: t(text, self.lang))
        self.tabs.setTabText(2, self.vetoPanel.title())

    def _fit_plot(self) -> None:
        """The whole plot in view when there is room (up to about half the height), until the user
        moves the divider."""
        total = sum(self.split.sizes())
        if self._split_moved or total <= 0:
            return
        top = min(self.plotScroll.widget().sizeHint().height() + 4, int(total * 0.55))
        self.split.setSizes([top, total - top])

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_plot()

    def _fill_scores(self, r: Any, ctx: Any) -> None:
        form = ctx.batch.forms[r.form_id]
        labels = {c.id: c for c in form.criteria}
        headers = [self.tr("评分项"), self.tr("满分")] + [e.expert_name for e in r.experts] + [self.tr("平均")]
        rows: list[list[Any]] = []
        right = int(RIGHT.value)
        for c in r.criteria:
            crit = labels.get(c.criterion_id)
            name = f"{c.criterion_id} {t(crit.label, self.lang)}" if crit else c.criterion_id
            bg = {D.BackgroundRole: SPREAD_BG} if c.outlier else {}
            tip = self.tr("专家打分相差 %1 分").replace("%1", fmt(c.spread)) if c.outlier else name
            row: list[Any] = [{D.DisplayRole: name, **bg, D.ToolTipRole: tip}, fmt(c.max)]
            for e in r.experts:
                score = c.scores.get(e.expert_id)
                cell: dict[int, Any] = {D.DisplayRole: fmt(score) if score is not None else self.tr("不适用"),
                                        D.TextAlignmentRole: right, **bg}
                if e.dropped or e.expert_id in c.dropped:
                    cell[D.ForegroundRole] = GREY
                if e.expert_id in c.dropped:
                    cell[D.DisplayRole] = DROPPED_MARK + cell[D.DisplayRole]
                    cell[D.ToolTipRole] = (self.tr("本项去掉的最高分") if c.dropped[e.expert_id] == "highest"
                                           else self.tr("本项去掉的最低分"))
                row.append(cell)
            row.append({D.DisplayRole: fmt(c.mean), D.TextAlignmentRole: right, **bg})
            rows.append(row)
        bold = QFont(self.scoreView.font())
        bold.setBold(True)
        struck = QFont(bold)
        struck.setStrikeOut(True)
        total: list[Any] = [{D.DisplayRole: self.tr("总分"), D.FontRole: bold}, "100"]
        for e in r.experts:
            cell = {D.DisplayRole: fmt(e.total), D.FontRole: bold, D.TextAlignmentRole: right,
                    D.ToolTipRole: self.tr("与全体平均分相差 %1").replace("%1", fmt(e.deviation))}
            if e.dropped:
                cell[D.DisplayRole] = DROPPED_MARK + fmt(e.total)
                cell[D.FontRole] = struck
                cell[D.ForegroundRole] = GREY
                cell[D.ToolTipRole] = (self.tr("去掉的最高分：不计入最终得分") if e.dropped == "highest"
                                       else self.tr("去掉的最低分：不计入最终得分"))
            if e.outlier:
                cell[D.BackgroundRole] = OUTLIER_BG
                cell[D.ToolTipRole] += "\n" + self.tr("离群：与全体平均分相差 %1").replace("%1", fmt(e.deviation))
            total.append(cell)
        total.append({D.DisplayRole: fmt(r.final_score), D.FontRole: bold, D.TextAlignmentRole: right,
                      D.ToolTipRole: self.tr("最终得分")})
        rows.insert(0, total)
        self.scoreModel.set_headers(headers)
        self.scoreModel.set_rows(rows)
        self.scoreModel.layoutChanged.emit()
        self.scoreView.resizeColumnsToContents()
        self.scoreView.setColumnWidth(0, min(self.scoreView.columnWidth(0), 190))

    def _fill_calculation(self, r: Any, ctx: Any) -> None:
        def heading(text: str) -> str:
            return f"<p><b>{html(text)}</b></p>"

        def line(label: str, text: str) -> str:
            return f"{html(label)}：{html(text)}"

        parts = [heading(self.tr("计算过程")), f"<p>{html(t(r.calculation, self.lang))}</p>"]
        if r.conclusion_label is not None or r.outcome is not None:
            lines = [line(self.tr("结论"), conclusion_text(r, self.lang)),
                     line(self.tr("处理结果"), outcome_text(r, self.lang))]
            if r.award:
                lines.append(line(self.tr("奖励"), award_text(r.award, self.lang)))
            if r.capped:
                lines.append(html(capped_note(r, self.lang)))
            parts += [heading(self.tr("结论与处理结果")), f"<p>{'<br>'.join(lines)}</p>"]
        if r.flags:
            items = "".join(f"<li>{html(f.text(self.lang))}</li>" for f in r.flags)
            parts += [heading(self.tr("提示")), f"<ul>{items}</ul>"]
        if r.policy.applies:
            checks = "".join(f"<li>{html(c.text(self.lang))}</li>" for c in r.policy.checks)
            parts += [heading(self.tr("财政补助政策核查（30%、每年 500 万元、连续不超过 3 年）")),
                      f"<p>{html(r.policy.summary(self.lang))}</p><ul>{checks}</ul>"]
        if r.suggested_subsidy is not None:
            parts += [heading(self.tr("专家建议财政补助额度")), f"<p>{html(r.suggested_subsidy.text(self.lang))}</p>"]
        if r.restructure is not None:
            items = ""
            for o in r.restructure.options:
                head = t(o.label, self.lang) + " " + self.tr("%1 人").replace("%1", str(o.count))
                items += f"<li>{line(head, '、'.join(o.experts + o.targets) or self.tr('无'))}</li>"
            parts += [heading(self.tr("撤并转建议（专家人数）")),
                      f"<p>{html(r.restructure.text(self.lang))}</p><ul>{items}</ul>"]
        proposal = getattr(ctx.batch, "proposals", {}).get(r.proposal_id)
        if proposal is not None and proposal.kpis:
            summary = kpi_summary(kpi_rows(proposal))
            parts += [heading(self.tr("绩效目标完成情况（达标率、平均完成率）")), f"<p>{html(summary.text(self.lang))}</p>"]
        names, none = ctx.expert_name, self.tr("无")
        withdrawn, missing = self.tr("回避专家（不计分）"), self.tr("未收到评分表")
        parts.append(f"<p>{line(withdrawn, '、'.join(names(x) for x in r.conflicted) or none)}</p>")
        parts.append(f"<p>{line(missing, '、'.join(names(x) for x in r.missing) or none)}</p>")
        self.calcText.setHtml("".join(parts))

def html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")
