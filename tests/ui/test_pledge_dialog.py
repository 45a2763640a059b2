"""The pledge must be ticked before it can be accepted; the agency pin needs the comparison ticked."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from tic_desktop.ui.common.agency_pin_dialog import AgencyPinDialog, spaced
from tic_desktop.ui.common.passphrase_dialog import PassphraseDialog
from tic_desktop.ui.expert.pledge_dialog import PledgeDialog


def test_pledge_needs_acceptance(qtbot) -> None:
    dialog = PledgeDialog("zh", "承诺人：张三")
    qtbot.addWidget(dialog)
    ok = dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    assert "回避" in dialog.ui.textBrowser.toPlainText() and "保密" in dialog.ui.textBrowser.toPlainText()
    dialog.ui.acceptCheck.setChecked(True)
    assert ok.isEnabled()
    english = PledgeDialog("en", "")
    qtbot.addWidget(english)
    assert "confidential" in english.ui.textBrowser.toPlainText()


def test_agency_pin_shows_grouped_fingerprint(qtbot) -> None:
    fp = "SHA256:" + "Ab12" * 10 + "xyz"
    dialog = AgencyPinDialog("天津市科技评估中心", fp)
    qtbot.addWidget(dialog)
    ok = dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.ui.fingerprintLabel.text() == spaced(fp)
    assert spaced(fp).replace(" ", "") == fp
    assert not ok.isEnabled()
    dialog.ui.comparedCheck.setChecked(True)
    assert ok.isEnabled()


def test_passphrase_dialog_shows_the_last_error(qtbot) -> None:
    dialog = PassphraseDialog(error="口令不正确")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.ui.errorLabel.isVisible()
    dialog.ui.passphraseEdit.setText("abc")
    assert dialog.value().passphrase == "abc"
