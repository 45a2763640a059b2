"""The review page before signing: every assigned proposal with its total, band, conclusion and
what is missing; Sign (asks for the passphrase), Revise, and the export folder (a USB stick).

All the logic is in `expert.signing` and `expert.sheet_export`; this dialog only shows it and asks.
Nothing slow runs on the GUI thread: unlocking the key (scrypt, ~1 s) and `sheet_export.write_export` (PDFs, signing,
encryption, atomic write, re-open and verify: ~2 s for 42 proposals) go through
`run_in_background`; `sheet_export.prepare_export` (reads the workspace, whose SQLite connection belongs
to the GUI thread) runs before, `sheet_export.record_export` after. While they run, a progress bar shows
(one step per proposal's PDF, then the pledge, then signing and writing) and every other button is
disabled; the dialog cannot be closed. 取消导出 stops the export before the signature is made
(nothing is written, the sheet stays unsigned); once signing has begun it is disabled (the steps after
the unlock are ui.expert.review_export). The hooks `ask_passphrase`, `ask_folder` and `show_message`
can be replaced (tests, or the main window's own dialogs).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.core.errors import Rejected
from tic_desktop.expert import keys as expert_keys
from tic_desktop.expert import review as expert_review
from tic_desktop.expert import sheet_export, signing
from tic_desktop.ui.common.background import run_in_background
from tic_desktop.ui.common.short_titles import short_titles
from tic_desktop.ui.expert.enrolment_export import EnrolmentExport
from tic_desktop.ui.expert.review_export import ReviewExport

FOLDER_KEY = "sheet_export_folder"
WRONG_PASSPHRASE = "key.wrong_passphrase"
PASSPHRASE_TRIES = 5


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class ReviewDialog(ReviewExport, QDialog):
    """Shows `expert.review.review(session)`; Sign → passphrase → `sheet_export.export_sheet` → result message."""

    signed = Signal(object)
    """Emitted with the `sheet_export.ExportResult` after a successful, verified export."""
    revised = Signal(int)
    """Emitted with the next sheet_seq after "Revise" unlocked the sheet."""
    busyChanged = Signal(bool)  # noqa: N815 - Qt signal naming
    """True while the key is unlocked or the sheet exported in the background, False after."""

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
        self.last_result: sheet_export.ExportResult | None = None
        self.busy = False
        self._tries = 0
        self._folder = Path()
        self.enrolment = EnrolmentExport(session, self, lang=lang, show_message=self.show_message)
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
        self.table.setTabKeyNavigation(False)  # Tab moves on to the buttons; arrows move in the table
        self.table.setAccessibleName(self.tr("评分概览"))
        self.table.verticalHeader().setVisible(False)
        self._resize_modes(fitted=True)
        layout.addWidget(self.table, 1)
        self.statusLabel = QLabel(self)
        self.statusLabel.setObjectName("statusLabel")
        self.statusLabel.setWordWrap(True)
        self.statusLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.statusLabel)
        progress_row = QHBoxLayout()
        self.progressLabel = QLabel(self)
        self.progressLabel.setObjectName("progressLabel")
        progress_row.addWidget(self.progressLabel)
        self.progressBar = QProgressBar(self)
        self.progressBar.setObjectName("progressBar")
        self.progressBar.setRange(0, 0)  # indeterminate
        self.progressBar.setTextVisible(False)
        self.progressBar.setAccessibleName(self.tr("导出进度"))
        progress_row.addWidget(self.progressBar, 1)
        self.cancelButton = QPushButton(self.tr("取消导出"), self)
        self.cancelButton.setObjectName("cancelButton")
        self.cancelButton.setToolTip(self.tr("在签名之前停止导出：不签名，也不写入任何文件"))
        self.cancelButton.setVisible(False)
        progress_row.addWidget(self.cancelButton)
        layout.addLayout(progress_row)
        self.progressLabel.setVisible(False)
        self.progressBar.setVisible(False)

        folder_row = QHBoxLayout()
        folder_label = QLabel(self.tr("导出到(&T)："), self)
        folder_row.addWidget(folder_label)
        self.folderEdit = QLineEdit(self)
        self.folderEdit.setObjectName("folderEdit")
        # typed or pasted as well as chosen: the folder is reachable without a mouse
        self.folderEdit.setPlaceholderText(self.tr("输入或选择导出文件夹（如 U 盘）"))
        self.folderEdit.setAccessibleName(self.tr("导出文件夹"))
        folder_label.setBuddy(self.folderEdit)
        saved = self.session.ui_get(FOLDER_KEY)
        if saved:
            self.folderEdit.setText(str(saved))
        folder_row.addWidget(self.folderEdit, 1)
        self.folderButton = QPushButton(self.tr("选择文件夹…"), self)
        self.folderButton.setObjectName("folderButton")
        folder_row.addWidget(self.folderButton)
        layout.addLayout(folder_row)

        buttons = QHBoxLayout()
        self.enrolmentButton = QPushButton(self.tr("打印密钥登记表…"), self)
        self.enrolmentButton.setObjectName("enrolmentButton")
        self.enrolmentButton.setToolTip(self.tr("保存评审专家密钥登记表（PDF），打印签名后交评审组织机构"))
        buttons.addWidget(self.enrolmentButton)
        buttons.addStretch(1)
        self.reviseButton = QPushButton(self.tr("修订"), self)
        self.reviseButton.setObjectName("reviseButton")
        self.reviseButton.setToolTip(self.tr("解除锁定以修改评分；修改后须重新签名，生成新的版本。"))
        buttons.addWidget(self.reviseButton)
        self.signButton = QPushButton(self.tr("签名并导出…"), self)
        self.signButton.setObjectName("signButton")
        self.signButton.setDefault(True)
        buttons.addWidget(self.signButton)
        self.closeButton = QPushButton(self.tr("关闭"), self)
        self.closeButton.setObjectName("closeButton")
        buttons.addWidget(self.closeButton)
        layout.addLayout(buttons)
        self._connect()

    def _connect(self) -> None:
        self.folderButton.clicked.connect(self.choose_folder)
        self.folderEdit.editingFinished.connect(self._on_folder_typed)
        self.enrolmentButton.clicked.connect(self.enrolment.start)
        self.enrolment.busyChanged.connect(self._on_enrolment_busy)
        self.reviseButton.clicked.connect(self.revise)
        self.signButton.clicked.connect(self.sign)
        self.closeButton.clicked.connect(self.reject)
        self.cancelButton.clicked.connect(self.cancel_export)

    # state ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        review = expert_review.review(self.session)
        self.review = review
        rows = []
        differs: set[int] = set()  # rows whose conclusion is not the band of the total
        tips: dict[int, str] = {}  # row -> the center and the form's whole title
        for p in review.proposals:
            if p.conflict:
                rows.append((p, [p.proposal_id, p.center_name, "", "", self.tr("回避"), self.tr("已申请回避，不评分")]))
                continue
            # two forms: told apart by their short titles (the whole English title made the column so
            # wide that the 尚缺内容 column wrapped a word a line, one row the height of the table)
            short = short_titles({f.form_id: f.title.get(self.lang) for f in p.forms})
            for f in p.forms:
                name = p.center_name if len(p.forms) == 1 else f"{p.center_name}｜{short[f.form_id]}"
                if len(p.forms) > 1:
                    tips[len(rows)] = f"{p.center_name}｜{f.title.get(self.lang)}"
                missing = self._missing_cell(f.problems)
                if f.band is not None and f.conclusion is not None and f.band != f.conclusion:
                    differs.add(len(rows))
                rows.append((p, [p.proposal_id, name, _fmt(f.total), f.band.get(self.lang) if f.band else "",
                                 f.conclusion.get(self.lang) if f.conclusion else "", missing]))
        # ResizeToContents re-measures every column on each setItem (0.75 s for 84 rows): fill with
        # fixed columns, then fit once
        self._resize_modes(fitted=False)
        self.table.setRowCount(len(rows))
        for r, (p, values) in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 1 and r in tips:
                    item.setToolTip(tips[r])
                if c == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if not p.complete and c == self.COLUMNS - 1:
                    item.setForeground(QColor("#B00020"))
                if p.conflict:
                    item.setForeground(QColor("#777777"))
                if r in differs and c in (3, 4):
                    item.setBackground(QColor("#FEF3C7"))
                    item.setForeground(QColor("#92400E"))
                    item.setToolTip(self.tr("结论与总分所在分档不一致：须在评分表中填写理由，组织机构可见。"))
                    if c == 4:
                        item.setText(self.tr("%1（≠ 分档）").replace("%1", value))
                self.table.setItem(r, c, item)
        self._resize_modes(fitted=True)
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
        self._update_buttons()

    def _resize_modes(self, *, fitted: bool) -> None:
        header = self.table.horizontalHeader()
        mode = QHeaderView.ResizeMode.ResizeToContents if fitted else QHeaderView.ResizeMode.Fixed
        for col in range(self.COLUMNS - 1):
            header.setSectionResizeMode(col, mode)
        header.setSectionResizeMode(self.COLUMNS - 1, QHeaderView.ResizeMode.Stretch)

    def _update_buttons(self) -> None:
        locked = signing.is_locked(self.session)
        idle = not self.busy and not self.enrolment.busy
        self.signButton.setEnabled(idle and not locked)
        self.reviseButton.setEnabled(idle and locked)
        self.folderButton.setEnabled(idle)
        self.enrolmentButton.setEnabled(idle)
        self.closeButton.setEnabled(idle)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        self.progressLabel.setText(text)
        self.progressLabel.setVisible(busy)
        self.progressBar.setVisible(busy)
        if not busy:
            self.progressBar.setRange(0, 0)  # indeterminate again for the next wait
            self.progressBar.setTextVisible(False)
            self.cancelButton.setVisible(False)
        self._update_buttons()
        self.busyChanged.emit(busy)

    def _on_enrolment_busy(self, busy: bool) -> None:
        self.progressLabel.setText(self.tr("正在生成密钥登记表…") if busy else "")
        self.progressLabel.setVisible(busy)
        self.progressBar.setVisible(busy)
        self._update_buttons()

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
    def _on_folder_typed(self) -> None:
        text = self.folderEdit.text().strip()
        if text:
            self.session.ui_set(FOLDER_KEY, text)

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
        """Check, ask for the passphrase, then unlock and export in the background (returns at once)."""
        if self.busy:
            return
        self.refresh()
        if not self.review.ready:
            self.show_message(self.tr("不能签名"), self.review.message(self.lang), True)
            return
        if not self.folderEdit.text():
            self.choose_folder()
            if not self.folderEdit.text():
                return
        self._folder = Path(self.folderEdit.text())
        self._tries = 0
        self._unlock("")

    def _unlock(self, error: str) -> None:
        passphrase = self.ask_passphrase(error)
        if passphrase is None:
            self._set_busy(False)
            return
        self._tries += 1
        data_dir, expert_id = Path(self.session.data_dir), self.session.expert.id
        self._set_busy(True, self.tr("正在解锁密钥…"))
        run_in_background(lambda: expert_keys.unlock_key(data_dir, expert_id, passphrase),
                          self._on_unlocked, self._on_unlock_failed)

    def _on_unlock_failed(self, exc: BaseException) -> None:
        if isinstance(exc, Rejected) and exc.code == WRONG_PASSPHRASE and self._tries < PASSPHRASE_TRIES:
            self._unlock(exc.text(self.lang))
            return
        self._set_busy(False)
        self.show_message(self.tr("不能签名"), self._error_text(exc), True)

    def reject(self) -> None:
        """Esc and 关闭 do nothing while the sheet is being written."""
        if self.busy or self.enrolment.busy:
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if self.busy or self.enrolment.busy:
            event.ignore()
            return
        super().closeEvent(event)

    # default hooks ----------------------------------------------------------------------------
    def _ask_passphrase(self, error: str) -> str | None:
        from tic_desktop.ui.common.passphrase_dialog import PassphraseDialog  # noqa: PLC0415

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
