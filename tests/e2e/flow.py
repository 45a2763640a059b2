"""Walking the expert flow through the real dialogs (shared by the e2e, screenshot and kill tests)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from tic_desktop.ui.common.agency_pin_dialog import AgencyPinDialog
from tic_desktop.ui.expert.conflicts_dialog import ConflictsDialog
from tic_desktop.ui.expert.identity_dialog import IdentityDialog
from tic_desktop.ui.expert.key_dialog import KeyDialog
from tic_desktop.ui.expert.pledge_dialog import PledgeDialog

PASSPHRASE = "Haihe river 2026"


def wait_until(condition: Callable[[], Any], timeout: float = 30.0) -> Any:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QApplication.processEvents()
        value = condition()
        if value:
            return value
        time.sleep(0.005)
    raise AssertionError("timed out waiting")


def wait_dialog(app: Any, kind: type[QDialog], timeout: float = 30.0) -> Any:
    return wait_until(lambda: app.dialog if isinstance(app.dialog, kind) and app.dialog.isVisible() else None,
                      timeout)


def pin_agency(app: Any, shot: Callable[[str, Any], None] | None = None) -> None:
    dialog = wait_dialog(app, AgencyPinDialog)
    if shot:
        shot("02-agency-pin", dialog)
    dialog.ui.comparedCheck.setChecked(True)
    dialog.ui.buttonBox.accepted.emit()


def choose_identity(app: Any, expert_id: str = "E01", shot: Callable[[str, Any], None] | None = None) -> None:
    dialog = wait_dialog(app, IdentityDialog)
    dialog.select(expert_id)
    if shot:
        shot("03-identity", dialog)
    dialog.ui.buttonBox.accepted.emit()
    key = wait_dialog(app, KeyDialog)
    key.ui.passphraseEdit.setText(PASSPHRASE)
    if key.ui.confirmEdit.isVisible():
        key.ui.confirmEdit.setText(PASSPHRASE)
        key.ui.understoodCheck.setChecked(True)
    if shot:
        shot("04-key", key)
    key.ui.buttonBox.accepted.emit()


def accept_pledge(app: Any, shot: Callable[[str, Any], None] | None = None) -> None:
    dialog = wait_dialog(app, PledgeDialog, timeout=60)
    dialog.ui.acceptCheck.setChecked(True)
    if shot:
        shot("05-pledge", dialog)
    dialog.ui.buttonBox.accepted.emit()


def declare_conflicts(app: Any, conflicted: dict[str, tuple[str, str]],
                      shot: Callable[[str, Any], None] | None = None) -> None:
    dialog = wait_dialog(app, ConflictsDialog)
    for pid, check, combo, note in dialog.rows():
        if pid in conflicted:
            code, text = conflicted[pid]
            check.setChecked(True)
            combo.setCurrentIndex(combo.findData(code))
            note.setText(text)
    if shot:
        shot("06-conflicts", dialog)
    dialog.ui.buttonBox.accepted.emit()


def walk_to_review(app: Any, conflicted: dict[str, tuple[str, str]] | None = None,
                   shot: Callable[[str, Any], None] | None = None) -> None:
    pin_agency(app, shot)
    choose_identity(app, shot=shot)
    accept_pledge(app, shot)
    declare_conflicts(app, conflicted or {}, shot)
    wait_until(lambda: app.window.ui.stack.currentWidget() is app.window.ui.reviewPage)


def key_click(widget: Any, key: Qt.Key, text: str = "") -> None:
    from PySide6.QtTest import QTest

    QTest.keyClick(widget, key, Qt.KeyboardModifier.NoModifier)


def type_score(widget: Any, text: str) -> None:
    """Focus a score field, type the value and Tab out, as a person does."""
    from PySide6.QtTest import QTest

    widget.window().activateWindow()
    widget.setFocus()
    wait_until(widget.hasFocus, 5)
    widget.selectAll()
    QTest.keyClicks(widget, text)
    QTest.keyClick(widget, Qt.Key.Key_Tab)
