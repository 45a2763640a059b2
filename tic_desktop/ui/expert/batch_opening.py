"""Opening a batch in the expert flow (a mixin of `ExpertFlow`): read it off the GUI thread from
its file (progress, cancel), ask the passphrase or unlock the expert's own key when it is
encrypted (again on a wrong one), refuse what may not be opened here (the DEMO key in the real
workspace, a look-alike agency name, a changed agency key) in a message box, pin a new agency
after the expert compared its fingerprint, then hand the batch to the session.

A batch is read from its file (never held whole in memory); the session owns the opened batch
once it is accepted, and a read that is not accepted is closed. The dialogs are imported where
they are first shown.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from tic_desktop.core.errors import Rejected, message
from tic_desktop.expert.agency_trust import NOT_DEMO
from tic_desktop.expert.session import ExpertSession, PinState, probe
from tic_desktop.ui.common.background import run_in_background

if TYPE_CHECKING:
    from tic_desktop.ui.common.settings import Settings
    from tic_desktop.ui.expert.main_window import MainWindow

# The dialogs below are imported where they are first shown.
# ruff: noqa: PLC0415

log = logging.getLogger(__name__)
PASSPHRASE_CODES = {"age.passphrase_required", "age.wrong_passphrase"}
IDENTITY_CODES = {"age.identity_required", "age.wrong_identity"}


class BatchOpening:
    """What ExpertFlow provides: the window, the session (the demo's while the demo runs), the
    settings, `_show(dialog, on_accept, on_reject)`, `error`, `go_start`, `advance`, `backup`."""

    window: MainWindow
    session: ExpertSession
    settings: Settings
    data_dir: Path
    demo: bool
    closed: bool
    busy: bool
    progress: QProgressDialog | None
    _raw: bytes | Path | None
    _opened: Any
    _read_token: int
    _unlocked: Any

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
