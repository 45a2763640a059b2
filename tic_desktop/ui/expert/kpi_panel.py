"""KpiPanel: the plan's quantified targets beside the reported values, with completion rates.

Rates and statuses come from `core.kpi`; the achieved columns are hidden when the proposal
reports no achieved values (feasibility review: only the planned targets exist).
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from tic_desktop.core.kpi import kpi_rows, kpi_summary
from tic_desktop.core.proposal import Proposal
from tic_desktop.ui.common.off_screen import FillWhenShown
from tic_desktop.ui.common.table_model import CENTER, LEFT, RIGHT, TableModel, ui_language

_STATUS_COLORS = {"met": "#166534", "not_met": "#b91c1c", "not_reported": "#6b7280"}
_STATUS_MARKS = {"met": "✔", "not_met": "✘", "not_reported": "—"}
_ACHIEVED_COLUMNS = (4, 5, 6)


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    whole, _, fraction = text.partition(".")
    grouped = f"{int(whole):,}" if whole.lstrip("-").isdigit() else whole
    if whole.startswith("-") and not grouped.startswith("-"):
        grouped = "-" + grouped
    return grouped + ("." + fraction if fraction else "")


class KpiPanel(FillWhenShown, QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = QLabel(self.tr("绩效目标"), self)
        self._title.setObjectName("panelHeading")
        self._model = TableModel(
            [self.tr("编号"), self.tr("指标"), self.tr("单位"), self.tr("目标值"), self.tr("完成值"),
             self.tr("完成率"), self.tr("状态")],
            [LEFT, LEFT, CENTER, RIGHT, RIGHT, RIGHT, CENTER], self)
        self._table = QTableView(self)
        self._table.setTabKeyNavigation(False)  # Tab leaves the table (arrows move inside)
        self._table.setModel(self._model)
        self._table.setAccessibleName(self.tr("绩效目标表"))
        self._table.verticalHeader().setVisible(False)
        self._table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setAlternatingRowColors(True)
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self._summary = QLabel(self)
        self._summary.setWordWrap(True)
        self._summary.setAccessibleName(self.tr("绩效目标完成情况"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addWidget(self._title)
        layout.addWidget(self._table)
        layout.addWidget(self._summary)
        layout.addStretch(1)
        self.setStyleSheet("QLabel#panelHeading { font-weight: bold; } QTableView::item { padding: 0px 8px; }")

    def set_proposal(self, proposal: Proposal) -> None:
        """Show the proposal's targets; behind another tab of the window on screen, when first shown."""
        self.show_later(proposal)

    def fill(self, proposal: Proposal) -> None:
        lang = ui_language()
        rows = kpi_rows(proposal)
        reported = any(r.achieved is not None for r in rows)
        table: list[tuple[object, ...]] = []
        for r in rows:
            color = QBrush(QColor(_STATUS_COLORS[r.status]))
            hint = self.tr("越大越好") if r.higher_is_better else self.tr("越小越好")
            table.append((
                r.kpi_id,
                {Qt.ItemDataRole.DisplayRole: r.name, Qt.ItemDataRole.ToolTipRole: f"{r.name}（{hint}）"},
                r.unit,
                _number(r.target),
                "—" if r.achieved is None else _number(r.achieved),
                r.completion_percent,
                {Qt.ItemDataRole.DisplayRole: f"{_STATUS_MARKS[r.status]} {r.status_text(lang)}",
                 Qt.ItemDataRole.ForegroundRole: color},
            ))
        self._model.set_rows(table)
        self._table.setVisible(bool(table))
        self._table.setFixedHeight(self._table.horizontalHeader().sizeHint().height()
                                   + self._table.verticalHeader().defaultSectionSize() * len(table) + 4)
        for column in _ACHIEVED_COLUMNS:
            self._table.setColumnHidden(column, not reported)
        self._title.setText(self.tr("绩效目标完成情况（计划与实际）") if reported else self.tr("绩效目标（计划）"))
        if not rows:
            self._summary.setText(self.tr("申报材料未列出量化绩效目标。"))
        elif reported:
            self._summary.setText(kpi_summary(rows).text(lang))
        else:
            self._summary.setText(self.tr("共 {count} 项量化目标，完成值将在总结评估时填报。").format(count=len(rows)))

    def is_achieved_visible(self) -> bool:
        self.fill_waiting()
        return not self._table.isColumnHidden(_ACHIEVED_COLUMNS[0])
