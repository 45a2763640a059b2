"""Run inside the real app process (TIC_TEST_HOOK=tests.e2e.start_state_driver): print the garbage
collector's state once the app is built (`tic-desktop` starts with it off, issue 14) and quit."""

from __future__ import annotations

import gc
import json
from typing import Any


def run(app: Any) -> None:
    from PySide6.QtCore import QTimer

    print("STATE " + json.dumps({"gc_enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}), flush=True)

    def quit_() -> None:
        app.shutdown()
        app.qapp.quit()

    QTimer.singleShot(0, quit_)  # once the event loop runs (this is called just before it starts)
