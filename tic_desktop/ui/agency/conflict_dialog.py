"""Two different sheets with the same sheet_seq from one expert: a person chooses which one counts,
with a reason (recorded in the workspace's audit log). Neither file is deleted."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)


def conflict_records(conflict: Any) -> list[Any]:
    """The stored revisions in conflict (SheetRecord), whatever the field is called."""
    for name in ("records", "candidates", "sheets"):
        value = getattr(conflict, name, None)
        if value:
            return list(value)
    return []


class ConflictDialog(QDialog):
    def __init__(self, conflict: Any, expert_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("处理评分表冲突"))
        self.setMinimumWidth(560)
        self._records = conflict_records(conflict)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("专家 %1（%2）有两份不同的第 %3 版评分表。请向专家核实后选择计入汇总的一份；"
                               "另一份仍保留在历史记录中。")
                       .replace("%1", expert_name).replace("%2", str(conflict.expert_id))
                       .replace("%3", str(conflict.sheet_seq)))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.group = QButtonGroup(self)
        self.choices: list[QRadioButton] = []
        for i, r in enumerate(self._records):
            button = QRadioButton(self.tr("%1 · 导入于 %2 · 摘要 %3…")
                                  .replace("%1", r.file_name).replace("%2", r.imported_at)
                                  .replace("%3", r.sheet_sha256[:12]))
            self.group.addButton(button, i)
            self.choices.append(button)
            layout.addWidget(button)
        layout.addWidget(QLabel(self.tr("理由（必填，记入审计日志）：")))
        self.reasonEdit = QPlainTextEdit()
        self.reasonEdit.setPlaceholderText(self.tr("例如：经电话向专家核实，以 10:42 发来的文件为准"))
        self.reasonEdit.setFixedHeight(80)
        layout.addWidget(self.reasonEdit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("以所选为准"))
        layout.addWidget(self.buttons)
        self._connect()
        self._update()

    def _connect(self) -> None:
        self.group.idToggled.connect(lambda _i, _on: self._update())
        self.reasonEdit.textChanged.connect(self._update)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _update(self) -> None:
        self.ok.setEnabled(self.group.checkedId() >= 0 and bool(self.reasonEdit.toPlainText().strip()))

    def choice(self) -> tuple[str, str] | None:
        """(sheet_sha256 to keep, reason), or None when nothing is chosen."""
        i = self.group.checkedId()
        reason = self.reasonEdit.toPlainText().strip()
        if i < 0 or not reason:
            return None
        return self._records[i].sheet_sha256, reason
