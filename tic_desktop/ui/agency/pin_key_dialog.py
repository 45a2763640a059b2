"""An expert's first sheet: compare the key fingerprint with the printed paper sheet, then trust it.

一致，信任此密钥 accepts (the page pins the key, source "first_use", and imports the file again);
不一致 rejects (the sheet stays refused).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from tic_desktop.ui.common.agency_pin_dialog import spaced


class PinKeyDialog(QDialog):
    def __init__(self, expert_name: str, expert_id: str, fingerprint: str, file_name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("核对专家密钥"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("这是该专家的第一份评分表。请将下面的密钥指纹与专家签字的纸质评分表或密钥登记表上打印的指纹逐组核对。"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.expertLabel = QLabel(self.tr("专家：%1（%2）").replace("%1", expert_name).replace("%2", expert_id))
        font = self.expertLabel.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.expertLabel.setFont(font)
        layout.addWidget(self.expertLabel)
        if file_name:
            layout.addWidget(QLabel(self.tr("文件：%1").replace("%1", file_name)))
        self.fingerprintLabel = QLabel(spaced(fingerprint))
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(mono.pointSizeF() * 1.6)
        mono.setBold(True)
        self.fingerprintLabel.setFont(mono)
        self.fingerprintLabel.setWordWrap(True)
        self.fingerprintLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprintLabel.setStyleSheet("padding: 12px; background: #fff8e1; border: 1px solid #e0c070;")
        layout.addWidget(self.fingerprintLabel)
        warn = QLabel(self.tr("只有完全一致时才信任此密钥。不一致说明文件可能不是该专家签名的，评分表将被拒绝。"))
        warn.setWordWrap(True)
        layout.addWidget(warn)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.mismatchButton = QPushButton(self.tr("不一致"))
        self.trustButton = QPushButton(self.tr("一致，信任此密钥"))
        buttons.addWidget(self.mismatchButton)
        buttons.addWidget(self.trustButton)
        layout.addLayout(buttons)
        self.mismatchButton.setDefault(True)  # the safe choice for an accidental Enter
        self._connect()

    def _connect(self) -> None:
        self.trustButton.clicked.connect(self.accept)
        self.mismatchButton.clicked.connect(self.reject)
