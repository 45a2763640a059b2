"""The experts' comments beside the panel opinion (ui.agency.panel_opinion_page.PanelOpinionPage inherits
them): per proposal × form every expert's criterion comments and overall fields, by name, read-only;
the selected one previewed in full and 插入 appending it to the focused section.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QTextBrowser, QTreeWidget, QTreeWidgetItem

from tic_desktop.core.panel_opinion import SECTIONS
from tic_desktop.ui.common.people import person_text


class OpinionComments:
    """Mixin of `PanelOpinionPage` (a QWidget): needs its comment widgets, `ctx`, `inputs`, `key`,
    `sectionEdits`, `_focused` and `_t`."""

    ctx: Any
    inputs: dict[tuple[str, str], Any]
    key: tuple[str, str] | None
    sectionEdits: dict[str, QPlainTextEdit]  # noqa: N815 - the page's Qt widget names
    commentTree: QTreeWidget  # noqa: N815
    commentPreview: QTextBrowser  # noqa: N815
    insertButton: QPushButton  # noqa: N815
    targetLabel: QLabel  # noqa: N815
    tr: Callable[[str], str]
    _focused: str
    _t: Callable[[Any], str]

    def _fill_comments(self) -> None:
        self.commentTree.clear()
        if self.ctx is None or self.key is None:
            return
        item = self.inputs.get(self.key)
        if item is None:
            self.commentTree.addTopLevelItem(QTreeWidgetItem([self.tr("尚无评分表意见。")]))
            return
        form = item.form
        criteria = {c.id: c for c in form.criteria}
        overall = {f.id: f for f in form.overall_fields}
        experts = {e.id: e for e in self.ctx.manifest.experts}
        for entry in item.entries:
            e = experts.get(entry.expert_id)
            top = QTreeWidgetItem([person_text(entry.expert_name, entry.role, bool(e and e.chair))])
            for cid, text in entry.comments.items():
                if text.strip():
                    label = self._t(criteria[cid].label) if cid in criteria else cid
                    child = QTreeWidgetItem([f"{cid} {label}：{text}"])
                    child.setData(0, Qt.ItemDataRole.UserRole, text)
                    child.setToolTip(0, text)
                    top.addChild(child)
            for fid, text in entry.overall.items():
                if text.strip():
                    label = self._t(overall[fid].label) if fid in overall else fid
                    child = QTreeWidgetItem([f"{label}：{text}"])
                    child.setData(0, Qt.ItemDataRole.UserRole, text)
                    child.setToolTip(0, text)
                    top.addChild(child)
            self.commentTree.addTopLevelItem(top)
            top.setExpanded(True)
        self._update_insert()

    def _on_comment(self) -> None:
        item = self.commentTree.currentItem()
        text = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        self.commentPreview.setPlainText(item.text(0) if text else "")
        self._update_insert()

    def insert_selected(self) -> bool:
        item = self.commentTree.currentItem()
        text = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if not text or self.key is None:
            return False
        edit = self.sectionEdits[self._focused]
        cursor = edit.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        if edit.toPlainText() and not edit.toPlainText().endswith("\n"):
            cursor.insertText("\n")
        cursor.insertText(str(text))
        edit.setTextCursor(cursor)
        edit.setFocus()
        return True

    def focus_section(self, name: str) -> None:
        self._focused = name
        self.sectionEdits[name].setFocus()
        self._update_insert()

    def _update_insert(self) -> None:
        item = self.commentTree.currentItem()
        has = item is not None and bool(item.data(0, Qt.ItemDataRole.UserRole))
        self.insertButton.setEnabled(has and self.key is not None)
        heading = next(h for n, h in SECTIONS if n == self._focused)
        self.targetLabel.setText(self.tr("插入到：%1").replace("%1", self._t(heading)))
