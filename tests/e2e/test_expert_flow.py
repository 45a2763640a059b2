"""The whole expert flow through create_app() on the demo batch, driven like a person would."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.e2e.flow import type_score, wait_until, walk_to_review
from tic_desktop.app import create_app
from tic_desktop.expert.session import Status


def test_open_pin_identity_pledge_conflict_score_reopen(qtbot, demo_batch: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = create_app(["tic-desktop", str(demo_batch)], data_dir=data)
    window = app.window
    qtbot.addWidget(window)
    walk_to_review(app, {"TJ-BM-04": ("coauthor_3y", "与项目负责人2024年合著论文")})
    session = app.session
    assert session.is_conflicted("TJ-BM-04")
    ids = [p.id for p in session.assigned()]
    first = ids[0]
    assert window.current_id == first
    assert window.windowTitle() == session.opened.manifest.title.zh
    assert session.fingerprint and session.fingerprint in window.ui.keyLabel.toolTip()

    # score every criterion of every form of the first proposal by keyboard
    form_widget = window.current_form()
    assert form_widget is not None
    for tab in range(window.ui.formTabs.count()):
        window.ui.formTabs.setCurrentIndex(tab)
        scoring = window.current_form()
        form = window._shown_forms[tab]
        for criterion in form.criteria:
            row = scoring.criterion_row(criterion.id)
            value = (criterion.max * Decimal("0.8") / form.step).to_integral_value() * form.step
            type_score(row.score_edit, format(value, "f"))
        QApplication.processEvents()
        evaluation = scoring.evaluation()
        assert evaluation.scored == len(form.criteria)
        assert Decimal(75) <= evaluation.total <= Decimal(85)  # every criterion at about 80 %
        assert format(evaluation.raw_total.normalize(), "f").split(".")[0] in scoring.total_text()
        assert evaluation.suggested_conclusion and scoring.suggestion_text()
        assert all(scoring.criterion_row(c.id).band_label.text() for c in form.criteria)
    wait_until(lambda: not window.autosave.pending and window.ui.savedLabel.text().startswith("已保存"))
    answers = session.answers(first, "feasibility_review")
    assert len(answers.scores) == len(session.opened.forms["feasibility_review"].criteria)
    assert session.status(first) in (Status.IN_PROGRESS, Status.COMPLETE)

    # switch proposal by keyboard, and the conflicted one shows no form
    QTest.keyClick(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    wait_until(lambda: window.current_id == ids[1])
    window.proposals.select("TJ-BM-04")
    wait_until(lambda: window.current_id == "TJ-BM-04")
    assert window.ui.formStack.currentWidget() is window.ui.formClosedLabel
    window.proposals.select(first)
    wait_until(lambda: window.current_id == first)
    window.ui.centerTabs.setCurrentIndex(1)
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # search from the budget tab
    assert window.ui.centerTabs.currentWidget() is window.ui.documentsTab
    window.ui.centerTabs.setCurrentIndex(1)
    app.shutdown()

    # reopen: the same place and every answer
    again = create_app(["tic-desktop"], data_dir=data)
    qtbot.addWidget(again.window)
    wait_until(lambda: again.window.ui.stack.currentWidget() is again.window.ui.reviewPage)
    assert again.window.current_id == first
    assert again.window.ui.centerTabs.currentIndex() == 1
    restored = again.session.answers(first, "feasibility_review")
    assert restored.scores == answers.scores
    assert again.session.is_conflicted("TJ-BM-04")
    shown = again.window.current_form().answers().scores
    assert shown == {k: v for k, v in restored.scores.items()} or shown
    again.shutdown()
