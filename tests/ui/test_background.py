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



def test_pause_gc_holds_the_collector_only_while_the_job_runs_and_freezes_nothing(qtbot) -> None:
    """pause_gc=True (the round page's import and consolidation): the cyclic collector is off while
    the job runs and back on after it, with nothing left in the permanent generation (the round page
    used to gc.freeze() for good everything its jobs left alive)."""
    import gc

    assert gc.isenabled() and gc.get_freeze_count() == 0
    started, release = threading.Event(), threading.Event()
    kept: list[object] = []
    done: list[object] = []

    def job() -> str:
        started.set()
        release.wait(5)
        kept.append([[] for _ in range(1000)])  # objects the job leaves alive
        return "done"

    run_in_background(job, done.append, done.append, pause_gc=True)
    qtbot.waitUntil(started.is_set, timeout=5000)
    assert not gc.isenabled()  # process-wide, but only while the job runs
    release.set()
    qtbot.waitUntil(lambda: done == ["done"], timeout=5000)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    run_in_background(gc.isenabled, done.append, done.append)  # without pause_gc: untouched
    qtbot.waitUntil(lambda: len(done) == 2, timeout=5000)
    assert done[1] is True


def test_paused_gc_counts_overlapping_jobs_and_keeps_a_collector_that_was_off_off() -> None:
    import gc

    from tic_desktop.ui.common.gc_pause import paused_gc

    with paused_gc():
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the other job still runs
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
