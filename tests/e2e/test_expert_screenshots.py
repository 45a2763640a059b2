"""Screenshots of each main screen, for people to look at: TIC_SCREENSHOT_DIR (default a temp dir).

    TIC_SCREENSHOT_DIR=docs/screenshots pytest tests/e2e/test_expert_screenshots.py
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from tests.e2e.flow import type_score, wait_until, walk_to_review
from tic_desktop.app import create_app


def _grab(folder: Path, name: str, widget: QWidget) -> Path:
    QApplication.processEvents()
    widget.repaint()
    path = folder / f"{name}.png"
    assert widget.grab().save(str(path), "PNG", 0)  # 0: smallest file
    return path


def test_screenshots_of_each_screen(qtbot, demo_batch: Path, tmp_path: Path) -> None:
    folder = Path(os.environ.get("TIC_SCREENSHOT_DIR") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    data = tmp_path / "data"
    written: list[Path] = []

    def shot(name: str, widget: Any) -> None:
        written.append(_grab(folder, name, widget))

    app = create_app(["tic-desktop"], data_dir=data)
    window = app.window
    qtbot.addWidget(window)
    window.resize(1280, 800)
    shot("01-start", window)
    app.open_file(str(demo_batch))
    walk_to_review(app, {"TJ-BM-04": ("helped_write", "")}, shot)
    window.resize(1280, 800)
    wait_until(lambda: window.viewer.isVisible())
    QTest.qWait(300)  # first PDF page rendered
    shot("07-main-window", window)

    # a few scores, one extreme without its comment, then ask for the problems
    form = window._shown_forms[0]
    scoring = window.current_form()
    for criterion in form.criteria[:6]:
        row = scoring.criterion_row(criterion.id)
        value = criterion.max if criterion is form.criteria[0] else (
            criterion.max * Decimal("0.7") / form.step).to_integral_value() * form.step
        type_score(row.score_edit, format(value, "f"))
    wait_until(lambda: window.ui.savedLabel.text().startswith("已保存"))
    scoring.focus_first_problem()
    QTest.qWait(100)
    shot("08-validation", window)
    window.ui.centerTabs.setCurrentIndex(1)
    shot("09-budget", window)
    window.proposals.select("TJ-BM-04")
    wait_until(lambda: window.current_id == "TJ-BM-04")
    shot("10-conflicted", window)
    for path in written:
        assert path.stat().st_size > 5000, path
    app.shutdown()
