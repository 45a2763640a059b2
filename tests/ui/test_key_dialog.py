"""Key creation: strength meter, confirm, the no-recovery acknowledgement; unlock mode."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from tic_desktop.ui.expert.key_dialog import KeyDialog


def _ok(dialog: KeyDialog):
    return dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)


def test_create_needs_strength_confirm_and_acknowledgement(qtbot) -> None:
    dialog = KeyDialog("张三", create=True)
    qtbot.addWidget(dialog)
    assert not _ok(dialog).isEnabled()
    dialog.ui.passphraseEdit.setText("short")
    assert "10" in dialog.problem() and dialog.ui.strengthBar.value() == 0
    dialog.ui.passphraseEdit.setText("password123!")
    assert "常见" in dialog.problem()
    dialog.ui.passphraseEdit.setText("Haihe river 2026")
    assert dialog.ui.strengthBar.value() >= 3
    assert "不一致" in dialog.problem()
    dialog.ui.confirmEdit.setText("Haihe river 2026")
    assert "无法找回" in dialog.problem()
    assert not _ok(dialog).isEnabled()
    dialog.ui.understoodCheck.setChecked(True)
    assert dialog.problem() == "" and _ok(dialog).isEnabled()
    value = dialog.value()
    assert value.passphrase == "Haihe river 2026" and value.create
    assert "无法找回" in dialog.ui.warningLabel.text()


def test_unlock_mode_shows_the_error_and_hides_creation(qtbot) -> None:
    dialog = KeyDialog("张三", create=False, error="口令不正确")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ui.confirmEdit.isVisible() and not dialog.ui.warningLabel.isVisible()
    assert dialog.ui.errorLabel.text() == "口令不正确"
    dialog.ui.passphraseEdit.setText("x")
    assert _ok(dialog).isEnabled()
