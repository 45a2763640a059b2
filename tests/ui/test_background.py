"""run_in_background: results reach the GUI thread, and never a widget deleted meanwhile."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QLabel

from tic_desktop.ui.common.background import run_in_background


def test_result_arrives_on_the_gui_thread(qtbot) -> None:
    got: list[tuple[object, bool]] = []
    run_in_background(lambda: 42, lambda v: got.append((v, threading.current_thread() is threading.main_thread())),
                      got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert got == [(42, True)]


def test_a_result_for_a_deleted_owner_is_dropped(qtbot) -> None:
    release = threading.Event()
    label = QLabel()
    seen: list[object] = []

    def slow() -> str:
        release.wait(5)
        return "done"

    run_in_background(slow, lambda v: (seen.append(v), label.setText(str(v))), seen.append, owner=label)
    run_in_background(slow, label.setText, seen.append)  # the owner inferred from the bound method
    label.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(label), timeout=5000)
    marker: list[str] = []
    run_in_background(slow, marker.append, marker.append)
    release.set()
    qtbot.waitUntil(lambda: bool(marker), timeout=5000)
    qtbot.wait(50)
    assert marker == ["done"] and seen == []  # no handler touched the deleted label


def test_progress_reaches_the_gui_thread_in_order_before_the_result(qtbot) -> None:
    events: list[object] = []

    def work(report) -> str:
        for i in range(5):
            report(i, 5)
        return "done"

    def on_progress(done: int, total: int) -> None:
        events.append((done, total, threading.current_thread() is threading.main_thread()))

    run_in_background(work, events.append, events.append, on_progress=on_progress)
    qtbot.waitUntil(lambda: "done" in events, timeout=5000)
    assert events == [(i, 5, True) for i in range(5)] + ["done"]
