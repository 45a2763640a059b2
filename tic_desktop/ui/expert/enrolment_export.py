"""Save the key enrolment sheet (评审专家密钥登记表) as a PDF the expert prints, signs and hands over.

Used by the main window (工具 → 打印密钥登记表…) and the review dialog's button. Only the public
half of the key is needed (no passphrase): `expert.keys.public_info`. The file dialog and the
message box are replaceable hooks (tests); rendering and the atomic write run in the background.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from tic_desktop.core.atomic import atomic_write
from tic_desktop.core.errors import Rejected, message
from tic_desktop.expert import keys as expert_keys
from tic_desktop.ui.common.background import run_in_background

FOLDER_KEY = "enrolment_folder"


def _render_and_write(data: Any, path: Path) -> Path:
    from tic_desktop.reports.enrolment_pdf import render_enrolment  # noqa: PLC0415

    atomic_write(path, render_enrolment(data))
    return path


class EnrolmentExport(QObject):
    """Ask where, render the enrolment sheet off the GUI thread, write it atomically, say where."""

    saved = Signal(str)
    """The path written."""
    failed = Signal(str)
    """The message shown."""
    busyChanged = Signal(bool)  # noqa: N815 - Qt signal naming

    def __init__(self, session: Any, parent: QWidget, *, lang: str = "zh",
                 ask_file: Callable[[str], str | None] | None = None,
                 show_message: Callable[[str, str, bool], None] | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.lang = lang
        self.widget = parent
        self.ask_file = ask_file or self._ask_file
        self.show_message = show_message or self._show_message
        self.busy = False

    def default_path(self) -> Path:
        expert = self.session.expert
        folder = self.session.ui_get(FOLDER_KEY) or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        return Path(folder) / self.tr("评审专家密钥登记表-%1-%2.pdf").replace("%1", expert.id).replace("%2", expert.name)

    def start(self) -> bool:
        """Ask for the file and start writing it; False when nothing was started."""
        if self.busy:
            return False
        session = self.session
        expert = session.expert if session is not None else None
        if expert is None:
            return False
        info = expert_keys.public_info(Path(session.data_dir), expert.id)
        if info is None:
            self._fail(message(expert_keys.KEY_MISSING, self.lang))
            return False
        if session.fingerprint and info.fingerprint != session.fingerprint:
            self._fail(self.tr("本机保存的密钥与本批次登记的不一致，不能生成登记表。"))
            return False
        chosen = self.ask_file(str(self.default_path()))
        if not chosen:
            return False
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        from tic_desktop.reports.enrolment_pdf import enrolment_for  # noqa: PLC0415

        m = session.opened.manifest
        data = enrolment_for(info, expert, date=_dt.date.today().isoformat(), agency_name=m.agency.name,
                             batch_title=m.title.zh)
        session.ui_set(FOLDER_KEY, str(path.parent))
        self._set_busy(True)
        run_in_background(lambda: _render_and_write(data, path), self._on_written, self._on_error)
        return True

    def _on_written(self, path: Path) -> None:
        self._set_busy(False)
        self.show_message(self.tr("密钥登记表已保存"),
                          self.tr("评审专家密钥登记表已保存到：\n%1\n\n请打印并在签名栏手写签名后，交评审组织机构登记。")
                          .replace("%1", str(path)), False)
        self.saved.emit(str(path))

    def _on_error(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, Rejected):
            detail = exc.text(self.lang)
        elif isinstance(exc, OSError):
            detail = f"{exc.filename or ''} {exc.strerror or exc}".strip()
        else:
            detail = repr(exc)
        self._fail(self.tr("密钥登记表未能保存。") + "\n" + detail)

    def _fail(self, text: str) -> None:
        self.show_message(self.tr("密钥登记表"), text, True)
        self.failed.emit(text)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busyChanged.emit(busy)

    # default hooks ----------------------------------------------------------------------------
    def _ask_file(self, suggested: str) -> str | None:
        chosen, _ = QFileDialog.getSaveFileName(self.widget, self.tr("保存密钥登记表"), suggested,
                                                self.tr("PDF 文件 (*.pdf)"))
        return chosen or None

    def _show_message(self, title: str, text: str, warning: bool) -> None:
        if warning:
            QMessageBox.warning(self.widget, title, text)
        else:
            QMessageBox.information(self.widget, title, text)
