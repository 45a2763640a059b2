"""The expert's steps before the review page, in the expert flow (a mixin of `ExpertFlow`): choose
yourself among the batch's experts, create or unlock your key (off the GUI thread), sign the
pledge, declare conflicts of interest; `advance` takes the next step still owed or shows the
review page. The dialogs are imported where they are first shown.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QProgressDialog

from tic_desktop.core.errors import Rejected, message
from tic_desktop.ui.common.background import run_in_background

if TYPE_CHECKING:
    from tic_desktop.expert.session import ExpertSession
    from tic_desktop.ui.common.settings import Settings
    from tic_desktop.ui.expert.main_window import MainWindow

# The dialogs below are imported where they are first shown.
# ruff: noqa: PLC0415

log = logging.getLogger(__name__)


class ExpertSteps:
    """What ExpertFlow provides: the window, the session, the settings, `_show`, `error`, `go_start`."""

    window: MainWindow
    session: ExpertSession
    settings: Settings
    busy: bool
    _unlocked: Any

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
