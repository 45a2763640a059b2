"""专家库 page: the expert pool kept in the agency workspace — import (CSV/XLSX, every mistake named by
file, row and column; nothing changes on a mistake), export with Chinese headers, remove an expert,
the agency's field list and unit alias table. Every change goes through agency.pool_store (audited)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.core.errors import Rejected
from tic_desktop.core.labels import ROLE_LABELS, label
from tic_desktop.ui.common.table_model import TableModel


class PoolPage(QWidget):
    poolChanged = Signal()  # noqa: N815 - Qt signal naming

    def __init__(self, workspace: Any, lang: str = "zh", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.lang = lang
        self._build()
        self._connect()
        self.refresh()

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.titleLabel = QLabel(self)
        font = self.titleLabel.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.titleLabel.setFont(font)
        outer.addWidget(self.titleLabel)
        self.hintLabel = QLabel(self.tr("专家库保存在机构工作区中；导入文件会替换整个专家库（列：专家编号、姓名、单位、职称、角色、"
                                        "专业领域，可选 合作单位、不可参加日期、密钥指纹、联系方式、近期评审中心、历史回避中心）。"
                                        "每次修改都记入审计日志。"), self)
        self.hintLabel.setWordWrap(True)
        outer.addWidget(self.hintLabel)
        row = QHBoxLayout()
        self.importButton = QPushButton(self.tr("导入专家库…"), self)
        self.addButton = QPushButton(self.tr("添加专家…"), self)
        self.editButton = QPushButton(self.tr("编辑所选专家…"), self)
        self.exportButton = QPushButton(self.tr("导出专家库…"), self)
        self.removeButton = QPushButton(self.tr("删除所选专家"), self)
        self.fieldsButton = QPushButton(self.tr("专业领域列表…"), self)
        self.aliasesButton = QPushButton(self.tr("单位别名…"), self)
        for b in (self.importButton, self.exportButton, self.addButton, self.editButton, self.removeButton,
                  self.fieldsButton, self.aliasesButton):
            row.addWidget(b)
        row.addStretch(1)
        self.filterEdit = QLineEdit(self)
        self.filterEdit.setPlaceholderText(self.tr("筛选（编号、姓名、单位、领域）"))
        self.filterEdit.setAccessibleName(self.tr("筛选专家"))
        self.filterEdit.setMinimumWidth(160)
        row.addWidget(self.filterEdit)
        outer.addLayout(row)
        self.statusLabel = QLabel(self)
        self.statusLabel.setWordWrap(True)
        self.statusLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.statusLabel)
        self.model = TableModel([self.tr("专家编号"), self.tr("姓名"), self.tr("单位"), self.tr("职称"), self.tr("类别"),
                                 self.tr("专业领域"), self.tr("合作单位"), self.tr("密钥指纹")], parent=self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAccessibleName(self.tr("专家库"))
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        outer.addWidget(self.table, 1)

    def _connect(self) -> None:
        self.importButton.clicked.connect(self._on_import)
        self.exportButton.clicked.connect(self._on_export)
        self.removeButton.clicked.connect(self._on_remove)
        self.addButton.clicked.connect(lambda: self.open_editor(None))
        self.editButton.clicked.connect(self._on_edit)
        self.table.doubleClicked.connect(self._on_edit)
        self.fieldsButton.clicked.connect(self._on_fields)
        self.aliasesButton.clicked.connect(self._on_aliases)
        self.filterEdit.textChanged.connect(self.proxy.setFilterFixedString)

    # -- data ------------------------------------------------------------------------------------
    def experts(self) -> list[Any]:
        from tic_desktop.agency import pool_store  # noqa: PLC0415

        return pool_store.experts(self.workspace)

    def refresh(self) -> None:
        experts = self.experts()
        self.titleLabel.setText(self.tr("专家库（%1 位专家）").replace("%1", str(len(experts))))
        self.model.set_rows([(e.expert_id, e.name, e.unit, e.title, label(ROLE_LABELS, e.role, self.lang),
                              "、".join(e.fields), "、".join(e.collaborators), e.key_fingerprint or self.tr("未登记"))
                             for e in experts])
        self.table.resizeColumnsToContents()
        self.exportButton.setEnabled(bool(experts))
        self.removeButton.setEnabled(bool(experts))
        self.editButton.setEnabled(bool(experts))

    def _say(self, text: str, ok: bool) -> None:
        self.statusLabel.setStyleSheet("color: #1b5e20;" if ok else "color: #b71c1c;")
        self.statusLabel.setText(text)

    def import_file(self, path: Path) -> bool:
        """Replace the pool with the file's experts; on a mistake nothing changes and the reason is shown."""
        from tic_desktop.agency import pool_store  # noqa: PLC0415
        from tic_desktop.agency.pool import read_pool  # noqa: PLC0415

        try:
            experts = read_pool(Path(path), field_list=pool_store.fields(self.workspace))
            diff = pool_store.import_pool(self.workspace, experts, source=Path(path).name)
        except Rejected as exc:
            self._say(self.tr("未导入：") + exc.text(self.lang), False)
            return False
        except OSError as exc:
            self._say(self.tr("未导入：") + f"{path}: {exc.strerror or exc}", False)
            return False
        self.refresh()
        self._say(self.tr("已导入 %1 位专家（新增 %2，修改 %3，删除 %4）。").replace("%1", str(len(experts)))
                  .replace("%2", str(len(diff["added"]))).replace("%3", str(len(diff["changed"])))
                  .replace("%4", str(len(diff["removed"]))), True)
        self.poolChanged.emit()
        return True

    def export_file(self, path: Path) -> bool:
        from tic_desktop.agency.pool import write_pool  # noqa: PLC0415

        try:
            write_pool(Path(path), self.experts())
        except (Rejected, OSError) as exc:
            self._say(self.tr("未导出：") + (exc.text(self.lang) if isinstance(exc, Rejected) else str(exc)), False)
            return False
        self._say(self.tr("已导出到 %1").replace("%1", str(path)), True)
        return True

    def save_expert(self, expert: Any) -> None:
        """Add or change one expert (audited with the old values); raises `Rejected` (shown by the dialog)."""
        from tic_desktop.agency import pool_store  # noqa: PLC0415

        pool_store.save_expert(self.workspace, expert)
        self.refresh()
        self._say(self.tr("已保存专家 %1。").replace("%1", expert.expert_id), True)
        self.poolChanged.emit()

    def open_editor(self, expert_id: str | None, *, show: bool = True) -> Any:
        """The 添加/编辑专家 dialog, run modally unless `show` is False (then the caller drives it)."""
        from tic_desktop.agency import pool_store  # noqa: PLC0415
        from tic_desktop.ui.agency.pool_expert_dialog import PoolExpertDialog  # noqa: PLC0415

        expert = next((e for e in self.experts() if e.expert_id == expert_id), None) if expert_id else None
        dialog = PoolExpertDialog(self.save_expert, expert, field_list=pool_store.fields(self.workspace),
                                  lang=self.lang, parent=self)
        if show:
            dialog.exec()
        return dialog

    def _on_edit(self) -> None:
        ids = self.selected_ids()
        if not ids:
            self._say(self.tr("请先在表中选择要编辑的专家。"), False)
            return
        self.open_editor(ids[0])

    def remove(self, expert_ids: list[str]) -> None:
        from tic_desktop.agency import pool_store  # noqa: PLC0415

        for eid in expert_ids:
            pool_store.remove_expert(self.workspace, eid)
        self.refresh()
        self._say(self.tr("已删除 %1 位专家。").replace("%1", str(len(expert_ids))), True)
        self.poolChanged.emit()

    def set_fields(self, text: str) -> None:
        from tic_desktop.agency import pool_store  # noqa: PLC0415

        pool_store.set_fields(self.workspace, text.replace("、", "\n").splitlines())
        self._say(self.tr("专业领域列表已保存（%1 项）。").replace("%1", str(len(pool_store.fields(self.workspace)))), True)

    def set_aliases(self, text: str) -> bool:
        from tic_desktop.agency import pool_store  # noqa: PLC0415

        table: dict[str, str] = {}
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            alias, sep, canonical = line.replace("＝", "=").partition("=")
            if not sep or not alias.strip() or not canonical.strip():
                self._say(self.tr("第 %1 行应写成 简称=全称").replace("%1", str(n)), False)
                return False
            table[alias.strip()] = canonical.strip()
        pool_store.set_aliases(self.workspace, table)
        self._say(self.tr("单位别名已保存（%1 条）。").replace("%1", str(len(table))), True)
        self.poolChanged.emit()
        return True

    def selected_ids(self) -> list[str]:
        rows = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        return [self.model.rows()[r][0] for r in sorted(rows)]

    # -- handlers ----------------------------------------------------------------------------------
    def _on_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("导入专家库"), "", self.tr("表格 (*.csv *.xlsx)"))
        if path:
            self.import_file(Path(path))

    def _on_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出专家库"), "专家库.xlsx",
                                              self.tr("Excel 工作簿 (*.xlsx);;CSV UTF-8 (*.csv)"))
        if path:
            self.export_file(Path(path))

    def _on_remove(self) -> None:
        ids = self.selected_ids()
        if not ids:
            self._say(self.tr("请先在表中选择要删除的专家。"), False)
            return
        answer = QMessageBox.question(self, self.tr("删除专家"), self.tr("从专家库中删除 %1？").replace("%1", "、".join(ids)))
        if answer == QMessageBox.StandardButton.Yes:
            self.remove(ids)

    def _text_dialog(self, title: str, hint: str, text: str) -> str | None:
        dialog = QDialog(self)
        dialog.setWindowTitle(title)
        layout = QVBoxLayout(dialog)
        note = QLabel(hint, dialog)
        note.setWordWrap(True)
        layout.addWidget(note)
        edit = QPlainTextEdit(text, dialog)
        layout.addWidget(edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        dialog.resize(520, 420)
        return edit.toPlainText() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _on_fields(self) -> None:
        from tic_desktop.agency import pool_store  # noqa: PLC0415

        text = self._text_dialog(self.tr("专业领域列表"), self.tr("每行一个专业领域。列表不为空时，导入的专家库只能使用列表中的领域。"),
                                 "\n".join(pool_store.fields(self.workspace)))
        if text is not None:
            self.set_fields(text)

    def _on_aliases(self) -> None:
        from tic_desktop.agency import pool_store  # noqa: PLC0415

        current = "\n".join(f"{a}={c}" for a, c in pool_store.aliases(self.workspace).items())
        text = self._text_dialog(self.tr("单位别名"), self.tr("每行一条：简称=全称（如 天大=天津大学）。回避时按全称比较单位。"),
                                 current)
        if text is not None:
            self.set_aliases(text)
