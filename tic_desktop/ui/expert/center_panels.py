"""The review page's 预算与政策核查 and 绩效目标 tabs: their panels are made when a tab is first shown
(or a panel is asked for), not with the window, and then filled with the proposal on screen. The
start paints the documents tab; the panels, their tables and the policy and KPI rules they use
(`core.policy`, `core.kpi`) wait until the expert looks at them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from tic_desktop.core.proposal import Proposal
    from tic_desktop.ui.expert.budget_panel import BudgetPanel
    from tic_desktop.ui.expert.kpi_panel import KpiPanel


class CenterPanels:
    def __init__(self, ui: Any, parent: QWidget) -> None:
        self._ui = ui
        self._parent = parent
        self._budget: BudgetPanel | None = None
        self._kpis: KpiPanel | None = None
        self._proposal: tuple[Proposal, bool] | None = None

    @property
    def budget(self) -> BudgetPanel:
        if self._budget is None:
            from tic_desktop.ui.expert.budget_panel import BudgetPanel  # noqa: PLC0415 - when first shown

            self._budget = BudgetPanel(self._parent)
            self._ui.budgetLayout.addWidget(self._budget)
            self._budget.show()
            if self._proposal is not None:
                self._budget.set_proposal(*self._proposal)
        return self._budget

    @property
    def kpis(self) -> KpiPanel:
        if self._kpis is None:
            from tic_desktop.ui.expert.kpi_panel import KpiPanel  # noqa: PLC0415 - when first shown

            self._kpis = KpiPanel(self._parent)
            self._ui.kpiLayout.addWidget(self._kpis)
            self._kpis.show()
            if self._proposal is not None:
                self._kpis.set_proposal(self._proposal[0])
        return self._kpis

    def set_proposal(self, proposal: Proposal, policy_applies: bool) -> None:
        self._proposal = (proposal, policy_applies)
        if self._budget is not None:
            self._budget.set_proposal(proposal, policy_applies)
        if self._kpis is not None:
            self._kpis.set_proposal(proposal)

    def tab_shown(self, tab: QWidget | None) -> None:
        """The centre tab on screen now: its panel made (and filled) if it was not yet."""
        if tab is self._ui.budgetTab:
            _ = self.budget
        elif tab is self._ui.kpiTab:
            _ = self.kpis
