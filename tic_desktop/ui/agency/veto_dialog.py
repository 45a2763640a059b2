"""The chair's decision on a raised veto: 确认否决 or 不予采纳, always with a reason."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class VetoDialog(QDialog):
    def __init__(self, confirm: bool, center_name: str, veto_label: str, raised_by: str, chair_name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.confirm = confirm
        self.setWindowTitle(self.tr("确认否决") if confirm else self.tr("不予采纳否决"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        text = (self.tr("确认否决后，“%1”的结论将按否决项定为最低等级。") if confirm
                else self.tr("不予采纳后，“%1”的结论按最终得分确定。")).replace("%1", center_name)
        head = QLabel(self.tr("否决项：%1\n提出专家：%2").replace("%1", veto_label).replace("%2", raised_by))
        head.setWordWrap(True)
        layout.addWidget(head)
        info = QLabel(text)
        info.setWordWrap(True)
        layout.addWidget(info)
        layout.addWidget(QLabel(self.tr("理由（必填，写入汇总报告和审计日志）：")))
        self.reasonEdit = QPlainTextEdit()
        self.reasonEdit.setFixedHeight(90)
        layout.addWidget(self.reasonEdit)
        layout.addWidget(QLabel(self.tr("决定人：")))
        self.byEdit = QLineEdit(chair_name)
        layout.addWidget(self.byEdit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("确认否决") if confirm else self.tr("不予采纳"))
        layout.addWidget(self.buttons)
        self.reasonEdit.textChanged.connect(self._update)
        self.byEdit.textChanged.connect(self._update)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._update()

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.reason()) and bool(self.byEdit.text().strip()))

    def reason(self) -> str:
        return self.reasonEdit.toPlainText().strip()

    def decided_by(self) -> str:
        return self.byEdit.text().strip()
