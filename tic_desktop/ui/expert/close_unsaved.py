"""The question asked when the expert closes the window while edits could not be saved (disk full,
folder locked): closing now would lose them. Its sentences keep the main window's context."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def confirm_close_unsaved(parent: QWidget) -> bool:
    """True when the expert closes anyway (losing the edits); the default button stays open."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("MainWindow", "修改尚未保存"))
    box.setText(QCoreApplication.translate("MainWindow", "最近的修改还没有保存（见窗口顶部的提示），关闭程序会丢失这些修改。"))
    box.setInformativeText(QCoreApplication.translate("MainWindow", "建议先腾出磁盘空间或关闭占用文件的程序，软件会自动重试保存。"))
    stay = box.addButton(QCoreApplication.translate("MainWindow", "不关闭"), QMessageBox.ButtonRole.RejectRole)
    box.addButton(QCoreApplication.translate("MainWindow", "仍然关闭（丢失修改）"), QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(stay)
    box.exec()
    return box.clickedButton() is not stay
