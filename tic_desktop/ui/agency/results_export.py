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
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from tic_desktop.ui.agency.agency_context import AgencyContext
from tic_desktop.ui.common.background_export import BackgroundExport


def build_report(ws: Any, batch: Any, generated_at: str) -> Any:
    """The ReportData of the batch as stored now (the agency service's, the same as `tic-desktop consolidate`)."""
    from tic_desktop.agency.service import build_report as service_report

    return service_report(ws, batch, generated_at)


class ResultsExport(BackgroundExport):
    exported = Signal(list)
    """Emitted with the written paths."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, bar_width=180)
        self.ctx: AgencyContext | None = None
        self.ask_folder = self._ask_folder
        self.show_done = self._show_done
        self.written: list[Path] = []
        self.progressBar.setFormat(self.tr("导出中 %p%"))
        self.exportButton = self.button
        self.exportButton.setText(self.tr("导出汇总结果…"))
        self.exportButton.clicked.connect(self._on_export)

    def failed_title(self) -> str:
        return self.tr("导出失败")

    def export_to(self, out_dir: Path) -> bool:
        if self.ctx is None or self._busy:
            return False
        ctx = self.ctx
        generated_at = _dt.datetime.now().astimezone().isoformat(timespec="seconds")

        def work(report_progress: Any) -> list[Path]:
            from tic_desktop.agency.service import write_exports

            with ctx.worker_workspace() as (ws, batch):
                report = build_report(ws, batch, generated_at)
            signer = ctx.document_signer(report.agency_name)  # consolidated.pdf signed (PAdES) by the agency
            return write_exports(Path(out_dir), report, signer=signer,
                                 progress=report_progress)

        self.start(work)
        return True

    def _on_export(self) -> None:
        folder = self.ask_folder()
        if folder is not None:
            self.export_to(folder)

    def take_result(self, paths: list[Path]) -> None:
        self.written = [Path(p) for p in paths]
        self.exported.emit(self.written)
        self.show_done(self.written)

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
