"""The export half of the review dialog (ui.expert.review_dialog.ReviewDialog inherits it): once the key
is unlocked, `sheet_export.prepare_export` on the GUI thread, then `sheet_export.write_export` in the
background with its progress (each proposal's PDF, the pledge, then signing and writing), 取消导出
before the signature, and `sheet_export.record_export` and the result message after.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton

from tic_desktop.core.errors import Rejected
from tic_desktop.expert import sheet_export, signing
from tic_desktop.ui.common.background import run_in_background


class ReviewExport:
    """Mixin of `ReviewDialog` (a QDialog): needs `session`, `lang`, `busy`, the progress widgets,
    `refresh`, `show_message`, `signed`, `_set_busy` and `_folder`."""

    session: Any
    lang: str
    busy: bool
    last_result: sheet_export.ExportResult | None
    progressBar: QProgressBar  # noqa: N815 - the dialog's Qt widget names
    progressLabel: QLabel  # noqa: N815
    cancelButton: QPushButton  # noqa: N815
    signed: Any
    refresh: Callable[[], None]
    show_message: Callable[[str, str, bool], None]
    tr: Callable[[str], str]
    _set_busy: Callable[..., None]
    _folder: Path

    def _on_unlocked(self, key: Any) -> None:
        try:  # reads the workspace: here, on the GUI thread (fast)
            job = sheet_export.prepare_export(self.session, key, self._folder, lang=self.lang)
        except Rejected as exc:
            self._set_busy(False)
            self.show_message(self.tr("导出失败"), exc.text(self.lang), True)
            self.refresh()
            return
        self._seq = job.draft.body["sheet_seq"]
        self._set_busy(True, self.tr("正在生成 PDF、签名、加密、写入并核验评分表（第 %1 版）…").replace("%1", str(self._seq)))
        steps = signing.export_steps(job.draft)
        self.progressBar.setRange(0, steps)
        self.progressBar.setValue(0)
        self.progressBar.setTextVisible(True)
        self.progressBar.setFormat("%v / %m")
        cancel = self._cancel = threading.Event()
        self.cancelButton.setEnabled(True)
        self.cancelButton.setVisible(True)
        pdfs = len(job.draft.pages)
        run_in_background(
            lambda report: sheet_export.write_export(job, key, progress=lambda d, t: report(d, t, pdfs),
                                                cancelled=cancel.is_set),
            self._on_written, self._on_export_failed, on_progress=self._on_progress)

    def _on_progress(self, done: int, total: int, pdfs: int) -> None:
        if not self.busy:
            return
        self.progressBar.setValue(done)
        if done < pdfs:
            text = self.tr("正在生成第 %1 / %2 个项目的评分表 PDF（第 %3 版）…")
            text = text.replace("%1", str(done + 1)).replace("%2", str(pdfs)).replace("%3", str(self._seq))
        elif done < total - 1:
            text = self.tr("正在生成承诺书 PDF…")
        else:  # the signature is being made: too late to cancel
            self.cancelButton.setEnabled(False)
            text = self.tr("正在签名、加密、写入并核验评分表（第 %1 版）…").replace("%1", str(self._seq))
        self.progressLabel.setText(text)

    def cancel_export(self) -> None:
        """Stop the export before the signature (the worker stops at the next proposal)."""
        cancel = getattr(self, "_cancel", None)
        if cancel is None or not self.busy:
            return
        cancel.set()
        self.cancelButton.setEnabled(False)
        self.progressLabel.setText(self.tr("正在取消导出…"))

    def _on_written(self, written: sheet_export.WrittenSheet) -> None:
        try:
            result = sheet_export.record_export(self.session, written)
        except Rejected as exc:
            self._set_busy(False)
            self.show_message(self.tr("导出失败"), exc.text(self.lang), True)
            self.refresh()
            return
        self._set_busy(False)
        self.last_result = result
        self.refresh()
        self.show_message(self.tr("导出完成"), result.message(self.lang), False)
        self.signed.emit(result)

    def _on_export_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, Rejected) and exc.code == signing.EXPORT_CANCELLED:
            self.show_message(self.tr("已取消导出"), exc.text(self.lang), False)
        else:
            self.show_message(self.tr("导出失败"), self._error_text(exc), True)
        self.refresh()

    def _error_text(self, exc: BaseException) -> str:
        if isinstance(exc, Rejected):
            return exc.text(self.lang)
        if isinstance(exc, OSError):
            return f"{self._folder}: {exc.strerror or exc}"
        return self.tr("内部错误：%1").replace("%1", f"{type(exc).__name__}: {exc}")
