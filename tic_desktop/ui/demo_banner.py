"""The 演示 banner over the expert window while the demo runs (its own workspace, the demo batch)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class DemoBanner(QFrame):
    leaveRequested = Signal()  # noqa: N815 - Qt signal naming

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("demoBanner")
        self.setStyleSheet("QFrame#demoBanner { background: #fff4ce; border: 1px solid #b26a00; border-radius: 4px; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        layout.addWidget(self.label, 1)
        self.leaveButton = QPushButton(self)
        layout.addWidget(self.leaveButton)
        self.leaveButton.clicked.connect(self.leaveRequested.emit)
        self.retranslate()
        self.setVisible(False)

    def retranslate(self) -> None:
        self.label.setText(self.tr(
            "演示模式：这是公开的演示批次，在单独的演示工作区中打开；这里的评分、密钥和评分表与您的正式评审互不相干。"))
        self.leaveButton.setText(self.tr("退出演示"))
        self.leaveButton.setAccessibleName(self.tr("退出演示，回到正式工作区"))
