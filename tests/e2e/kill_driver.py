"""Run inside the real app process (TIC_TEST_HOOK=tests.e2e.kill_driver): walk the flow on the
batch given on the command line, score the first proposal, and print COMMITTED once the
workspace acknowledged the commit. The test then kills the process with SIGKILL."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import Any

from tests.e2e.flow import wait_until, walk_to_review


def run(app: Any) -> None:
    walk_to_review(app)
    window = app.window
    pid = window.current_id
    form = window._shown_forms[0]  # noqa: SLF001 - the form on screen
    scores = {}
    for criterion in form.criteria[:5]:
        value = (criterion.max * Decimal("0.6") / form.step).to_integral_value() * form.step
        window.forms[0].answerChanged.emit("score", criterion.id, value)
        scores[criterion.id] = format(value, "f")
    window.forms[0].answerChanged.emit("comment", form.criteria[0].id, "进程被强行终止前写入的意见")
    window.ui.centerTabs.setCurrentIndex(2)
    wait_until(lambda: not window.autosave.pending and window.autosave.last_saved)
    print("COMMITTED " + json.dumps({"proposal": pid, "form": form.id, "scores": scores}), flush=True)
    sys.stdout.flush()
