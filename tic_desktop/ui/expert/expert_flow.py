"""The expert flow for a batch, as a controller over the main window and the session.

Read the batch off the GUI thread (progress, cancel) → passphrase if encrypted (retry on a wrong
one) or the expert's own key → agency key: pin on first contact, refuse a changed key → identity:
choose yourself, create or unlock your key → pledge → conflicts → the review page. A batch the
session refuses outright (the DEMO key in the real workspace, a look-alike agency name) is explained
in a message box and not opened. Every dialog is
opened with `open()` (window-modal, not blocking), so tests drive the same code a person does;
`self.dialog` is the dialog on screen.

Opening a batch (read, passphrase or key, refusals, the agency pin) is `batch_opening.BatchOpening`
and the expert's steps (identity and key, pledge, conflicts) `expert_steps.ExpertSteps`, two
mixins of ExpertFlow; here: the session, settings, the demo workspace, dialogs, backups, shutdown.

Start-up cost: on an expert's second day the app goes straight to the main window, so this module
imports only what that needs; each dialog module (and its generated form) is imported where the
dialog is first shown. A batch is read from its file (never held whole in memory by the flow);
the session owns the opened batch once it is accepted, and a read that is not accepted is closed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog

from tic_desktop.core.errors import Rejected
from tic_desktop.expert.session import ExpertSession
from tic_desktop.storage.errors import WorkspaceCorrupt
from tic_desktop.ui.common.i18n import install_translators
from tic_desktop.ui.common.screen_fit import fit_on_show, place_window
from tic_desktop.ui.common.settings import Settings
from tic_desktop.ui.expert.batch_opening import BatchOpening
from tic_desktop.ui.expert.expert_steps import ExpertSteps
from tic_desktop.ui.expert.main_window import MainWindow

# The dialogs below are imported where they are first shown (see the module docstring).
# ruff: noqa: PLC0415

log = logging.getLogger(__name__)
BACKUP_EVERY_MS = 10 * 60 * 1000


def ask_restore_backup(parent: Any, backup: Path) -> bool:
    """Asked when the workspace is damaged; tests replace it."""
    answer = QMessageBox.question(
        parent, QCoreApplication.translate("ExpertApp", "工作区已损坏"),
        QCoreApplication.translate("ExpertApp", "工作区数据库已损坏。是否从最近一次完好的备份恢复？\n%1\n损坏的文件会被保留。").replace("%1", backup.name),
    )
    return answer == QMessageBox.StandardButton.Yes


def open_session(data_dir: Path, ask: Callable[[Any, Path], bool] | None = None, *,
                 demo: bool = False) -> ExpertSession:
    """The session over the workspace; a damaged workspace offers the newest good backup."""
    try:
        return ExpertSession.open(data_dir, demo=demo)
    except WorkspaceCorrupt:
        from tic_desktop.storage import backup

        db = data_dir / "workspace.db"
        newest = backup.newest_good_backup(db)
        if newest is None or not (ask or ask_restore_backup)(None, newest):
            raise
        backup.restore_backup(db, newest)
        return ExpertSession.open(data_dir, demo=demo)


def demo_workspace_dir(data_dir: Path) -> Path:
    """Where the expert demo keeps its own workspace (never the expert's real one)."""
    return Path(data_dir) / "demo" / "expert-demo"


class ExpertFlow(BatchOpening, ExpertSteps, QObject):
    def __init__(self, qapp: QApplication, data_dir: Path, lang: str) -> None:
        super().__init__()
        self.qapp = qapp
        self.data_dir = data_dir
        self.session = open_session(data_dir)
        self.home = self.session
        """The expert's real session; `session` is the demo's while the demo runs (`demo`)."""
        self.demo = False
        saved = self.session.ui_get("settings") or {}
        self.settings = Settings(saved.get("lang", lang), bool(saved.get("large_font", False)))
        self._base_font = QFont(qapp.font())
        self.apply_settings(self.settings, store=False)
        self.window = MainWindow(self.settings.lang)
        place_window(self.window)
        self.dialog: QDialog | None = None
        self.progress: QProgressDialog | None = None
        self.busy = False
        self._raw: bytes | Path | None = None  # what the batch being accepted was read from
        self._opened: Any = None
        self._read_token = 0
        self.closed = False
        self._unlocked: Any = None  # the expert key unlocked to decrypt a batch, reused for identity
        self._backup_timer = QTimer(self)
        self._backup_timer.setInterval(BACKUP_EVERY_MS)
        self._backup_timer.timeout.connect(self.backup)
        self._backup_timer.start()
        self._connect()
        self.refresh_recent()

    def _connect(self) -> None:
        w = self.window
        w.start_page.openRequested.connect(self.open_file)
        w.start_page.demoRequested.connect(self.open_demo)
        w.demo_banner.leaveRequested.connect(self.leave_demo)
        w.fileDropped.connect(self.open_file)
        w.ui.openAction.triggered.connect(w.start_page.choose_file)  # the same file dialog
        w.ui.startAction.triggered.connect(self.go_start)
        w.ui.settingsAction.triggered.connect(self.show_settings)
        w.ui.guideAction.triggered.connect(self.show_guide)
        w.ui.conflictsAction.triggered.connect(lambda: self.ask_conflicts(edit=True))
        w.ui.pledgeAction.triggered.connect(self.show_pledge_read_only)
        w.closing.connect(self._on_closing)
        self.qapp.aboutToQuit.connect(w.flush)
        self.qapp.commitDataRequest.connect(lambda _manager: w.flush())

    # -- settings ------------------------------------------------------------------------------
    def apply_settings(self, settings: Settings, store: bool = True) -> None:
        install_translators(self.qapp, settings.lang)
        font = QFont(self._base_font)
        if settings.large_font:
            font.setPointSizeF(font.pointSizeF() * 1.25)
        self.qapp.setFont(font)
        self.settings = settings
        if store:
            self.home.ui_set("settings", {"lang": settings.lang, "large_font": settings.large_font})

    def show_settings(self) -> None:
        from tic_desktop.ui.common.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self.window)
        self._show(dialog, lambda: self._on_settings(dialog.value()))

    def _on_settings(self, settings: Settings) -> None:
        self.window.flush()
        self.apply_settings(settings)
        self.window.retranslate(settings.lang)
        self.refresh_recent()

    def show_guide(self) -> None:
        from tic_desktop.ui.common.guide_dialog import GuideDialog

        self._show(GuideDialog(self.settings.lang, self.window), lambda: None)

    # -- dialogs -------------------------------------------------------------------------------
    def _show(self, dialog: QDialog, on_accept: Callable[[], None], on_reject: Callable[[], None] | None = None) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            if result == QDialog.DialogCode.Accepted:
                on_accept()
            elif on_reject is not None:
                on_reject()

        dialog.finished.connect(finished)
        fit_on_show(dialog)
        dialog.open()

    def error(self, text: str, detail: str = "") -> None:
        """Tell the expert in their language; a technical `detail` goes to the tooltip, not the sentence."""
        log.info("shown to the expert: %s (%s)", text, detail)
        if self.window.ui.stack.currentWidget() is self.window.ui.startHost:
            self.window.start_page.show_error(text, detail)
        else:
            self.window.statusBar().showMessage(text, 10000)

    def go_start(self) -> None:
        self.window.flush()
        self.refresh_recent()
        self.window.show_start()

    def refresh_recent(self) -> None:
        self.window.start_page.set_recent(self.session.recent_batches(), self.settings.lang)

    # -- opening a batch -----------------------------------------------------------------------
    def open_demo(self) -> None:
        """The demo batch, in the demo's own workspace (`<data dir>/demo/expert-demo/`)."""
        if self.closed:
            return
        from tic_desktop.demo import shared_demo_batch

        if not self.enter_demo():
            return
        self.open_file(str(shared_demo_batch(self.data_dir)))

    def enter_demo(self) -> bool:
        """Switch to the demo workspace (the real session stays open, untouched). False when the
        expert's unsaved edits could not be saved first."""
        if self.demo:
            return True
        if not self.window.flush():
            return False
        self._drop_pending()
        self._read_token += 1  # a read under way belongs to the real workspace: dropped
        self.session = open_session(demo_workspace_dir(self.data_dir), demo=True)
        self.demo = True
        self._unlocked = None
        self.window.set_demo(True)
        self.go_start()
        return True

    def leave_demo(self) -> bool:
        """Back to the expert's real workspace (the demo's is closed, kept for next time)."""
        if not self.demo:
            return True
        if not self.window.flush():
            return False
        self._drop_pending()
        self._read_token += 1
        demo, self.session = self.session, self.home
        self.demo = False
        self._unlocked = None
        self.window.session = None
        self.window.set_demo(False)
        demo.close()
        self.go_start()
        return True

    def _on_closing(self) -> None:
        self.window.flush()

    def backup(self) -> None:
        """A rolling snapshot when something changed (every 10 minutes, before an import, on exit)."""
        if self.closed:
            return
        try:
            self.session.workspace.backup_if_changed()
        except Rejected as exc:
            log.warning("backup skipped: %s", exc)

    def shutdown(self) -> None:
        """Flush, close the window and the workspace; later scheduled steps do nothing."""
        if self.closed:
            return
        self.window.flush()
        self.window.close()
        self.backup()
        self.closed = True
        self._drop_pending()
        if self.session is not self.home:
            self.session.close()
        self.home.close()

    def reopen_last(self) -> bool:
        if self.closed:
            return False
        path = self.session.last_batch_path()
        if path is None:
            return False
        self.open_file(str(path))
        return True


