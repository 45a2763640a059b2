"""Run inside the real app process (TIC_TEST_HOOK=tests.e2e.kill_scoring_driver): walk the flow,
then type comments without pause on the first form, flushing the autosave every third edit and
printing `ACK <n>` once edits 0..n are committed. The test SIGKILLs the process while it scores."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtWidgets import QApplication

from tests.e2e.flow import walk_to_review


def run(app: Any) -> None:
    walk_to_review(app)
    window = app.window
    form = window._shown_forms[0]  # noqa: SLF001 - the form on screen
    crits = [c.id for c in form.criteria]
    print(
        "START " + json.dumps({"proposal": window.current_id, "form": form.id, "criteria": crits}), flush=True
    )
    n = 0
    while True:  # until killed
        window.forms[0].answerChanged.emit("comment", crits[n % len(crits)], f"第{n}次修改的意见")
        if n % 3 == 2 and window.flush():
            print(f"ACK {n}", flush=True)
        QApplication.processEvents()
        n += 1
