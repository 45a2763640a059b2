"""The 演示 marker of the expert window while the demo runs (its own workspace, the demo batch).

It sits in the menu bar's corner, so it is on every page and takes no room from the review page
(which must fit 1366×768 at 125%): 演示模式 on amber, the long sentence as its tooltip, and 退出演示.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget


class DemoBanner(QFrame):
    leaveRequested = Signal()  # noqa: N815 - Qt signal naming

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("demoBanner")
        self.setStyleSheet("QFrame#demoBanner { background: #fff4ce; border: 1px solid #b26a00; border-radius: 3px; }"
                           " QLabel { color: #7a4100; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 2, 0)
        layout.setSpacing(6)
        self.label = QLabel(self)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        layout.addWidget(self.label)
        self.leaveButton = QToolButton(self)
        self.leaveButton.setAutoRaise(True)
        layout.addWidget(self.leaveButton)
        self.leaveButton.clicked.connect(self.leaveRequested.emit)
        self.retranslate()
        self.setVisible(False)

    def retranslate(self) -> None:
        self.label.setText(self.tr("演示模式 · 单独的演示工作区"))
        self.setToolTip(self.tr(
            "演示模式：这是公开的演示批次，在单独的演示工作区中打开；这里的评分、密钥和评分表与您的正式评审互不相干。"))
        self.label.setAccessibleName(self.toolTip())
        self.leaveButton.setText(self.tr("退出演示"))
        self.leaveButton.setAccessibleName(self.tr("退出演示，回到正式工作区"))
