"""BudgetPanel and KpiPanel: tables, money format, the policy checks and completion rates."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

from tic_desktop.core.proposal import BudgetLine, Kpi, Proposal
from tic_desktop.ui.expert.budget_panel import BudgetPanel
from tic_desktop.ui.expert.kpi_panel import KpiPanel


def _cells(model) -> list[list[str]]:
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_budget_table_and_failing_ratio_check(qtbot, proposal: Proposal) -> None:
    panel = BudgetPanel()
    qtbot.addWidget(panel)
    panel.set_proposal(proposal)
    rows = _cells(panel._model)
    assert rows[0] == ["第 1 年", "设备购置", "8,000,000.00", "2,000,000.00"]
    assert rows[-1] == ["合计", "", "26,000,000.00", "9,000,000.00"]
    align = panel._model.index(0, 2).data(Qt.ItemDataRole.TextAlignmentRole)
    assert align & Qt.AlignmentFlag.AlignRight.value
    checks = dict((label.property("code"), label) for label in panel._check_labels)
    ratio = checks["subsidy.ratio"]
    assert ratio.property("passed") is False
    assert ratio.text().startswith("✘ ")
    assert "34.62%" in ratio.text() and "30.00%" in ratio.text() and "不符合" in ratio.text()
    annual = checks["subsidy.annual_cap"]
    assert annual.property("passed") is True and annual.text().startswith("✔ ")
    assert [passed for passed, _ in panel.check_texts()] == [False, True, True, True]


def test_budget_within_the_rules_and_missing(qtbot, proposal: Proposal) -> None:
    panel = BudgetPanel()
    qtbot.addWidget(panel)
    fine = proposal.model_copy(update={"budget": (
        BudgetLine(year=1, category="设备购置", total=Decimal("10000000"), city_subsidy=Decimal("3000000")),)})
    panel.set_proposal(fine)
    assert all(passed for passed, _ in panel.check_texts())
    panel.set_proposal(proposal.model_copy(update={"budget": ()}))
    assert panel._model.rowCount() == 0
    assert [passed for passed, _ in panel.check_texts()] == [False]


def test_kpi_planned_vs_achieved(qtbot, proposal: Proposal) -> None:
    panel = KpiPanel()
    qtbot.addWidget(panel)
    panel.set_proposal(proposal)
    assert panel.is_achieved_visible()
    rows = _cells(panel._model)
    assert rows[0] == ["K1", "发明专利授权", "件", "30", "36", "120.00%", "✔ 达成"]
    assert rows[1][5:] == ["70.00%", "✘ 未达成"]
    assert rows[2][3:5] == ["5,000", "5,200"]
    assert rows[3][5] == "111.11%"  # lower is better: 100 / 90
    assert "达成 3 项" in panel._summary.text()


def test_kpi_without_achieved_values_hides_the_columns(qtbot, proposal: Proposal) -> None:
    panel = KpiPanel()
    qtbot.addWidget(panel)
    planned = proposal.model_copy(update={"kpis": (
        Kpi(id="K1", name="发明专利授权", unit="件", target=Decimal("30")),)})
    panel.set_proposal(planned)
    assert not panel.is_achieved_visible()
    assert panel._title.text() == "绩效目标（计划）"
    panel.set_proposal(proposal)
    assert panel.is_achieved_visible()


def test_budget_page_never_overlaps_itself_on_a_small_window(qtbot, proposal: Proposal) -> None:
    """Issue 17 finding 4: the 合计 row under the 政策核查 heading, checks painted over rows at 1366×690."""
    panel = BudgetPanel()
    qtbot.addWidget(panel)
    panel.set_proposal(proposal)
    panel.resize(520, 260)  # shorter than the table and the checks together
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.minimumSizeHint().height() < 200  # it scrolls instead of growing the window
    table = panel._table.geometry()
    heading = panel._checks_title.geometry()
    assert table.bottom() < heading.top()
    for label in panel._check_labels:
        assert not label.geometry().intersects(table) and label.geometry().top() > heading.bottom()
    assert panel._scroll.verticalScrollBar().maximum() > 0
