"""Issue 17 finding 7, by keyboard alone: radio groups with no answer yet, the to-do list's jump, the
review dialog's table and folder, the budget table and the 绩效目标 tab."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.conftest import _builtin_forms
from tic_desktop.core.scoring import FormAnswers
from tic_desktop.ui.expert.scoring_form import ScoringForm


@pytest.fixture()
def form(qtbot) -> ScoringForm:
    widget = ScoringForm()
    qtbot.addWidget(widget)
    widget.resize(600, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    widget.set_form(_builtin_forms()["feasibility_review"], FormAnswers(), "technical")
    return widget


def _in_view(form: ScoringForm, widget: QWidget) -> bool:
    viewport = form._scroll.viewport()
    box = QRect(widget.mapTo(viewport, widget.rect().topLeft()), widget.size())
    return viewport.rect().contains(box)


def _focus_ring_drawn(widget: QWidget) -> bool:
    """The focused button looks different from the same button without focus (its focus ring)."""
    focused = widget.grab().toImage()
    widget.clearFocus()
    plain = widget.grab().toImage()
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    return focused != plain


def test_arrow_keys_in_an_empty_radio_group_move_a_visible_focus(qtbot, form: ScoringForm) -> None:
    """Down on the veto's 是 went to the scroll area, which scrolled the focused button out of sight."""
    qtbot.keyClick(form._levels_toggle, Qt.Key.Key_Tab)
    yes = QApplication.focusWidget()
    group = next(iter(form._veto_groups.values()))
    assert yes is group.button(1)
    top = form._scroll.verticalScrollBar().value()
    qtbot.keyClick(yes, Qt.Key.Key_Down)  # the first arrow key lands on the other button of the group
    no = group.button(0)
    assert QApplication.focusWidget() is no and form._scroll.verticalScrollBar().value() == top
    assert _in_view(form, no) and _focus_ring_drawn(no)
    assert group.checkedButton() is None  # moving the focus answers nothing
    qtbot.keyClick(no, Qt.Key.Key_Up)
    assert QApplication.focusWidget() is yes and _in_view(form, yes)

    buttons = list(form._conclusion_buttons.values())  # the conclusion, at the end of the form
    form._scroll.verticalScrollBar().setValue(0)
    buttons[0].setFocus(Qt.FocusReason.TabFocusReason)
    assert _in_view(form, buttons[0])
    for expected in (buttons[1], buttons[2], buttons[2]):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
        assert QApplication.focusWidget() is expected and _in_view(form, expected)
    assert _focus_ring_drawn(buttons[2]) and form._conclusion_group.checkedButton() is None


def test_a_jump_from_the_to_do_list_lands_with_a_focus_ring(qtbot, form: ScoringForm) -> None:
    problems = form._problems
    item = problems.item(3)
    problems.setFocus()
    problems.setCurrentItem(item)
    qtbot.keyClick(problems, Qt.Key.Key_Return)  # itemActivated, as Enter on the list
    target = QApplication.focusWidget()
    assert target is not None and target is not problems and form._content.isAncestorOf(target)
    assert _in_view(form, target)
    assert target.window().testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
    assert _focus_ring_drawn(target)


def test_tab_leaves_the_review_table_and_the_budget_table(qtbot, tmp_path: Path) -> None:
    """The review dialog's table trapped Tab; the budget table kept the focus (绩效目标 unreachable)."""
    from PySide6.QtTest import QTest

    from tests.e2e.flow import wait_until, walk_to_review
    from tic_desktop.app import create_app

    app = create_app(["tic-desktop"], data_dir=tmp_path / "data")
    window = app.window
    qtbot.addWidget(window)
    app.open_demo()
    walk_to_review(app)
    wait_until(lambda: window.viewer.isVisible())
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    tabs = window.ui.centerTabs
    tabs.setCurrentIndex(1)  # 预算与政策核查
    table = window.budget._table
    table.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(table.hasFocus)
    QTest.keyClick(table, Qt.Key.Key_Tab)
    assert not table.hasFocus()
    table.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(table, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert tabs.currentIndex() == 2 and tabs.tabText(2).startswith("绩效目标")
    tabs.setCurrentIndex(0)

    dialog = window.open_review()
    qtbot.waitUntil(dialog.isVisible)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.table.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(dialog.table.hasFocus)
    seen = []
    for _ in range(12):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
        if seen[-1] is dialog.folderEdit:
            break
    assert dialog.folderEdit in seen  # Tab goes on from the table to the folder, which can be typed
    assert not dialog.folderEdit.isReadOnly()
    QTest.keyClicks(dialog.folderEdit, "x")
    assert dialog.folderEdit.text().endswith("x")
    dialog.close()
    app.shutdown()


def test_the_conflict_tables_checkbox_and_combo_show_their_focus(qtbot) -> None:
    """The 回避 table's checkbox and combo cells showed no focus indicator."""
    from tic_desktop.core.proposal import Proposal
    from tic_desktop.ui.expert.conflicts_dialog import ConflictsDialog

    proposal = Proposal(id="P1", center_name="中心P1", center_type="comprehensive", lead_unit="大学",
                        field="人工智能", forms=("feasibility_review",))
    dialog = ConflictsDialog([proposal], {}, "zh")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    (_, check, combo, _note), = dialog.rows()
    check.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(check.hasFocus)
    assert _focus_ring_drawn(check)
    qtbot.keyClick(check, Qt.Key.Key_Space)
    qtbot.keyClick(check, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is combo and _focus_ring_drawn(combo)
