"""An encrypted batch: the passphrase dialog, a wrong passphrase explained, the right one opens it."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.flow import wait_dialog
from tic_desktop.app import create_app
from tic_desktop.ui.common.agency_pin_dialog import AgencyPinDialog
from tic_desktop.ui.common.passphrase_dialog import PassphraseDialog


def test_passphrase_retry_then_open(qtbot, encrypted_demo_batch: Path, tmp_path: Path) -> None:
    app = create_app(["tic-desktop", str(encrypted_demo_batch)], data_dir=tmp_path / "d")
    qtbot.addWidget(app.window)
    dialog = wait_dialog(app, PassphraseDialog)
    assert not dialog.ui.errorLabel.text()
    dialog.ui.passphraseEdit.setText("not the passphrase")
    dialog.ui.buttonBox.accepted.emit()
    again = wait_dialog(app, PassphraseDialog, timeout=60)
    assert again is not dialog and again.ui.errorLabel.text()
    again.ui.passphraseEdit.setText("batch pass 7788")
    again.ui.buttonBox.accepted.emit()
    pin = wait_dialog(app, AgencyPinDialog, timeout=60)
    assert pin.ui.fingerprintLabel.text().startswith("SHA256:")
    pin.reject()
    app.shutdown()
