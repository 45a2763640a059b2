"""The review menu's keyboard actions for what has no button of its own (下一个评分表, the document
side bar, 转到项目列表 / 申报材料 / 评分表), each with its shortcut shown in the menu and the guide,
so that the whole review page can be used without a mouse."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu


def add_review_actions(window: QMainWindow, menu: QMenu, after_action: QAction) -> dict[str, QAction]:
    """The actions, put into `menu` (the focus moves first, 下一个评分表 and the side bar after
    `after_action`); keyed by the window attribute that holds each."""
    first = menu.actions()[0] if menu.actions() else None
    next_form = QAction(QCoreApplication.translate("MainWindow", "下一个评分表(&B)"), window)
    next_form.setShortcut(QKeySequence("Ctrl+Shift+PgDown"))
    side = QAction(QCoreApplication.translate("MainWindow", "显示或隐藏文档侧栏(&D)\tF6"), window)  # F6: the viewer's
    focus_list = QAction(QCoreApplication.translate("MainWindow", "转到项目列表(&1)"), window)
    focus_list.setShortcut(QKeySequence("Ctrl+1"))
    focus_documents = QAction(QCoreApplication.translate("MainWindow", "转到申报材料(&2)"), window)
    focus_documents.setShortcut(QKeySequence("Ctrl+2"))
    focus_form = QAction(QCoreApplication.translate("MainWindow", "转到评分表(&3)"), window)
    focus_form.setShortcut(QKeySequence("Ctrl+3"))
    for action in (focus_list, focus_documents, focus_form):
        menu.insertAction(first, action)
    if first is not None:
        menu.insertSeparator(first)
    index = menu.actions().index(after_action)
    after = menu.actions()[index + 1] if index + 1 < len(menu.actions()) else None
    menu.insertAction(after, next_form)
    menu.insertAction(after, side)
    return {"nextFormAction": next_form, "sideAction": side, "focusListAction": focus_list,
            "focusDocumentsAction": focus_documents, "focusFormAction": focus_form}
