"""Signing from the main window: 审核并签名 → passphrase → export → verified sheet; read-only until 修订."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.flow import PASSPHRASE, wait_until, walk_to_review
from tic_desktop.app import create_app
from tic_desktop.expert.session import Status
from tic_desktop.formats.sheet import read_sheet
from tic_desktop.simulate import _answers_for
from tic_desktop.ui.expert.review_dialog import ReviewDialog


def _score_everything(session: Any) -> None:
    rng = random.Random(7)
    role = session.expert.role
    for p in session.assigned():
        if session.is_conflicted(p.id):
            continue
        session.save_answers([(p.id, f.id, k, i, v) for f in session.forms_for(p.id)
                              for k, i, v in _answers_for(f, p, role, rng, 0.85, {})])


def test_sign_from_main_window_locks_and_revise_unlocks(
    qtbot: Any, demo_batch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    messages: list[tuple[str, str, bool]] = []
    monkeypatch.setattr(ReviewDialog, "_ask_passphrase", lambda self, error: PASSPHRASE)
    monkeypatch.setattr(ReviewDialog, "_ask_folder", lambda self, current: str(usb))
    monkeypatch.setattr(ReviewDialog, "_show_message", lambda self, t, text, warn: messages.append((t, text, warn)))

    app = create_app(["tic-desktop", str(demo_batch)], data_dir=tmp_path / "data")
    window = app.window
    qtbot.addWidget(window)
    walk_to_review(app, {"TJ-BM-04": ("coauthor_3y", "合著论文")})
    session = app.session

    # an incomplete sheet cannot be signed: the dialog names what is missing, nothing is written
    window.ui.reviewButton.click()
    dialog = wait_until(lambda: window.findChild(ReviewDialog))
    dialog.signButton.click()
    assert messages and messages[-1][2] is True and "未评分" in messages[-1][1]
    assert not list(usb.iterdir())
    dialog.close()
    dialog.deleteLater()

    _score_everything(session)
    window.ui.signAction.trigger()
    dialog = wait_until(lambda: next((d for d in window.findChildren(ReviewDialog) if d.isVisible()), None))
    with qtbot.waitSignal(dialog.signed, timeout=60000):  # unlock and export run in the background
        dialog.signButton.click()
        assert dialog.busy and not dialog.signButton.isEnabled() and not dialog.closeButton.isEnabled()
    sheets = list(usb.glob("*.ticsheet"))
    assert len(sheets) == 1, messages
    assert messages[-1][2] is False  # 导出完成
    identity = (demo_batch.parent / "agency" / "agency.agekey").read_text()
    opened = read_sheet(sheets[0], session.opened, identity=identity)
    assert opened.sheet.sheet_seq == 1 and opened.sheet.expert_id == session.expert.id

    # signed: every scored proposal shows 已签名 and its form is read-only
    wait_until(lambda: window.proposals.model().rows()[0].status == Status.SIGNED.value)
    form = window._shown_forms[0]
    criterion = form.criteria[0].id
    assert window.current_form().criterion_row(criterion).score_edit.isReadOnly()
    assert dialog.reviseButton.isEnabled() and not dialog.signButton.isEnabled()

    # revise: editable again, and the next signature is revision 2 superseding the first
    dialog.reviseButton.click()
    wait_until(lambda: window.proposals.model().rows()[0].status == Status.COMPLETE.value)
    assert not window.current_form().criterion_row(criterion).score_edit.isReadOnly()
    with qtbot.waitSignal(dialog.signed, timeout=60000):
        dialog.signButton.click()
    sheets = sorted(usb.glob("*.ticsheet"))
    assert len(sheets) == 2
    seqs = sorted(read_sheet(s, session.opened, identity=identity).sheet.sheet_seq for s in sheets)
    assert seqs == [1, 2]
    second = max((read_sheet(s, session.opened, identity=identity).sheet for s in sheets), key=lambda x: x.sheet_seq)
    assert second.supersedes is not None
