"""The expert picks themself from the batch's experts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QListWidgetItem, QWidget

from tic_desktop.formats.manifest import Expert
from tic_desktop.ui.common.people import person_text
from tic_desktop.ui.forms.ui_identity_dialog import Ui_IdentityDialog


@dataclass(frozen=True)
class IdentityChoice:
    expert_id: str
    has_key: bool


class IdentityDialog(QDialog):
    def __init__(self, experts: Sequence[Expert], has_key: Callable[[str], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_IdentityDialog()
        self.ui.setupUi(self)
        self._has_key = has_key
        self.ui.expertList.setSpacing(3)
        for e in experts:
            details = " · ".join(x for x in (e.title, e.unit) if x)
            item = QListWidgetItem(person_text(e.name, e.role, e.chair) + (f"\n{details}" if details else ""))
            item.setData(Qt.ItemDataRole.UserRole, e.id)
            self.ui.expertList.addItem(item)
        self._ok = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        self._ok.setEnabled(False)
        self._connect()

    def _connect(self) -> None:
        self.ui.expertList.currentItemChanged.connect(self._on_current)
        self.ui.expertList.itemActivated.connect(lambda _item: self.accept())
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)

    def _on_current(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        self._ok.setEnabled(item is not None)
        if item is None:
            return
        if self._has_key(item.data(Qt.ItemDataRole.UserRole)):
            self.ui.keyLabel.setText(self.tr("本机已有您的签名密钥，下一步输入口令解锁。"))
        else:
            self.ui.keyLabel.setText(self.tr("本机还没有您的签名密钥，下一步将为您创建。"))

    def select(self, expert_id: str) -> None:
        for row in range(self.ui.expertList.count()):
            if self.ui.expertList.item(row).data(Qt.ItemDataRole.UserRole) == expert_id:
                self.ui.expertList.setCurrentRow(row)

    def value(self) -> IdentityChoice:
        item = self.ui.expertList.currentItem()
        expert_id = item.data(Qt.ItemDataRole.UserRole)
        return IdentityChoice(expert_id, self._has_key(expert_id))
