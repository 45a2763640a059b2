"""Issue 14, start-up: what is behind another tab of the review page (the second scoring form, the
budget and KPI tabs) is filled when it is first shown, so the start builds only what it paints.
These tests check that the expert never sees the difference: a form or panel shown later shows the
proposal on screen, its tab title carries the right total before it was ever shown, and the
stored window state is written only when it changes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtWidgets import QApplication


def _two_form_proposals(app) -> list[str]:
    session = app.session
    return [p.id for p in session.assigned()
            if not session.is_conflicted(p.id) and len(session.forms_for(p.id)) == 2]


def test_a_form_behind_another_tab_shows_the_proposal_on_screen(qtbot, tmp_path: Path) -> None:
    from tests.e2e.flow import type_score, wait_until, walk_to_review
    from tic_desktop.app import create_app

    app = create_app(["tic-desktop"], data_dir=tmp_path / "data")
    window = app.window
    qtbot.addWidget(window)
    app.open_demo()
    walk_to_review(app)
    tabs = window.ui.formTabs
    first, second = _two_form_proposals(app)[:2]
    window.proposals.select(first)
    wait_until(lambda: window.current_id == first)
    assert tabs.currentIndex() == 0
    # the R&D form is not built while the plan's form is the one on screen
    assert window.forms[1]._content is None  # noqa: SLF001 - what the start leaves for later

    tabs.setCurrentIndex(1)  # shown: built and filled with this proposal's (empty) answers
    rd = window.current_form()
    criterion = window._shown_forms[1].criteria[0]  # noqa: SLF001
    type_score(rd.criterion_row(criterion.id).score_edit, format(criterion.max, "f"))
    wait_until(lambda: window.flush() and app.session.answers(first, "rd_capacity_project").scores)
    typed = format(criterion.max.quantize(Decimal("0.01")), "f")
    entry = rd.criterion_row(criterion.id).score_edit.text()  # as the field shows it ("10.0")
    assert Decimal(entry) == criterion.max
    assert tabs.tabText(1).endswith(f"· {typed}")

    window.proposals.select(second)  # starts on its first form: the R&D form is off screen again
    wait_until(lambda: window.current_id == second)
    assert tabs.currentIndex() == 0
    assert tabs.tabText(1).endswith("· 0.00")  # the total of the proposal on screen, not shown yet
    tabs.setCurrentIndex(1)
    assert window.current_form().criterion_row(criterion.id).score_edit.text() == ""
    assert window.current_form().total_text() == "总分 0 / 100"

    tabs.setCurrentIndex(0)
    window.proposals.select(first)
    wait_until(lambda: window.current_id == first)
    assert tabs.tabText(1).endswith(f"· {typed}")  # before the form is shown again
    # asked for before it is shown (Ctrl+3, a test, the review): filled at once
    assert window.forms[1].criterion_row(criterion.id).score_edit.text() == entry
    tabs.setCurrentIndex(1)
    QApplication.processEvents()
    assert window.current_form().criterion_row(criterion.id).score_edit.text() == entry
    app.shutdown()


def test_the_budget_and_kpi_tabs_show_the_proposal_on_screen(qtbot, tmp_path: Path) -> None:
    from tests.e2e.flow import wait_until, walk_to_review
    from tic_desktop.app import create_app
    from tic_desktop.core.policy import check_budget

    app = create_app(["tic-desktop"], data_dir=tmp_path / "data")
    window = app.window
    qtbot.addWidget(window)
    app.open_demo()
    walk_to_review(app)
    ids = [p.id for p in app.session.assigned() if not app.session.is_conflicted(p.id)]
    tabs = window.ui.centerTabs
    assert window._panels._budget is None and window._panels._kpis is None  # noqa: SLF001 - the start made neither
    app.session.set_place(tab=tabs.indexOf(window.ui.budgetTab))
    window.bind(app.session)  # as the next start does: back on the budget tab the expert left
    QApplication.processEvents()
    assert tabs.currentWidget() is window.ui.budgetTab and window.budget.isVisible()
    first = app.session.opened.proposals[window.current_id]
    assert [t for _p, t in window.budget.check_texts()] == [
        f"{'✔' if c.passed else '✘'} {c.text('zh')}" for c in check_budget(first)]
    tabs.setCurrentWidget(window.ui.documentsTab)
    for pid in [*ids[1:3], ids[0]]:  # switched through while the documents tab is on screen
        window.proposals.select(pid)
        wait_until(lambda pid=pid: window.current_id == pid)
    shown = window.current_id
    proposal = app.session.opened.proposals[shown]
    assert tabs.isTabVisible(tabs.indexOf(window.ui.budgetTab))  # the demo's AI center has a budget
    assert app.session.opened.manifest.subsidy_policy_applies(proposal)
    tabs.setCurrentWidget(window.ui.budgetTab)
    QApplication.processEvents()
    expected = [f"{'✔' if c.passed else '✘'} {c.text('zh')}" for c in check_budget(proposal)]
    assert [text for _passed, text in window.budget.check_texts()] == expected and expected
    assert window.budget._model.rowCount() == len(proposal.budget) + 1  # noqa: SLF001 - and the 合计 row
    tabs.setCurrentWidget(window.ui.kpiTab)
    QApplication.processEvents()
    assert window.kpis._model.rowCount() == len(proposal.kpis)  # noqa: SLF001
    app.shutdown()


def test_an_unchanged_window_state_is_not_written_again(tmp_path: Path) -> None:
    from tic_desktop.storage.workspace import Workspace

    ws = Workspace.open(tmp_path / "workspace.db", check_location=False)
    try:
        ws.set_ui_state("last_batch", "B-1")
        before = ws.query("SELECT updated_at FROM ui_state WHERE key = 'last_batch'")
        changes = ws._connection().total_changes  # noqa: SLF001
        ws.set_ui_state("last_batch", "B-1")  # every start: the same batch, place and panels
        assert ws._connection().total_changes == changes  # noqa: SLF001 - nothing committed
        assert ws.query("SELECT updated_at FROM ui_state WHERE key = 'last_batch'") == before
        ws.set_ui_state("last_batch", "B-2")
        assert ws.ui_state("last_batch") == "B-2"
        ws.set_ui_state("place:B-2", {"proposal": "P1", "tab": 0})
        ws.set_ui_state("place:B-2", {"tab": 0, "proposal": "P1"})  # the same value, keys in another order
        assert ws._connection().total_changes == changes + 2  # noqa: SLF001
    finally:
        ws.close()
