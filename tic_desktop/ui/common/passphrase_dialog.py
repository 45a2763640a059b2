"""Asks for the passphrase of an encrypted batch; shows why the last try failed."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QDialog, QWidget

from tic_desktop.ui.forms.ui_passphrase_dialog import Ui_PassphraseDialog


@dataclass(frozen=True)
class PassphraseAnswer:
    passphrase: str


class PassphraseDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, error: str = "", prompt: str = "") -> None:
        super().__init__(parent)
        self.ui = Ui_PassphraseDialog()
        self.ui.setupUi(self)
        if prompt:
            self.ui.promptLabel.setText(prompt)
        self.ui.errorLabel.setText(error)
        self.ui.errorLabel.setVisible(bool(error))
        self._connect()

    def _connect(self) -> None:
        self.ui.buttonBox.accepted.connect(self._on_accept)
        self.ui.buttonBox.rejected.connect(self.reject)

    def _on_accept(self) -> None:
        if self.ui.passphraseEdit.text():
            self.accept()

    def value(self) -> PassphraseAnswer:
        return PassphraseAnswer(self.ui.passphraseEdit.text())
