"""导出归档包…: the archive (归档包, agency.archive) of the batch open in the agency window.

Choose the file (`<batch_id>.ticarchive` proposed); the agency signing key is taken from the window
(`AgencyWindow.signing_keys()`: the passphrase given this session, else asked once); a worker writes
the reports of the batch as stored now into a temporary folder (agency.service), then the signed
archive — read back and verified before it replaces the file —, with a progress bar; the result names
the file and the signing key's fingerprint, with 打开文件夹. Errors are the registered sentences in
the user's language. Hooks `ask_file`, `get_keys`, `show_done`, `show_message(title, text, error,
details)` can be replaced (tests).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from tic_desktop.ui.agency.agency_context import AgencyContext
from tic_desktop.ui.common.background_export import BackgroundExport


def write_batch_archive(ctx: AgencyContext, out: Path, keys: Any, progress: Any = None) -> Any:
    """In a worker: the batch's reports as stored now, then its archive (agency.archive.Written)."""
    from tic_desktop.agency.archive import ArchiveSource, write_archive  # noqa: PLC0415
    from tic_desktop.agency.service import build_report, write_exports  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="tic-archive-") as tmp, ctx.worker_workspace() as (ws, batch):
        report = build_report(ws, batch)
        # the reports as 导出汇总结果… writes them: consolidated.pdf signed (PAdES) by the agency
        write_exports(Path(tmp), report, signer=ctx.document_signer(report.agency_name))
        return write_archive(out, ArchiveSource(ws, ctx.batch_id, Path(tmp)), keys, progress=progress)


class ArchiveExport(BackgroundExport):
    exported = Signal(Path)
    """Emitted with the archive written."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, bar_width=160)
        self.ctx: AgencyContext | None = None
        self.ask_file = self._ask_file
        self.get_keys = self._get_keys
        self.show_done = self._show_done
        self.written: Path | None = None
        self.progressBar.setFormat(self.tr("归档中 %p%"))
        self.archiveButton = self.button
        self.archiveButton.setText(self.tr("导出归档包…"))
        self.archiveButton.setToolTip(self.tr(
            "把本批次的批次文件、全部评分表版本、导入和审计日志、决定、专家组意见和报告写成一个由机构密钥签名的归档包（.ticarchive）"))
        self.archiveButton.clicked.connect(self._on_click)

    def failed_title(self) -> str:
        return self.tr("导出归档包失败")

    def export_to(self, out: Path) -> bool:
        """Write the archive to `out` in the background; False when there is nothing to do (no batch,
        busy, or no signing key given)."""
        if self.ctx is None or self._busy:
            return False
        try:
            keys = self.get_keys()
        except Exception as exc:  # noqa: BLE001 - a key file that cannot be read: said in words
            self._on_failed(exc)
            return False
        if keys is None:
            return False
        ctx = self.ctx

        def work(progress: Any) -> Any:
            return write_batch_archive(ctx, Path(out), keys, progress=progress)

        self.start(work)
        return True

    def _on_click(self) -> None:
        path = self.ask_file()
        if path is not None:
            self.export_to(path)

    def take_result(self, written: Any) -> None:
        self.written = Path(written.path)
        self.exported.emit(self.written)
        self.show_done(self.written, written.manifest["agency"]["fingerprint"], len(written.manifest["members"]))

    def _get_keys(self) -> Any:
        window = self.window()
        keys = getattr(window, "signing_keys", None)
        return keys() if callable(keys) else None

    def _ask_file(self) -> Path | None:
        name = f"{self.ctx.batch_id}.ticarchive" if self.ctx is not None else "archive.ticarchive"
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("导出归档包"), str(Path.home() / name),
                                                    self.tr("归档包 (*.ticarchive)"))
        if not path:
            return None
        return Path(path) if path.endswith(".ticarchive") else Path(path + ".ticarchive")

    def _show_done(self, path: Path, fingerprint: str, members: int) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("归档包已导出"))
        box.setText(self.tr("已写入并核验归档包：%1（%2 个文件）").replace("%1", path.name).replace("%2", str(members)))
        box.setInformativeText(self.tr("签名密钥指纹：%1\n核验：tic-desktop archive verify %2 --expect-fingerprint %1")
                               .replace("%1", fingerprint).replace("%2", path.name))
        open_button = box.addButton(self.tr("打开文件夹"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        if box.clickedButton() is open_button:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
