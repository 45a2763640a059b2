"""The expert flow for a batch, as a controller over the main window and the session.

Read the batch off the GUI thread (progress, cancel) → passphrase if encrypted (retry on a wrong
one) or the expert's own key → agency key: pin on first contact, refuse a changed key → identity:
choose yourself, create or unlock your key → pledge → conflicts → the review page. A batch the
session refuses outright (the DEMO key in the real workspace, a look-alike agency name) is explained
in a message box and not opened. Every dialog is
opened with `open()` (window-modal, not blocking), so tests drive the same code a person does;
`self.dialog` is the dialog on screen.

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

from tic_desktop.core.errors import Rejected, message
from tic_desktop.expert.agency_trust import NOT_DEMO
from tic_desktop.expert.session import ExpertSession, PinState, probe
from tic_desktop.storage.errors import WorkspaceCorrupt
from tic_desktop.ui.common.background import run_in_background
from tic_desktop.ui.common.i18n import install_translators
from tic_desktop.ui.common.screen_fit import fit_on_show, place_window
from tic_desktop.ui.common.settings import Settings
from tic_desktop.ui.expert.main_window import MainWindow

# The dialogs below are imported where they are first shown (see the module docstring).
# ruff: noqa: PLC0415

log = logging.getLogger(__name__)
BACKUP_EVERY_MS = 10 * 60 * 1000
PASSPHRASE_CODES = {"age.passphrase_required", "age.wrong_passphrase"}
IDENTITY_CODES = {"age.identity_required", "age.wrong_identity"}


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


class ExpertFlow(QObject):
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

    def open_file(self, path: str, passphrase: str | None = None) -> None:
        """Open a batch file; it is read (off the GUI thread) from the file, never loaded whole."""
        if self.closed:
            return
        self.window.start_page.show_error("")
        self.read_batch(Path(path), passphrase)

    def read_batch(self, raw: bytes | Path, passphrase: str | None, identity: str | None = None) -> None:
        """Read a batch given as its file or its bytes."""
        try:
            encrypted_to_passphrase = probe(raw).passphrase
        except OSError as exc:
            self.error(QCoreApplication.translate("ExpertApp", "无法读取该文件，请检查文件是否存在、U 盘是否已插好。"),
                       str(exc))
            return
        if encrypted_to_passphrase and passphrase is None:
            self.ask_passphrase(raw, "")
            return
        self._read_token += 1
        token = self._read_token
        self.busy = True
        progress = QProgressDialog(QCoreApplication.translate("ExpertApp", "正在打开并核验批次文件…"), QCoreApplication.translate("ExpertApp", "取消"), 0, 0, self.window)
        progress.setWindowTitle(QCoreApplication.translate("ExpertApp", "打开批次"))
        progress.setMinimumDuration(400)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.canceled.connect(self._on_read_cancelled)
        self.progress = progress

        def done(opened: Any) -> None:
            if token == self._read_token and not self.closed:
                self._finish_progress()
                self._on_read(raw, opened)
            else:
                opened.close()  # cancelled or superseded: drop its source (and any decrypted copy) now

        def failed(exc: BaseException) -> None:
            if token == self._read_token and not self.closed:
                self._finish_progress()
                self._on_read_failed(raw, exc)

        spool = self.session.spool_dir
        run_in_background(
            lambda: ExpertSession.read(raw, passphrase=passphrase, identity=identity, spool_dir=spool), done, failed
        )

    def _finish_progress(self) -> None:
        self.busy = False
        if self.progress is not None:
            self.progress.canceled.disconnect(self._on_read_cancelled)
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None

    def _on_read_cancelled(self) -> None:
        self._read_token += 1  # the result, when it comes, is dropped
        self._finish_progress()
        self.go_start()

    def _on_read_failed(self, raw: bytes | Path, exc: BaseException) -> None:
        if isinstance(exc, Rejected) and exc.code in PASSPHRASE_CODES:
            self.ask_passphrase(raw, exc.text(self.settings.lang) if exc.code == "age.wrong_passphrase" else "")
            return
        if isinstance(exc, Rejected) and exc.code in IDENTITY_CODES and self._unlocked is None:
            self.ask_key_for_batch(raw, "")
            return
        if isinstance(exc, Rejected):
            self.error(message(exc.code, self.settings.lang), exc.detail)
        else:
            log.exception("batch could not be read", exc_info=exc)
            self.error(QCoreApplication.translate("ExpertApp", "无法打开该文件：%1").replace("%1", str(exc)))

    def ask_key_for_batch(self, raw: bytes | Path, error: str) -> None:
        """A batch encrypted to an expert's key: unlock the key kept on this computer, then read."""
        from tic_desktop.expert.keys import list_keys
        from tic_desktop.ui.expert.key_dialog import KeyDialog

        pubs = list_keys(self.data_dir)  # keys that can be unlocked, newest first
        if not pubs:
            self.error(QCoreApplication.translate(
                "ExpertApp", "该批次已加密给评审专家的密钥，但本机没有您的密钥。请向评审机构索取用口令加密的批次文件。"))
            return
        expert_id = pubs[0].expert_id
        dialog = KeyDialog(expert_id, create=False, error=error, parent=self.window)

        def unlock() -> None:
            passphrase = dialog.value().passphrase

            def done(key: Any) -> None:
                self.busy = False
                self._unlocked = key
                self.read_batch(raw, None, identity=str(key.age_identity))

            def failed(exc: BaseException) -> None:
                self.busy = False
                if isinstance(exc, Rejected):
                    self.ask_key_for_batch(raw, exc.text(self.settings.lang))
                else:
                    raise exc

            self.busy = True
            run_in_background(lambda: self.session.unlock_key(expert_id, passphrase), done, failed)

        self._show(dialog, unlock)

    def ask_passphrase(self, raw: bytes | Path, error: str) -> None:
        from tic_desktop.ui.common.passphrase_dialog import PassphraseDialog

        dialog = PassphraseDialog(self.window, error=error)
        self._show(dialog, lambda: self.read_batch(raw, dialog.value().passphrase))

    def _on_read(self, raw: bytes | Path, opened: Any) -> None:
        self._drop_pending()
        self._raw, self._opened = raw, opened
        refused = self.session.refusal(opened)
        if refused is not None and self.demo and refused.code == NOT_DEMO:
            self.leave_demo()  # a real batch opened from the demo: it goes to the real workspace
            self._raw, self._opened = raw, opened
            refused = self.session.refusal(opened)
        if refused is not None:
            self.refuse(refused)
            self._drop_pending()
            return
        state = self.session.pin_state(opened)
        if state is PinState.CHANGED:
            self.refuse_changed_key(opened)
            self._drop_pending()
        elif state is PinState.NEW:
            from tic_desktop.ui.common.agency_pin_dialog import AgencyPinDialog

            dialog = AgencyPinDialog(opened.manifest.agency.name, opened.agency_fingerprint, self.window,
                                     trusted=self.session.trusted_agencies(), demo=self.demo)
            self._show(dialog, lambda: self._accept(pin=True), self._drop_pending)
        else:
            self._accept(pin=False)

    def _drop_pending(self) -> None:
        """Forget a batch that was read but not accepted, and close it."""
        opened, self._opened, self._raw = self._opened, None, None
        if opened is not None and opened is not self._current_opened():
            opened.close()

    def _current_opened(self) -> Any:
        try:
            return self.session.opened
        except RuntimeError:
            return None

    def refuse(self, exc: Rejected) -> None:
        """A batch that may not be opened here at all: say why, in a message box."""
        log.info("batch refused: %s (%s)", exc.code, exc.detail)
        box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("ExpertApp", "拒绝打开该批次"),
                          message(exc.code, self.settings.lang), QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName(exc.code)
        self._show(box, lambda: None)  # type: ignore[arg-type]
        self.window.start_page.show_error(message(exc.code, self.settings.lang), exc.detail)

    def refuse_changed_key(self, opened: Any) -> None:
        pinned = self.session.pinned_key_for(opened)
        box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("ExpertApp", "拒绝打开：机构密钥已变化"), "", QMessageBox.StandardButton.Ok,
                          self.window)
        box.setText(QCoreApplication.translate("ExpertApp", 
            "该批次声称来自“%1”，但签名密钥与您此前核对并信任的密钥不同。\n\n此前信任：%2\n本文件：%3\n\n"
            "这可能意味着文件被替换或伪造。请不要使用此文件，并通过邀请函上的电话与评审机构核实。"
        ).replace("%1", opened.manifest.agency.name).replace("%2", pinned or "").replace("%3", opened.agency_fingerprint))
        self._show(box, lambda: None)  # type: ignore[arg-type]

    def _accept(self, pin: bool) -> None:
        if not self.session.holds(self._opened):
            self.backup()  # before an import; reopening a kept batch (every start) changes nothing
        try:
            self.session.accept(self._opened, self._raw, pin_new_agency=pin)
        except Rejected as exc:
            self.error(message(exc.code, self.settings.lang), exc.detail)
            return
        finally:
            # the session owns the batch now (or it was refused and is closed); the workspace keeps
            # the file: hold neither here
            self._drop_pending()
        self.refresh_recent()
        self.advance()

    # -- identity, pledge, conflicts -----------------------------------------------------------
    def advance(self) -> None:
        """Take the next step the expert still owes for this batch, or show the review page."""
        s = self.session
        if s.expert is None:
            self.ask_identity()
        elif not s.pledged():
            self.ask_pledge()
        elif not s.conflicts_declared():
            self.ask_conflicts()
        else:
            self.window.bind(s)

    def ask_identity(self) -> None:
        from tic_desktop.ui.expert.identity_dialog import IdentityDialog

        dialog = IdentityDialog(self.session.experts(), self.session.has_key, self.window)
        self._show(dialog, lambda: self.ask_key(dialog.value().expert_id, ""))

    def ask_key(self, expert_id: str, error: str) -> None:
        if self._unlocked is not None and self._unlocked.expert_id == expert_id:
            self.session.choose_expert(expert_id, self._unlocked)
            self.advance()
            return
        from tic_desktop.ui.expert.key_dialog import KeyDialog

        expert = self.session.opened.manifest.expert(expert_id)
        create = not self.session.has_key(expert_id)
        dialog = KeyDialog(expert.name, create=create, error=error, parent=self.window)
        self._show(dialog, lambda: self._make_or_unlock(expert_id, dialog.value().passphrase, create))

    def _make_or_unlock(self, expert_id: str, passphrase: str, create: bool) -> None:
        self.busy = True
        text = QCoreApplication.translate("ExpertApp", "正在生成并加密您的密钥…") if create else QCoreApplication.translate("ExpertApp", "正在解锁您的密钥…")
        progress = QProgressDialog(text, "", 0, 0, self.window)
        progress.setCancelButton(None)
        progress.setMinimumDuration(0)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.show()
        work = self.session.create_key if create else self.session.unlock_key

        def done(key: Any) -> None:
            self.busy = False
            progress.close()
            progress.deleteLater()
            self.session.choose_expert(expert_id, key)
            self.window.statusBar().showMessage(QCoreApplication.translate("ExpertApp", "您的密钥指纹：%1").replace("%1", key.fingerprint), 15000)
            self.advance()

        def failed(exc: BaseException) -> None:
            self.busy = False
            progress.close()
            progress.deleteLater()
            if isinstance(exc, Rejected):
                from tic_desktop.expert.keys import WRONG_PASSPHRASE

                self.ask_key(expert_id, exc.text(self.settings.lang))
                if exc.code != WRONG_PASSPHRASE:
                    log.warning("key step failed: %s", exc)
            else:
                raise exc

        run_in_background(lambda: work(expert_id, passphrase), done, failed)

    def _expert_line(self) -> str:
        from tic_desktop.ui.common.people import role_text

        e = self.session.expert
        assert e is not None
        key = self.session.fingerprint or ""
        return QCoreApplication.translate("ExpertApp", "承诺人：%1（%2）  密钥：%3").replace("%1", e.name).replace("%2", role_text(e.role, e.chair)).replace("%3", key)

    def ask_pledge(self) -> None:
        from tic_desktop.ui.expert.pledge_dialog import PledgeDialog

        dialog = PledgeDialog(self.settings.lang, self._expert_line(), text=self.session.opened.manifest.pledge_text,
                              parent=self.window)
        self._show(dialog, self._on_pledged, self.go_start)

    def _on_pledged(self) -> None:
        self.session.accept_pledge()
        self.advance()

    def show_pledge_read_only(self) -> None:
        from tic_desktop.ui.expert.pledge_dialog import PledgeDialog

        self._show(PledgeDialog(self.settings.lang, self._expert_line(), text=self.session.opened.manifest.pledge_text,
                                read_only=True, parent=self.window),
                   lambda: None)

    def ask_conflicts(self, edit: bool = False) -> None:
        from tic_desktop.ui.expert.conflicts_dialog import ConflictsDialog

        self.window.flush()
        dialog = ConflictsDialog(self.session.assigned(), self.session.conflicts(), self.settings.lang, self.window)
        self._show(dialog, lambda: self._on_conflicts(dialog.value()), None if edit else self.go_start)

    def _on_conflicts(self, declarations: dict) -> None:
        try:
            self.session.declare_conflicts(declarations)
        except Rejected as exc:
            self.error(message(exc.code, self.settings.lang), exc.detail)
            return
        if self.window.ui.stack.currentWidget() is self.window.ui.reviewPage:
            current, self.window.current_id = self.window.current_id, None
            self.window.refresh_rows()
            if current:
                self.window.show_proposal(current)
        else:
            self.advance()

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


