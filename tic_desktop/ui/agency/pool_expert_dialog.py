"""添加/编辑专家: one expert of the pool in a form. The cells are checked exactly as a pool file row
(agency.pool.expert_from_form); a mistake is shown in the dialog and it stays open."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.core.errors import Rejected
from tic_desktop.core.labels import ROLE_LABELS


class PoolExpertDialog(QDialog):
    def __init__(self, save: Callable[[Any], None], expert: Any = None, *, field_list: Sequence[str] = (),
                 lang: str = "zh", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self._fields = list(field_list)
        self.lang = lang
        self.saved: Any = None
        self.setWindowTitle(self.tr("编辑专家") if expert is not None else self.tr("添加专家"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        labels = {"expert_id": self.tr("专家编号"), "name": self.tr("姓名"), "unit": self.tr("单位"),
                  "title": self.tr("职称"), "fields": self.tr("专业领域（用 ; 分隔）"),
                  "collaborators": self.tr("合作单位（用 ; 分隔）"),
                  "unavailable": self.tr("不可参加日期（如 2027-03-01~2027-03-05）"), "key_fingerprint": self.tr("密钥指纹"),
                  "contact": self.tr("联系方式"), "past_panels": self.tr("近期评审中心（编号，用 ; 分隔）"),
                  "past_conflicts": self.tr("历史回避中心（编号，用 ; 分隔）")}
        self.roleCombo = QComboBox(self)
        for code, text in ROLE_LABELS.items():
            self.roleCombo.addItem(text.get(lang), code)
        cells = dict(zip(("expert_id", "name", "unit", "title", "role", "fields", "collaborators", "unavailable",
                          "key_fingerprint", "contact", "past_panels", "past_conflicts"),
                         expert.row() if expert is not None else [""] * 12, strict=True))
        for key, text in labels.items():
            edit = QLineEdit(cells[key], self)
            edit.setAccessibleName(text)
            self.edits[key] = edit
            form.addRow(text + "：", edit)
            if key == "title":
                form.addRow(self.tr("类别："), self.roleCombo)
        if expert is not None:
            self.roleCombo.setCurrentIndex(max(0, self.roleCombo.findData(expert.role)))
            self.edits["expert_id"].setReadOnly(True)
        layout.addLayout(form)
        self.errorLabel = QLabel(self)
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setStyleSheet("color: #b71c1c;")
        layout.addWidget(self.errorLabel)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        layout.addWidget(self.buttons)
        self.resize(560, 0)
        self._connect()

    def _connect(self) -> None:
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)

    def cells(self) -> list[str]:
        e = {k: w.text() for k, w in self.edits.items()}
        return [e["expert_id"], e["name"], e["unit"], e["title"], str(self.roleCombo.currentData()), e["fields"],
                e["collaborators"], e["unavailable"], e["key_fingerprint"], e["contact"], e["past_panels"],
                e["past_conflicts"]]

    def _on_save(self) -> None:
        from tic_desktop.agency.pool import expert_from_form  # noqa: PLC0415

        try:
            expert = expert_from_form(self.cells(), field_list=self._fields)
            self._save(expert)
        except Rejected as exc:
            self.errorLabel.setText(exc.text(self.lang))
            return
        self.saved = expert
        self.accept()
