"""BudgetPanel: the proposal's R&D capacity project budget and the automatic policy checks.

The checks (30% share, 5 M CNY a year, 3 years) and their sentences come from
`core.policy.check_budget`; this panel only lays them out as pass/fail rows.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.core.policy import check_budget
from tic_desktop.core.proposal import Proposal
from tic_desktop.ui.common.off_screen import FillWhenShown
from tic_desktop.ui.common.table_model import CENTER, LEFT, RIGHT, TableModel, ui_language

_PASS = "#166534"
_FAIL = "#b91c1c"


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


class BudgetPanel(FillWhenShown, QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._table_title = QLabel(self.tr("研发能力建设项目预算（单位：元）"), self)
        self._table_title.setObjectName("panelHeading")
        self._model = TableModel(
            [self.tr("年度"), self.tr("类别"), self.tr("总投资"), self.tr("市财政补助")],
            [CENTER, LEFT, RIGHT, RIGHT], self)
        self._table = QTableView(self)
        self._table.setModel(self._model)
        self._table.setAccessibleName(self.tr("预算表"))
        self._table.setTabKeyNavigation(False)  # Tab leaves the table (arrows move inside)
        self._table.verticalHeader().setVisible(False)
        self._table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setAlternatingRowColors(True)
        self._table.setWordWrap(False)
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self._checks_title = QLabel(self.tr("政策核查（自动）"), self)
        self._checks_title.setObjectName("panelHeading")
        self._checks = QVBoxLayout()
        self._checks.setSpacing(6)
        self._check_labels: list[QLabel] = []

        # the table is as tall as its rows and the checks follow it: on a small screen the whole
        # page scrolls (rather than growing the window's minimum size or painting over itself)
        self._inner = QWidget()
        self._inner.setObjectName("budgetContent")
        self._scroll = QScrollArea(self)
        self._scroll.setObjectName("budgetScroll")
        self._scroll.setAccessibleName(self.tr("预算与政策核查"))
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setWidget(self._inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._scroll)
        layout = QVBoxLayout(self._inner)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addWidget(self._table_title)
        layout.addWidget(self._table)
        layout.addSpacing(6)
        layout.addWidget(self._checks_title)
        layout.addLayout(self._checks)
        layout.addStretch(1)
        self.setStyleSheet("QLabel#panelHeading { font-weight: bold; } QTableView::item { padding: 0px 8px; }")

    def set_proposal(self, proposal: Proposal, policy_applies: bool = True) -> None:
        """Show the budget; the policy checks only where they apply (`Manifest.subsidy_policy_applies`),
        else one line saying 不适用. Behind another tab of the window on screen, the panel is filled
        when it is first shown."""
        self.show_later((proposal, policy_applies))

    def fill(self, value: tuple[Proposal, bool]) -> None:
        proposal, policy_applies = value
        self._policy_applies = policy_applies
        bold = QFont(self.font())
        bold.setBold(True)
        rows: list[tuple[object, ...]] = []
        for line in sorted(proposal.budget, key=lambda b: b.year):
            rows.append((self.tr("第 {year} 年").format(year=line.year), line.category,
                         _money(line.total), _money(line.city_subsidy)))
        if proposal.budget:
            total = sum((b.total for b in proposal.budget), Decimal(0))
            subsidy = sum((b.city_subsidy for b in proposal.budget), Decimal(0))
            rows.append(tuple({Qt.ItemDataRole.DisplayRole: text, Qt.ItemDataRole.FontRole: bold,
                               Qt.ItemDataRole.BackgroundRole: QBrush(QColor("#f1f5f9"))}
                              for text in (self.tr("合计"), "", _money(total), _money(subsidy))))
        self._model.set_rows(rows)
        self._table.setVisible(bool(rows))
        self._table.setFixedHeight(self._table.horizontalHeader().sizeHint().height()
                                   + self._table.verticalHeader().defaultSectionSize() * len(rows) + 4)
        self._set_checks(proposal)

    def check_texts(self) -> list[tuple[bool, str]]:
        self.fill_waiting()
        return [(bool(label.property("passed")), label.text()) for label in self._check_labels]

    def _set_checks(self, proposal: Proposal) -> None:
        for label in self._check_labels:
            self._checks.removeWidget(label)
            label.deleteLater()
        self._check_labels = []
        lang = ui_language()
        if not getattr(self, "_policy_applies", True):
            label = QLabel(self.tr("不适用：市财政补助政策核查（不高于总投资 30%、每年不超过 500 万元、连续支持 3 年）"
                                   "只适用于综合性技术创新中心研发创新能力建设项目的方案论证。"), self)
            label.setWordWrap(True)
            label.setProperty("code", "policy.not_applicable")
            self._checks.addWidget(label)
            self._check_labels.append(label)
            return
        for check in check_budget(proposal):
            mark = "✔" if check.passed else "✘"
            label = QLabel(self.tr("{mark} {text}").format(mark=mark, text=check.text(lang)), self)
            label.setWordWrap(True)
            label.setProperty("passed", check.passed)
            label.setProperty("code", check.code)
            label.setAccessibleName(self.tr("通过：{text}").format(text=check.text(lang)) if check.passed
                                    else self.tr("未通过：{text}").format(text=check.text(lang)))
            color = _PASS if check.passed else _FAIL
            background = "#f0fdf4" if check.passed else "#fef2f2"
            label.setStyleSheet(f"QLabel {{ color: {color}; background: {background}; border-radius: 3px;"
                                f" padding: 5px 8px; }}")
            self._checks.addWidget(label)
            self._check_labels.append(label)
