"""First batch from an agency: compare its key fingerprint with the invitation letter, then pin."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from tic_desktop.ui.forms.ui_agency_pin_dialog import Ui_AgencyPinDialog


def spaced(fingerprint: str) -> str:
    """SHA256:AbCd… in groups of four after the prefix, easier to compare by eye."""
    prefix, _, body = fingerprint.partition(":")
    return prefix + ":" + " ".join(body[i:i + 4] for i in range(0, len(body), 4))


class AgencyPinDialog(QDialog):
    def __init__(self, agency_name: str, fingerprint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_AgencyPinDialog()
        self.ui.setupUi(self)
        self.ui.agencyLabel.setText(self.tr("评审机构：%1").replace("%1", agency_name))
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(mono.pointSizeF() * 1.3)
        self.ui.fingerprintLabel.setFont(mono)
        self.ui.fingerprintLabel.setText(spaced(fingerprint))
        self._ok = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        self._ok.setText(self.tr("核对无误，信任此机构"))
        self._ok.setEnabled(False)
        self._connect()

    def _connect(self) -> None:
        self.ui.comparedCheck.toggled.connect(self._ok.setEnabled)
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)
