"""The child processes of bench/bench_app.py: each prints one line `BENCH {json}` and exits.

- `python -m bench._app_child bare`: the baseline, a bare PySide6 QMainWindow (1280x800) shown;
  reports once the event loop has gone round after show().
- the app, started the real way (`python -m tic_desktop` with TIC_TEST_HOOK=bench._app_child and a
  prepared TIC_DATA_DIR): `run(app)` below reports once the review page is bound and the event
  loop has gone round after it (`ready`), and again once QtPdf has rendered the first page of the
  document on screen (`first_page`).

Times are time.monotonic() (one clock for the whole machine), so the parent subtracts the moment
it started the process. Memory is the peak resident set size so far (`maxrss_mib`), in MiB.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

MARK = "BENCH "
WATCHDOG_MS = 120_000
PAGE_WAIT_MS = 15_000


def maxrss_mib() -> float | None:
    """Peak resident set size of this process so far, in MiB.

    On Linux ru_maxrss survives exec: a child forked from a big parent (the bench process) starts
    with the parent's peak. The memory map's own high-water mark, VmHWM, starts afresh at exec,
    so it is read there; elsewhere ru_maxrss (None on Windows).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    try:
        import resource  # noqa: PLC0415 - not on Windows
    except ImportError:
        return None
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 1024  # bytes on macOS, KiB elsewhere


def report(**values: Any) -> None:
    print(MARK + json.dumps(values), flush=True)


def bare() -> int:
    from PySide6.QtCore import QTimer  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: PLC0415

    qapp = QApplication(sys.argv)
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()

    def ready() -> None:
        report(ready=time.monotonic(), rss_ready_mib=maxrss_mib(), visible=window.isVisible())
        qapp.quit()

    QTimer.singleShot(0, ready)
    return qapp.exec()


def run(app: Any) -> None:
    """TIC_TEST_HOOK entry: called by tic_desktop.app.main after create_app, before exec()."""
    from PySide6.QtCore import QTimer  # noqa: PLC0415
    from PySide6.QtPdf import QPdfPageRenderer  # noqa: PLC0415

    window = app.window
    state: dict[str, Any] = {}
    # QPdfView renders pages in a thread through its own QPdfPageRenderer; its signal says when
    # the first page's image is ready (the view then paints it on the next round of the loop)
    renderer = window.viewer._view.findChild(QPdfPageRenderer)  # noqa: SLF001 - no public hook

    def finish(**extra: Any) -> None:
        if state.get("done"):
            return
        state["done"] = True
        report(
            ready=state.get("ready"),
            first_page=state.get("first_page"),
            rss_ready_mib=state.get("rss_ready_mib"),
            rss_mib=maxrss_mib(),
            proposal=window.current_id,
            proposals=len(app.session.assigned()),
            review=window.ui.stack.currentWidget() is window.ui.reviewPage,
            document=window.viewer.current_path(),
            **extra,
        )
        app.shutdown()
        app.qapp.quit()

    def page_shown() -> None:
        state["first_page"] = time.monotonic()
        if "ready" in state:
            finish()

    def on_rendered(page: int, *_args: Any) -> None:
        if page == 0 and state.get("bound") and not state.get("page0"):
            state["page0"] = True
            QTimer.singleShot(0, page_shown)  # after the view has painted the image

    def idle() -> None:
        state["ready"] = time.monotonic()
        state["rss_ready_mib"] = maxrss_mib()
        if "first_page" in state or window.viewer.current_path() is None or renderer is None:
            finish()
        else:
            QTimer.singleShot(PAGE_WAIT_MS, lambda: finish(error="first page not rendered"))

    bind = window.bind

    def bound(session: Any) -> None:
        bind(session)
        if not state.get("bound"):
            state["bound"] = True
            QTimer.singleShot(0, idle)

    def watchdog() -> None:
        report(
            error="no review page",
            dialog=type(app.dialog).__name__ if app.dialog is not None else None,
            status=window.statusBar().currentMessage(),
        )
        app.qapp.exit(3)

    if renderer is not None:
        renderer.pageRendered.connect(on_rendered)
    window.bind = bound  # type: ignore[method-assign] - an instance attribute shadows the method
    QTimer.singleShot(WATCHDOG_MS, watchdog)


if __name__ == "__main__":
    if sys.argv[1:] != ["bare"]:
        sys.exit(
            f"usage: python -m bench._app_child bare (the app child runs through TIC_TEST_HOOK); got {sys.argv[1:]}"
        )
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(bare())
