"""The raised vetoes of one proposal (否决项 tab of the consolidation page): who raised each, the
chair's decision if any, and 确认否决 / 不予采纳 for the selected one (`decide` is emitted with
True / False; the page asks for the reason and stores the decision)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget


class VetoPanel(QWidget):
    decide = Signal(bool)
    """True: 确认否决; False: 不予采纳, for `selected_veto()`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vetoes: tuple[Any, ...] = ()
        self._busy = False
        layout = QVBoxLayout(self)
        self.vetoList = QListWidget()
        self.vetoList.setWordWrap(True)
        layout.addWidget(self.vetoList)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.confirmVetoButton = QPushButton(self.tr("确认否决"))
        self.rejectVetoButton = QPushButton(self.tr("不予采纳"))
        buttons.addWidget(self.confirmVetoButton)
        buttons.addWidget(self.rejectVetoButton)
        layout.addLayout(buttons)
        self.vetoList.currentRowChanged.connect(lambda _r: self._update_buttons())
        self.confirmVetoButton.clicked.connect(lambda: self.decide.emit(True))
        self.rejectVetoButton.clicked.connect(lambda: self.decide.emit(False))
        self._update_buttons()

    def show_vetoes(self, vetoes: tuple[Any, ...], name: Callable[[str], str], text: Callable[[Any], str]) -> None:
        """`vetoes`: core.consolidation.VetoResult; `name(expert_id)`, `text(Text)` in the UI language."""
        self.vetoes = tuple(vetoes)
        self.vetoList.clear()
        for v in self.vetoes:
            who = "、".join(name(x) for x in v.raised_by)
            if v.decision is None:
                state = self.tr("待组长确认")
            elif v.decision.confirmed:
                state = self.tr("已确认否决：%1").replace("%1", v.decision.reason)
            else:
                state = self.tr("不予采纳：%1").replace("%1", v.decision.reason)
            item = QListWidgetItem(self.tr("%1\n提出专家：%2\n%3").replace("%1", text(v.label))
                                   .replace("%2", who).replace("%3", state))
            item.setData(Qt.ItemDataRole.UserRole, v.veto_id)
            item.setForeground(QColor("#c62828") if v.decision is None else QColor("#333"))
            self.vetoList.addItem(item)
        if not self.vetoes:
            self.vetoList.addItem(QListWidgetItem(self.tr("没有专家提出否决项。")))
        else:
            self.vetoList.setCurrentRow(0)
        self._update_buttons()

    def clear(self) -> None:
        self.vetoes = ()
        self.vetoList.clear()
        self._update_buttons()

    def title(self) -> str:
        """The tab's title: 否决项, with the count when there are any."""
        if self.vetoes:
            return self.tr("否决项（%1）").replace("%1", str(len(self.vetoes)))
        return self.tr("否决项")

    def selected_veto(self) -> Any:
        item = self.vetoList.currentItem()
        veto_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return next((v for v in self.vetoes if v.veto_id == veto_id), None) if veto_id is not None else None

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _update_buttons(self) -> None:
        enabled = self.selected_veto() is not None and not self._busy
        self.confirmVetoButton.setEnabled(enabled)
        self.rejectVetoButton.setEnabled(enabled)
