"""Closing the expert window while edits cannot be saved asks first; 不关闭 keeps everything."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.e2e.flow import walk_to_review
from tic_desktop.app import create_app


def _answer(label: str, seen: list[str]) -> None:
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    seen.append(box.text())
    next(b for b in box.buttons() if b.text() == label).click()


def test_close_with_unsaved_edits_asks_and_can_be_cancelled(qtbot, tmp_path: Path, monkeypatch) -> None:
    from tests.batches import write_test_batch

    batch = write_test_batch(tmp_path / "demo")
    app = create_app(["tic-desktop", str(batch)], data_dir=tmp_path / "data")
    qtbot.addWidget(app.window)
    walk_to_review(app)
    window = app.window
    window.show()
    monkeypatch.setattr(window, "flush", lambda: False)  # the disk refuses every commit
    seen: list[str] = []

    QTimer.singleShot(0, lambda: _answer("不关闭", seen))
    assert not window.close()
    assert window.isVisible() and window.ui.banner.isVisible()
    assert "关闭程序会丢失这些修改" in seen[0]

    QTimer.singleShot(0, lambda: _answer("仍然关闭（丢失修改）", seen))
    assert window.close()
    assert not window.isVisible()
    app.shutdown()
