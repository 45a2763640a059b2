"""Language and a larger font; both stored in ui_state, applied live."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from tic_desktop.ui.common.settings import Settings
from tic_desktop.ui.forms.ui_settings_dialog import Ui_SettingsDialog

__all__ = ["Settings", "SettingsDialog"]


class SettingsDialog(QDialog):
    def __init__(self, current: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_SettingsDialog()
        self.ui.setupUi(self)
        self.ui.languageCombo.addItem("中文（简体）", "zh")
        self.ui.languageCombo.addItem("English", "en")
        self.ui.languageCombo.setCurrentIndex(max(0, self.ui.languageCombo.findData(current.lang)))
        self.ui.largeFontCheck.setChecked(current.large_font)
        self._connect()

    def _connect(self) -> None:
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)

    def value(self) -> Settings:
        return Settings(self.ui.languageCombo.currentData(), self.ui.largeFontCheck.isChecked())
