"""回避 per assigned proposal: declared or not, a reason from domain/forms.md, a note for "other"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHeaderView,
    QLineEdit,
    QTableWidgetItem,
    QWidget,
)

from tic_desktop.core.pledge import CONFLICT_REASONS, ConflictReason
from tic_desktop.core.proposal import Proposal
from tic_desktop.expert.session import ConflictDeclaration
from tic_desktop.ui.forms.ui_conflicts_dialog import Ui_ConflictsDialog


class ConflictsDialog(QDialog):
    """Returns `value()`: proposal id → ConflictDeclaration (locked rows as they came)."""

    def __init__(self, proposals: Sequence[Proposal], current: Mapping[str, ConflictDeclaration], lang: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_ConflictsDialog()
        self.ui.setupUi(self)
        self._lang = lang
        self._rows: list[tuple[str, QCheckBox, QComboBox, QLineEdit, ConflictDeclaration]] = []
        table = self.ui.table
        table.setColumnCount(4)
        table.setHorizontalHeaderLabels([self.tr("被评项目"), self.tr("申请回避"), self.tr("回避情形"), self.tr("说明")])
        table.setRowCount(len(proposals))
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setVisible(False)
        # Tab goes from control to control (回避 → 情形 → 说明 → next row), not through the cells
        # themselves; the control with the focus is marked, inside the table too
        table.setTabKeyNavigation(False)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setStyleSheet("QCheckBox:focus { background: #dbeafe; border: 2px solid #2563eb; border-radius: 3px; }"
                            " QComboBox:focus, QLineEdit:focus { border: 2px solid #2563eb; border-radius: 3px; }")
        for row, p in enumerate(proposals):
            decl = current.get(p.id, ConflictDeclaration(False))
            name = QTableWidgetItem(f"{p.center_name}\n{p.lead_unit}")
            name.setFlags(Qt.ItemFlag.ItemIsEnabled)
            table.setItem(row, 0, name)
            check = QCheckBox(self.tr("回避"))
            check.setAccessibleName(self.tr("对 %1 申请回避").replace("%1", p.center_name))
            combo = QComboBox()
            combo.setAccessibleName(self.tr("%1 的回避情形").replace("%1", p.center_name))
            note = QLineEdit()
            note.setAccessibleName(self.tr("%1 的回避说明").replace("%1", p.center_name))
            note.setPlaceholderText(self.tr("选择“其他”时必填"))
            if decl.locked:
                combo.addItem(self.tr("评审机构已确认回避"), "known_in_advance")
                check.setChecked(True)
                for w in (check, combo, note):
                    w.setEnabled(False)
            else:
                combo.addItem(self.tr("（请选择）"), None)
                for r in CONFLICT_REASONS:
                    combo.addItem(r.label.get(lang), r.code)
                check.setChecked(decl.declared)
                if decl.reason:
                    combo.setCurrentIndex(max(0, combo.findData(decl.reason)))
                note.setText(decl.note)
            table.setCellWidget(row, 1, check)
            table.setCellWidget(row, 2, combo)
            table.setCellWidget(row, 3, note)
            self._rows.append((p.id, check, combo, note, decl))
            check.toggled.connect(self._on_changed)
            combo.currentIndexChanged.connect(self._on_changed)
            note.textChanged.connect(self._on_changed)
        table.resizeRowsToContents()
        self._connect()
        self._on_changed()

    def _connect(self) -> None:
        self.ui.buttonBox.accepted.connect(self._on_accept)
        self.ui.buttonBox.rejected.connect(self.reject)

    def rows(self) -> list[tuple[str, QCheckBox, QComboBox, QLineEdit]]:
        return [(pid, c, b, n) for pid, c, b, n, _ in self._rows]

    def problem(self) -> str:
        for _pid, check, combo, note, decl in self._rows:
            if decl.locked or not check.isChecked():
                continue
            code = combo.currentData()
            reason: ConflictReason | None = next((r for r in CONFLICT_REASONS if r.code == code), None)
            if reason is None:
                return self.tr("请为每个申请回避的项目选择回避情形。")
            if reason.needs_note and not note.text().strip():
                return self.tr("选择“其他”时请填写说明。")
        return ""

    def _on_changed(self) -> None:
        for _pid, check, combo, note, decl in self._rows:
            if not decl.locked:
                combo.setEnabled(check.isChecked())
                note.setEnabled(check.isChecked())
        self.ui.errorLabel.setText(self.problem())

    def _on_accept(self) -> None:
        if self.problem() == "":
            self.accept()

    def value(self) -> dict[str, ConflictDeclaration]:
        out = {}
        for pid, check, combo, note, decl in self._rows:
            if decl.locked:
                out[pid] = decl
            elif check.isChecked():
                out[pid] = ConflictDeclaration(True, combo.currentData(), note.text().strip())
            else:
                out[pid] = ConflictDeclaration(False)
        return out
