"""导入评分表: add .ticsheet files by dialog, folder or drag and drop; every file goes through
`agency.service.import_files` (the one pipeline, agency.importer) in a worker, with a progress bar and 取消.

The import log (every attempt, from the workspace) shows each file's status with colour, icon and
text, and for a refused file the reason in plain words. A first sheet of an expert whose key is
not pinned asks the chair to compare the fingerprint with the paper sheet (PinKeyDialog); 一致
pins it and imports the file again. Below, every revision of every expert's sheet: which one
counts, which were superseded, which are in conflict (处理冲突… resolves them with a reason).
The hooks `ask_files`, `ask_folder`, `ask_signers_file`, `confirm_pin`, `resolve` and
`show_message` can be replaced (tests, or the window's own dialogs). The expert-key buttons
(导入密钥登记…, 登记专家密钥…, 更换密钥…, 吊销密钥…) act through ui.agency.expert_key_actions.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.ui.agency.agency_context import AgencyContext
from tic_desktop.ui.agency.conflict_dialog import ConflictDialog
from tic_desktop.ui.agency.expert_key_actions import ExpertKeyActions
from tic_desktop.ui.agency.import_log import ImportLogModel, SheetHistoryModel
from tic_desktop.ui.agency.pin_key_dialog import PinKeyDialog
from tic_desktop.ui.common.background import run_in_background
from tic_desktop.ui.common.progress_row import ProgressRow, stacked_tables
from tic_desktop.ui.common.table_model import TableModel

SHEET_SUFFIX = ".ticsheet"


class SheetImportPage(ExpertKeyActions, QWidget):
    sheets_changed = Signal()
    """Emitted after an import or a resolution changed which sheets count."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: AgencyContext | None = None
        self._busy = False
        self.last_outcomes: list[Any] = []
        self._demo_folder: Path | None = None
        self.ask_files = self._ask_files
        self.ask_folder = self._ask_folder
        self.ask_signers_file = self._ask_signers_file
        self.ask_enrolment = self._ask_enrolment
        self.ask_key_change = self._ask_key_change
        self.confirm_revoke = self._confirm_revoke
        self.confirm_pin = self._confirm_pin
        self.resolve = self._resolve
        self.show_message = self._show_message
        self.setAcceptDrops(True)
        self._build()
        self._connect()
        self._set_busy(False)

    # ── layout ──────────────────────────────────────────────────────────────────────────────
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.addFilesButton = QPushButton(self.tr("添加文件…"))
        self.addFolderButton = QPushButton(self.tr("添加文件夹…"))
        self.signersButton = QPushButton(self.tr("导入密钥登记…"))
        self.signersButton.setToolTip(self.tr("从 allowed_signers 文件预先登记各位专家的密钥"))
        self.enrolButton = QPushButton(self.tr("登记专家密钥…"))
        self.enrolButton.setToolTip(self.tr("照《评审专家密钥登记表》输入密钥指纹或扫描其二维码，预先登记一位专家的密钥"))
        self.rotateKeyButton = QPushButton(self.tr("更换密钥…"))
        self.rotateKeyButton.setToolTip(self.tr("专家换了新密钥：按新的登记表更换，旧密钥此后不再有效"))
        self.revokeKeyButton = QPushButton(self.tr("吊销密钥…"))
        self.revokeKeyButton.setToolTip(self.tr("吊销一位专家的密钥（丢失、被盗、退出评审），此后由它签名的评分表一律拒收"))
        self.conflictButton = QPushButton(self.tr("处理冲突…"))
        self.demoButton = QPushButton(self.tr("导入演示评分表"))
        self.demoButton.setVisible(False)  # the agency demo only (set_demo_sheets)
        for b in (self.addFilesButton, self.addFolderButton, self.conflictButton, self.demoButton):
            bar.addWidget(b)
        bar.addStretch(1)
        self.summaryLabel = QLabel()
        bar.addWidget(self.summaryLabel)
        layout.addLayout(bar)
        # the expert keys on a row of their own: one row of eight buttons is wider than a
        # 1366×768 screen at 125%
        keys = QHBoxLayout()
        keys.addWidget(QLabel(self.tr("专家密钥：")))
        for b in (self.signersButton, self.enrolButton, self.rotateKeyButton, self.revokeKeyButton):
            keys.addWidget(b)
        keys.addStretch(1)
        layout.addLayout(keys)
        self.dropLabel = QLabel(self.tr("也可以把评分表文件（.ticsheet）或整个文件夹拖放到此页面。同一文件重复导入不会产生任何变化；任何评分表都不会被覆盖或丢弃。"))
        self.dropLabel.setWordWrap(True)
        self.dropLabel.setStyleSheet("color: #555; padding: 6px; border: 1px dashed #aaa; border-radius: 4px;")
        layout.addWidget(self.dropLabel)
        self.progressRow = ProgressRow(self, say_cancelling=True)
        self.progressLabel, self.progressBar = self.progressRow.label, self.progressRow.bar
        self.cancelButton = self.progressRow.cancelButton
        self._cancel = self.progressRow.cancelled
        layout.addWidget(self.progressRow)

        self.logModel = ImportLogModel(self)
        self.logView = self._table(self.logModel)
        self.logView.setAccessibleName(self.tr("导入记录"))
        hb = QHBoxLayout()
        hb.addWidget(QLabel(self.tr("各专家评分表（全部版本）")))
        hb.addStretch(1)
        self.expertFilter = QComboBox()
        hb.addWidget(self.expertFilter)
        self.historyModel = SheetHistoryModel(self)
        self.historyView = self._table(self.historyModel)
        self.historyView.setAccessibleName(self.tr("各专家评分表版本"))
        layout.addWidget(stacked_tables((self.tr("导入记录"), self.logView), (hb, self.historyView)), 1)

    def _table(self, model: TableModel) -> QTableView:
        view = QTableView()
        view.setTabKeyNavigation(False)  # Tab leaves the table (arrows move inside)
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().hide()
        view.setWordWrap(True)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        return view

    def _connect(self) -> None:
        self.addFilesButton.clicked.connect(self._on_add_files)
        self.addFolderButton.clicked.connect(self._on_add_folder)
        self.signersButton.clicked.connect(self._on_import_signers)
        self.enrolButton.clicked.connect(self._on_enrol)
        self.rotateKeyButton.clicked.connect(lambda: self._on_key_change("rotate"))
        self.revokeKeyButton.clicked.connect(lambda: self._on_key_change("revoke"))
        self.conflictButton.clicked.connect(self._on_resolve_conflicts)
        self.demoButton.clicked.connect(self._on_demo)
        self.expertFilter.currentIndexChanged.connect(lambda _i: self._refresh_history())

    # ── context ─────────────────────────────────────────────────────────────────────────────
    def set_demo_sheets(self, folder: Path | None, *, preparing: bool = False) -> None:
        """Agency demo: offer the simulated returned sheets in `folder` (or say they are being made)."""
        self._demo_folder = folder
        self.demoButton.setVisible(folder is not None or preparing)
        self.demoButton.setEnabled(folder is not None)
        self.demoButton.setText(self.tr("正在生成演示评分表…") if folder is None else self.tr("导入演示评分表"))
        if folder is not None:
            self.demoButton.setToolTip(self.tr(
                "演示：各位专家返回的评分表在 {0}；导入时按其密钥登记表登记密钥（已登记了其他密钥的专家除外，"
                "例如您在专家评审演示中签名的评分表）。").format(folder))

    def _on_demo(self) -> None:
        if self._demo_folder is not None:
            from tic_desktop.demo_agency import register_demo_keys  # noqa: PLC0415

            self.add_paths(register_demo_keys(self._demo_folder.parent))

    def set_context(self, ctx: AgencyContext | None) -> None:
        self.ctx = ctx
        self.expertFilter.blockSignals(True)
        self.expertFilter.clear()
        self.expertFilter.addItem(self.tr("全部专家"), "")
        if ctx is not None:
            for e in ctx.manifest.experts:
                self.expertFilter.addItem(f"{e.name}（{e.id}）", e.id)
        self.expertFilter.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        self._refresh_log()
        self._refresh_history()
        self._set_busy(self._busy)

    # ── adding files: the one slot behind the dialogs and drag and drop ──────────────────────
    def add_paths(self, paths: Sequence[Path]) -> bool:
        """Import these files and folders (folders: their .ticsheet files). False when busy or empty."""
        if self.ctx is None or not paths:
            return False
        if self._busy:
            self.show_message(self.tr("正在导入"), self.tr("请等当前导入完成后再添加文件。"), False)
            return False
        ctx = self.ctx
        paths = [Path(p) for p in paths]
        self._cancel.clear()
        self._set_busy(True, self.tr("正在导入评分表…"))
        cancel = self._cancel

        def work(progress: Any) -> list[Any]:
            from tic_desktop.agency.importer import collect_sheet_files
            from tic_desktop.agency.service import import_files

            files = collect_sheet_files(paths)
            with ctx.worker_workspace() as (ws, batch):
                return import_files(ws, batch, ctx.identity, files,
                                    progress=progress,
                                    cancelled=cancel.is_set)

        run_in_background(work, lambda out: self._on_imported(out, ctx), self._on_failed, owner=self,
                          on_progress=self._on_progress)
        return True

    def _on_imported(self, outcomes: list[Any], ctx: AgencyContext | None = None) -> None:
        self._set_busy(False)
        if ctx is not None and ctx is not self.ctx:  # another batch was chosen meanwhile
            self.refresh()
            return
        self.last_outcomes = list(outcomes)
        self.refresh()
        self.sheets_changed.emit()
        again = self._ask_pins([o for o in outcomes if o.status == "unpinned"])
        if again:
            self.add_paths(again)
        elif self._cancel.is_set():
            self.show_message(self.tr("导入已取消"),
                              self.tr("已处理 %1 个文件；其余文件没有导入，可以稍后再添加。")
                              .replace("%1", str(len(outcomes))), False)

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.refresh()
        self.show_message(self.tr("导入失败"), self._error(exc), True)

    def _ask_pins(self, unpinned: list[Any]) -> list[Path]:
        """Ask once per expert and key; returns the files to import again after pinning."""
        assert self.ctx is not None
        again: list[Path] = []
        asked: dict[tuple[str, str], bool] = {}
        for o in unpinned:
            key = (o.expert_id, o.fingerprint)
            if key not in asked:
                asked[key] = False
                if self.confirm_pin(o):
                    try:
                        # only a key nothing else claims (issue 11): not another expert's, not one of two
                        self.ctx.ws.trust_first_use(self.ctx.batch_id, o.expert_id, o.fingerprint)
                    except Exception as exc:  # noqa: BLE001 - shown to the user
                        self.show_message(self.tr("不能信任此密钥"), self._error(exc), True)
                        continue
                    asked[key] = True
            if asked[key]:
                again.append(Path(o.path))
        return again

    # ── the hooks' defaults (real dialogs) ───────────────────────────────────────────────────
    def _ask_files(self) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("选择评分表文件"), "",
                                                self.tr("评分表 (*.ticsheet);;所有文件 (*)"))
        return [Path(n) for n in names]

    def _ask_folder(self) -> Path | None:
        name = QFileDialog.getExistingDirectory(self, self.tr("选择存放评分表的文件夹"))
        return Path(name) if name else None

    def _confirm_pin(self, outcome: Any) -> bool:
        assert self.ctx is not None
        dialog = PinKeyDialog(self.ctx.expert_name(outcome.expert_id), outcome.expert_id or "",
                              outcome.fingerprint or "", outcome.file_name, self)
        return dialog.exec() == PinKeyDialog.DialogCode.Accepted

    def _resolve(self, conflict: Any) -> tuple[str, str] | None:
        assert self.ctx is not None
        dialog = ConflictDialog(conflict, self.ctx.expert_name(conflict.expert_id), self)
        if dialog.exec() != ConflictDialog.DialogCode.Accepted:
            return None
        return dialog.choice()

    def _show_message(self, title: str, text: str, error: bool) -> None:
        (QMessageBox.warning if error else QMessageBox.information)(self, title, text)

    # ── handlers ────────────────────────────────────────────────────────────────────────────
    def _on_add_files(self) -> None:
        files = self.ask_files()
        if files:
            self.add_paths(files)

    def _on_add_folder(self) -> None:
        folder = self.ask_folder()
        if folder is not None:
            self.add_paths([folder])

    def _on_resolve_conflicts(self) -> None:
        if self.ctx is None:
            return
        for conflict in self.ctx.ws.conflicts(self.ctx.batch_id):
            choice = self.resolve(conflict)
            if choice is None:
                break
            keep, reason = choice
            try:
                self.ctx.ws.resolve_conflict(self.ctx.batch_id, conflict.expert_id, conflict.sheet_seq, keep, reason)
            except Exception as exc:  # noqa: BLE001 - shown to the user
                self.show_message(self.tr("冲突未能处理"), self._error(exc), True)
                break
        self.refresh()
        self.sheets_changed.emit()

    def _on_progress(self, done: int, total: int) -> None:
        self.progressRow.set_progress(done, total, self.tr("正在导入评分表 %1 / %2").replace("%1", str(done))
                                      .replace("%2", str(total)))

    # ── drag and drop ───────────────────────────────────────────────────────────────────────
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        event.acceptProposedAction() if event.mimeData().hasUrls() else event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_paths(paths)
        else:
            event.ignore()

    # ── tables ──────────────────────────────────────────────────────────────────────────────
    def status_text(self, outcome: Any) -> str:
        return self.logModel.texts.status(outcome)

    def _refresh_log(self) -> None:
        if self.ctx is None:
            self.logModel.set_rows([])
            self.summaryLabel.setText("")
            return
        self.logModel.fill(self.ctx, self.ctx.ws.import_log(self.ctx.batch_id), self.style())
        self.logView.resizeRowsToContents()
        self.logView.scrollToBottom()
        self._refresh_summary()

    def _refresh_summary(self) -> None:
        assert self.ctx is not None
        current = {s.expert_id for s in self.ctx.ws.current_sheets(self.ctx.batch_id)}
        experts = len(self.ctx.manifest.experts)
        conflicts = len(self.ctx.ws.conflicts(self.ctx.batch_id))
        text = self.tr("已收到 %1 / %2 位专家的评分表").replace("%1", str(len(current))).replace("%2", str(experts))
        if conflicts:
            text += self.tr("；%1 处冲突待处理").replace("%1", str(conflicts))
        self.summaryLabel.setText(text)

    def _refresh_history(self) -> None:
        if self.ctx is None:
            self.historyModel.set_rows([])
            return
        self.historyModel.fill(self.ctx, self.ctx.ws.sheets(self.ctx.batch_id), self.expertFilter.currentData() or "")

    # ── helpers ─────────────────────────────────────────────────────────────────────────────
    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        has_ctx = self.ctx is not None
        for b in (self.addFilesButton, self.addFolderButton, self.signersButton, self.rotateKeyButton,
                  self.revokeKeyButton):
            b.setEnabled(has_ctx and not busy)
        conflicts = bool(has_ctx and not busy and self.ctx is not None and self.ctx.ws.conflicts(self.ctx.batch_id))
        self.conflictButton.setEnabled(conflicts)
        self.progressRow.set_busy(busy)
        if busy:
            self.progressBar.setRange(0, 0)
            self.progressLabel.setText(text)

    def is_busy(self) -> bool:
        return self._busy

    def _error(self, exc: BaseException) -> str:
        return self.ctx.error_text(exc) if self.ctx is not None else str(exc)
