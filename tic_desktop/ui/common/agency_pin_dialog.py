"""First batch from an agency: compare its key fingerprint with the invitation letter, then pin."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QWidget

from tic_desktop.ui.forms.ui_agency_pin_dialog import Ui_AgencyPinDialog


def spaced(fingerprint: str) -> str:
    """SHA256:AbCd… in groups of four after the prefix, easier to compare by eye."""
    prefix, _, body = fingerprint.partition(":")
    return prefix + ":" + " ".join(body[i:i + 4] for i in range(0, len(body), 4))


class AgencyPinDialog(QDialog):
    def __init__(self, agency_name: str, fingerprint: str, parent: QWidget | None = None, *,
                 trusted: Sequence[tuple[str, str]] = (), demo: bool = False) -> None:
        super().__init__(parent)
        self.ui = Ui_AgencyPinDialog()
        self.ui.setupUi(self)
        self.setWindowTitle(self.tr("核对新的评审机构密钥"))
        self.ui.agencyLabel.setText(self.tr("评审机构：%1").replace("%1", agency_name))
        # trust goes by key, not by name: a key never confirmed is new, whatever name it gives
        self.trustedLabel = QLabel(self)
        self.trustedLabel.setWordWrap(True)
        self.trustedLabel.setStyleSheet("color: #b3261e;")
        if demo:
            self.setWindowTitle(self.tr("核对评审机构密钥（演示）"))
            self.trustedLabel.setText(self.tr("演示：这是公开的演示机构密钥，只在单独的演示工作区中信任，在您的正式工作区中一律拒绝。"))
        elif trusted:
            names = "、".join(f"{name}（{fp[:19]}…）" for name, fp in trusted)
            self.trustedLabel.setText(self.tr(
                "这是一把新的机构密钥：它不是您此前核对并信任的任何机构密钥（%1）。名称相似并不代表是同一机构，"
                "只有指纹与邀请函上印的逐字一致时才能信任。").replace("%1", names))
        else:
            self.trustedLabel.setText(self.tr("这是一把新的机构密钥：本机尚未信任任何评审机构。"))
        layout = self.layout()
        if layout is not None:
            layout.insertWidget(layout.indexOf(self.ui.fingerprintLabel) + 1, self.trustedLabel)  # type: ignore[attr-defined]
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
