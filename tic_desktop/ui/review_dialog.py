"""The review page before signing: every assigned proposal with its total, band, conclusion and
what is missing; Sign (asks for the passphrase), Revise, and the export folder (a USB stick).

All the logic is in `expert.signing`; this dialog only shows it and asks. Signing runs in the GUI
thread (the workspace connection belongs to it) with a busy cursor; for 42 proposals it takes
about 3 s. The hooks `ask_passphrase`, `ask_folder` and `show_message` can be replaced (tests,
or the main window's own dialogs).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.core.errors import Rejected
from tic_desktop.expert import signing

FOLDER_KEY = "sheet_export_folder"
WRONG_PASSPHRASE = "key.wrong_passphrase"


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class ReviewDialog(QDialog):
    """Shows `signing.review(session)`; Sign → passphrase → `signing.export_sheet` → result message."""

    signed = Signal(object)
    """Emitted with the `signing.ExportResult` after a successful, verified export."""
    revised = Signal(int)
    """Emitted with the next sheet_seq after "Revise" unlocked the sheet."""

    COLUMNS = 6

    def __init__(self, session: Any, parent: QWidget | None = None, *, lang: str = "zh",
                 ask_passphrase: Callable[[str], str | None] | None = None,
                 ask_folder: Callable[[str], str | None] | None = None,
                 show_message: Callable[[str, str, bool], None] | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.lang = lang
        self.ask_passphrase = ask_passphrase or self._ask_passphrase
        self.ask_folder = ask_folder or self._ask_folder
        self.show_message = show_message or self._show_message
        self.last_result: signing.ExportResult | None = None
        self.setWindowTitle(self.tr("签名并导出评分表"))
        self.resize(980, 620)
        self._build()
        self.refresh()

    # layout -----------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.summaryLabel = QLabel(self)
        self.summaryLabel.setObjectName("summaryLabel")
        layout.addWidget(self.summaryLabel)
        self.table = QTableWidget(0, self.COLUMNS, self)
        self.table.setObjectName("reviewTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("项目编号"), self.tr("中心名称"), self.tr("总分"), self.tr("分档"), self.tr("结论"),
            self.tr("尚缺内容"),
        ])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for col in range(self.COLUMNS - 1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.COLUMNS - 1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.statusLabel = QLabel(self)
        self.statusLabel.setObjectName("statusLabel")
        self.statusLabel.setWordWrap(True)
        self.statusLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.statusLabel)

        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel(self.tr("导出到："), self))
        self.folderEdit = QLineEdit(self)
        self.folderEdit.setObjectName("folderEdit")
        self.folderEdit.setReadOnly(True)
        self.folderEdit.setPlaceholderText(self.tr("请选择导出文件夹（如 U 盘）"))
        saved = self.session.ui_get(FOLDER_KEY)
        if saved:
            self.folderEdit.setText(str(saved))
        folder_row.addWidget(self.folderEdit, 1)
        self.folderButton = QPushButton(self.tr("选择文件夹…"), self)
        self.folderButton.setObjectName("folderButton")
        self.folderButton.clicked.connect(self.choose_folder)
        folder_row.addWidget(self.folderButton)
        layout.addLayout(folder_row)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.reviseButton = QPushButton(self.tr("修订"), self)
        self.reviseButton.setObjectName("reviseButton")
        self.reviseButton.setToolTip(self.tr("解除锁定以修改评分；修改后须重新签名，生成新的版本。"))
        self.reviseButton.clicked.connect(self.revise)
        buttons.addWidget(self.reviseButton)
        self.signButton = QPushButton(self.tr("签名并导出…"), self)
        self.signButton.setObjectName("signButton")
        self.signButton.setDefault(True)
        self.signButton.clicked.connect(self.sign)
        buttons.addWidget(self.signButton)
        self.closeButton = QPushButton(self.tr("关闭"), self)
        self.closeButton.clicked.connect(self.reject)
        buttons.addWidget(self.closeButton)
        layout.addLayout(buttons)

    # state ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        review = signing.review(self.session)
        self.review = review
        rows = []
        for p in review.proposals:
            if p.conflict:
                rows.append((p, [p.proposal_id, p.center_name, "", "", self.tr("回避"), self.tr("已申请回避，不评分")]))
                continue
            for f in p.forms:
                name = p.center_name if len(p.forms) == 1 else f"{p.center_name}｜{f.title.get(self.lang)}"
                missing = self._missing_cell(f.problems)
                rows.append((p, [p.proposal_id, name, _fmt(f.total), f.band.get(self.lang) if f.band else "",
                                 f.conclusion.get(self.lang) if f.conclusion else "", missing]))
        self.table.setRowCount(len(rows))
        for r, (p, values) in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if not p.complete and c == self.COLUMNS - 1:
                    item.setForeground(QColor("#B00020"))
                if p.conflict:
                    item.setForeground(QColor("#777777"))
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        done = sum(1 for p in review.proposals if p.complete and not p.conflict)
        withdrawn = sum(1 for p in review.proposals if p.conflict)
        todo = len(review.proposals) - done - withdrawn
        self.summaryLabel.setText(self.tr("共 %1 个项目：已完成 %2，回避 %3，未完成 %4。")
                                  .replace("%1", str(len(review.proposals))).replace("%2", str(done))
                                  .replace("%3", str(withdrawn)).replace("%4", str(todo)))
        locked = signing.is_locked(self.session)
        done_exports = signing.exports(self.session)
        if locked and done_exports:
            last = done_exports[-1]
            self.statusLabel.setText(self.tr("评分表已签名（第 %1 版），已锁定为只读。如需修改，请点击“修订”。")
                                     .replace("%1", str(last.sheet_seq)))
        elif review.ready:
            seq = signing.next_revision(self.session)[0]
            self.statusLabel.setText(self.tr("全部评分已完成，可以签名。签名后生成第 %1 版评分表。").replace("%1", str(seq)))
        else:
            self.statusLabel.setText(review.message(self.lang, limit=6))
        self.signButton.setEnabled(not locked)
        self.reviseButton.setEnabled(locked)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.table.resizeRowsToContents()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self.table.resizeRowsToContents()

    def _missing_cell(self, problems: Any) -> str:
        if not problems:
            return self.tr("完整")
        shown = "；".join(x.text(self.lang) for x in problems[:3])
        if len(problems) > 3:
            shown += self.tr("……共 %1 处").replace("%1", str(len(problems)))
        return shown

    # actions ----------------------------------------------------------------------------------
    def choose_folder(self) -> None:
        chosen = self.ask_folder(self.folderEdit.text())
        if chosen:
            self.folderEdit.setText(chosen)
            self.session.ui_set(FOLDER_KEY, chosen)

    def revise(self) -> None:
        seq = signing.revise(self.session)
        self.refresh()
        self.revised.emit(seq)

    def sign(self) -> None:
        self.refresh()
        if not self.review.ready:
            self.show_message(self.tr("不能签名"), self.review.message(self.lang), True)
            return
        if not self.folderEdit.text():
            self.choose_folder()
            if not self.folderEdit.text():
                return
        folder = Path(self.folderEdit.text())
        expert_id = self.session.expert.id
        error = ""
        key = None
        for _ in range(5):
            passphrase = self.ask_passphrase(error)
            if passphrase is None:
                return
            try:
                key = self.session.unlock_key(expert_id, passphrase)
                break
            except Rejected as exc:
                if exc.code != WRONG_PASSPHRASE:
                    self.show_message(self.tr("不能签名"), exc.text(self.lang), True)
                    return
                error = exc.text(self.lang)
        if key is None:
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = signing.export_sheet(self.session, key, folder, lang=self.lang)
        except Rejected as exc:
            QGuiApplication.restoreOverrideCursor()
            self.show_message(self.tr("导出失败"), exc.text(self.lang), True)
            self.refresh()
            return
        except OSError as exc:
            QGuiApplication.restoreOverrideCursor()
            self.show_message(self.tr("导出失败"), f"{folder}: {exc.strerror or exc}", True)
            return
        QGuiApplication.restoreOverrideCursor()
        self.last_result = result
        self.refresh()
        self.show_message(self.tr("导出完成"), result.message(self.lang), False)
        self.signed.emit(result)

    # default hooks ----------------------------------------------------------------------------
    def _ask_passphrase(self, error: str) -> str | None:
        from tic_desktop.ui.passphrase_dialog import PassphraseDialog  # noqa: PLC0415

        dialog = PassphraseDialog(self, error=error, prompt=self.tr("请输入您的密钥口令，用于对评分表签名。"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.value().passphrase

    def _ask_folder(self, current: str) -> str | None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("选择导出文件夹"), current)
        return chosen or None

    def _show_message(self, title: str, text: str, warning: bool) -> None:
        if warning:
            QMessageBox.warning(self, title, text)
        else:
            QMessageBox.information(self, title, text)
