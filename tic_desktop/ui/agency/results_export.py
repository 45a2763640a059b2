"""导出汇总结果…: choose a folder; a worker consolidates the stored sheets and chair decisions again,
gathers the panel opinions and refused files (`agency.service.build_report`, the same report as
`tic-desktop consolidate`), and `agency.service.write_exports` writes
consolidated.pdf, results.xlsx, results.csv and scores.csv (atomically, verified) with a progress
bar; then the four files are listed with 打开文件夹. Errors (disk full, a file open in Excel) are
shown in the user's language (system errors by errno, ui.os_errors), the system's own text under
详细信息. Hooks `ask_folder`, `show_done`, `show_message(title, text, error, details)` can be replaced.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QMessageBox, QProgressBar, QPushButton, QWidget

from tic_desktop.ui.agency.agency_context import AgencyContext
from tic_desktop.ui.common.background import run_in_background


def build_report(ws: Any, batch: Any, generated_at: str) -> Any:
    """The ReportData of the batch as stored now (the agency service's, the same as `tic-desktop consolidate`)."""
    from tic_desktop.agency.service import build_report as service_report

    return service_report(ws, batch, generated_at)


class ResultsExport(QWidget):
    exported = Signal(list)
    """Emitted with the written paths."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: AgencyContext | None = None
        self.ask_folder = self._ask_folder
        self.show_done = self._show_done
        self.show_message = self._show_message
        self.written: list[Path] = []
        self._busy = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.progressBar = QProgressBar()
        self.progressBar.setMaximumWidth(180)
        self.progressBar.setFormat(self.tr("导出中 %p%"))
        self.progressBar.hide()
        self.exportButton = QPushButton(self.tr("导出汇总结果…"))
        self.exportButton.setEnabled(False)
        layout.addWidget(self.progressBar)
        layout.addWidget(self.exportButton)
        self.exportButton.clicked.connect(self._on_export)

    def set_context(self, ctx: AgencyContext | None) -> None:
        self.ctx = ctx
        self.exportButton.setEnabled(ctx is not None and not self._busy)

    def is_busy(self) -> bool:
        return self._busy

    def export_to(self, out_dir: Path) -> bool:
        if self.ctx is None or self._busy:
            return False
        ctx = self.ctx
        self._busy = True
        self.exportButton.setEnabled(False)
        self.progressBar.setRange(0, 0)
        self.progressBar.show()
        generated_at = _dt.datetime.now().astimezone().isoformat(timespec="seconds")

        def work(report_progress: Any) -> list[Path]:
            from tic_desktop.agency.service import write_exports

            with ctx.worker_workspace() as (ws, batch):
                report = build_report(ws, batch, generated_at)
            signer = ctx.document_signer(report.agency_name)  # consolidated.pdf signed (PAdES) by the agency
            return write_exports(Path(out_dir), report, signer=signer,
                                 progress=report_progress)

        run_in_background(work, self._on_written, self._on_failed, on_progress=self._on_progress)
        return True

    def _on_export(self) -> None:
        folder = self.ask_folder()
        if folder is not None:
            self.export_to(folder)

    def _on_progress(self, done: int, total: int) -> None:
        self.progressBar.setRange(0, max(total, 1))
        self.progressBar.setValue(done)

    def _finish(self) -> None:
        self._busy = False
        self.progressBar.hide()
        self.exportButton.setEnabled(self.ctx is not None)

    def _on_written(self, paths: list[Path]) -> None:
        self._finish()
        self.written = [Path(p) for p in paths]
        self.exported.emit(self.written)
        self.show_done(self.written)

    def _on_failed(self, exc: BaseException) -> None:
        self._finish()
        text = self.ctx.error_text(exc) if self.ctx else str(exc)
        details = self.ctx.error_details(exc) if self.ctx else ""
        self.show_message(self.tr("导出失败"), text, True, details)

    def _ask_folder(self) -> Path | None:
        name = QFileDialog.getExistingDirectory(self, self.tr("选择导出汇总结果的文件夹"))
        return Path(name) if name else None

    def _show_done(self, paths: list[Path]) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("导出完成"))
        box.setText(self.tr("已写入并核验以下文件：\n%1").replace("%1", "\n".join(p.name for p in paths)))
        box.setInformativeText(str(paths[0].parent) if paths else "")
        open_button = box.addButton(self.tr("打开文件夹"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        if box.clickedButton() is open_button and paths:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths[0].parent)))

    def _show_message(self, title: str, text: str, error: bool, details: str = "") -> None:
        box = QMessageBox(QMessageBox.Icon.Warning if error else QMessageBox.Icon.Information, title, text,
                          QMessageBox.StandardButton.Ok, self)
        if details:
            box.setDetailedText(details)
        box.exec()
