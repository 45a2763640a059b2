"""A button that writes files off the GUI thread, with a progress bar beside it while it works:
the shared part of 导出汇总结果… (`ui.agency.results_export`) and 导出归档包… (`ui.agency.archive_export`).

`start(work)` marks the widget busy (button disabled, bar shown, at first without an end), runs
`work(report)` in `run_in_background` (its `report(done, total)` moves the bar), and then, on the
GUI thread, ends the busy state and calls `take_result(result)`, or shows the error: the context's
sentence in the user's language (`ctx.error_text`), the system's own text under 详细信息
(`ctx.error_details`), titled `failed_title()`. The context is any object with those two methods
(the agency window's `AgencyContext`); without one the button is disabled. `show_message(title,
text, error, details)` can be replaced (tests).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QProgressBar, QPushButton, QWidget

from tic_desktop.ui.common.background import run_in_background


class BackgroundExport(QWidget):
    def __init__(self, parent: QWidget | None = None, *, bar_width: int = 160) -> None:
        super().__init__(parent)
        self.ctx: Any = None
        self.show_message = self._show_message
        self._busy = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.progressBar = QProgressBar()
        self.progressBar.setMaximumWidth(bar_width)
        self.progressBar.hide()
        self.button = QPushButton()
        self.button.setEnabled(False)
        layout.addWidget(self.progressBar)
        layout.addWidget(self.button)

    # what the subclass says
    def take_result(self, result: Any) -> None:
        """On the GUI thread, after `work` returned `result`."""

    def failed_title(self) -> str:
        return ""

    # the shared part
    def set_context(self, ctx: Any) -> None:
        self.ctx = ctx
        self.button.setEnabled(ctx is not None and not self._busy)

    def is_busy(self) -> bool:
        return self._busy

    def start(self, work: Callable[[Callable[..., None]], Any]) -> None:
        self._busy = True
        self.button.setEnabled(False)
        self.progressBar.setRange(0, 0)
        self.progressBar.show()
        run_in_background(work, self._on_written, self._on_failed, owner=self, on_progress=self._on_progress)

    def _on_progress(self, done: int, total: int) -> None:
        self.progressBar.setRange(0, max(total, 1))
        self.progressBar.setValue(done)

    def _finish(self) -> None:
        self._busy = False
        self.progressBar.hide()
        self.button.setEnabled(self.ctx is not None)

    def _on_written(self, result: Any) -> None:
        self._finish()
        self.take_result(result)

    def _on_failed(self, exc: BaseException) -> None:
        self._finish()
        text = self.ctx.error_text(exc) if self.ctx else str(exc)
        details = self.ctx.error_details(exc) if self.ctx else ""
        self.show_message(self.failed_title(), text, True, details)

    def _show_message(self, title: str, text: str, error: bool, details: str = "") -> None:
        box = QMessageBox(QMessageBox.Icon.Warning if error else QMessageBox.Icon.Information, title, text,
                          QMessageBox.StandardButton.Ok, self)
        if details:
            box.setDetailedText(details)
        box.exec()
