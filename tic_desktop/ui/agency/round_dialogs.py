"""Small dialogs of the round page: 新建评审轮次 (id, title, year) and 加入批次 (the workspace's
batches that belong to no round yet, checked to add)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)


class NewRoundDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("新建评审轮次"))
        form = QFormLayout(self)
        year = date.today().year + 1
        self.idEdit = QLineEdit(f"R{year}", self)
        self.idEdit.setAccessibleName(self.tr("轮次编号"))
        self.titleEdit = QLineEdit(self.tr("%1 年度专业性技术创新中心评估").replace("%1", str(year)), self)
        self.titleEdit.setAccessibleName(self.tr("轮次名称"))
        self.yearSpin = QSpinBox(self)
        self.yearSpin.setRange(2000, 2100)
        self.yearSpin.setValue(year)
        self.yearSpin.setAccessibleName(self.tr("年度"))
        form.addRow(self.tr("编号(&I)："), self.idEdit)
        form.addRow(self.tr("名称(&T)："), self.titleEdit)
        form.addRow(self.tr("年度(&Y)："), self.yearSpin)
        hint = QLabel(self.tr("编号只用字母、数字、点、下划线和连字符，例如 R2027-PRO。"), self)
        hint.setWordWrap(True)
        form.addRow(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("创建"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(460, self.sizeHint().height())

    def values(self) -> tuple[str, str, int]:
        return self.idEdit.text().strip(), self.titleEdit.text().strip(), self.yearSpin.value()


class AddBatchesDialog(QDialog):
    """The batches of the workspace not yet in a round; the checked ones are added."""

    def __init__(self, batches: list[Any], lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("加入批次"))
        box = QVBoxLayout(self)
        label = QLabel(self.tr("勾选要加入本轮的专家组批次（一个批次只能属于一个评审轮次）："), self)
        label.setWordWrap(True)
        box.addWidget(label)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("可加入的批次"))
        label.setBuddy(self.list)
        for info in batches:
            title = info.title.en if lang.startswith("en") else info.title.zh
            item = QListWidgetItem(f"{info.batch_id}　{title}", self.list)
            item.setData(Qt.ItemDataRole.UserRole, info.batch_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        if not batches:
            QListWidgetItem(self.tr("没有可加入的批次：请先在“生成批次”页生成各专家组的批次。"), self.list)
        box.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("加入"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        self.resize(560, 360)

    def chosen(self) -> list[str]:
        out = []
        for i in range(self.list.count()):
            item = self.list.item(i)
            batch_id = item.data(Qt.ItemDataRole.UserRole)
            if batch_id and item.checkState() == Qt.CheckState.Checked:
                out.append(str(batch_id))
        return out
