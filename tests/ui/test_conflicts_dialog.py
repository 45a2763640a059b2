"""回避 declarations: reason required, note required for "other", known conflicts locked."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QDialog

from tic_desktop.core.proposal import Proposal
from tic_desktop.expert.session import ConflictDeclaration
from tic_desktop.ui.expert.conflicts_dialog import ConflictsDialog


def _proposal(pid: str) -> Proposal:
    _ = Decimal
    return Proposal(id=pid, center_name=f"中心{pid}", center_type="comprehensive", lead_unit="某大学",
                    field="人工智能", forms=("feasibility_review",))


def test_reasons_notes_and_locked_rows(qtbot) -> None:
    proposals = [_proposal("P1"), _proposal("P2"), _proposal("P3")]
    known = {"P3": ConflictDeclaration(True, "known_in_advance", "", locked=True)}
    dialog = ConflictsDialog(proposals, known, "zh")
    qtbot.addWidget(dialog)
    rows = {pid: (check, combo, note) for pid, check, combo, note in dialog.rows()}
    assert not rows["P3"][0].isEnabled() and rows["P3"][0].isChecked()
    check, combo, note = rows["P1"]
    assert not combo.isEnabled()
    check.setChecked(True)
    assert "选择回避情形" in dialog.problem()
    combo.setCurrentIndex(combo.findData("other"))
    assert "说明" in dialog.problem()
    note.setText("曾任该中心顾问")
    assert dialog.problem() == ""
    dialog.ui.buttonBox.accepted.emit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    value = dialog.value()
    assert value["P1"] == ConflictDeclaration(True, "other", "曾任该中心顾问")
    assert value["P2"] == ConflictDeclaration(False)
    assert value["P3"].locked


def test_english_labels(qtbot) -> None:
    dialog = ConflictsDialog([_proposal("P1")], {}, "en")
    qtbot.addWidget(dialog)
    combo = dialog.rows()[0][2]
    assert any("3 years" in combo.itemText(i) for i in range(combo.count()))


def test_tab_goes_from_control_to_control_not_through_the_cells(qtbot) -> None:
    """Issue 17 finding 7: the 回避 table visited four cells a row, with no focus mark on the controls."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    dialog = ConflictsDialog([_proposal("P1"), _proposal("P2")], {}, "zh")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    (_, c1, b1, n1), (_, c2, _b2, _n2) = dialog.rows()
    c1.setFocus()
    qtbot.waitUntil(c1.hasFocus)
    qtbot.keyClick(c1, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is c2  # 情形 and 说明 are off until 回避 is ticked
    qtbot.keyClick(c2, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is c1
    qtbot.keyClick(c1, Qt.Key.Key_Space)
    assert c1.isChecked()
    qtbot.keyClick(c1, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is b1
    qtbot.keyClick(b1, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is n1
    assert dialog.ui.table.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert "QCheckBox:focus" in dialog.ui.table.styleSheet()
