"""IntegrityNote: the agency's research-integrity check of a center (科研诚信核查), shown to every
expert above the center's documents: green without a record, red with one, hidden when the batch
carries no check. Its sentences keep the main window's translation context."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget


class IntegrityNote(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("integrityNote")
        self.setWordWrap(True)
        self.setVisible(False)

    def show_check(self, check: Any) -> None:
        """`check`: the proposal's `integrity` (record, note) or None."""
        self.setVisible(check is not None)
        if check is None:
            return
        found = (QCoreApplication.translate("MainWindow", "评审机构科研诚信核查：依托单位或中心负责人有尚未了结的严重科研失信记录")
                 if check.record else
                 QCoreApplication.translate("MainWindow", "评审机构科研诚信核查：依托单位及中心负责人无尚未了结的严重科研失信记录"))
        self.setText(found + (f"（{check.note}）" if check.note else ""))
        color, back = ("#b71c1c", "#fef2f2") if check.record else ("#1b5e20", "#f0fdf4")
        self.setStyleSheet(f"QLabel {{ color: {color}; background: {back}; padding: 4px 8px; }}")
