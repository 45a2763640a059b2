"""Kill -9 the real app right after a commit was acknowledged; reopening finds everything."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from tests.e2e.flow import wait_until
from tic_desktop.app import create_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sigkill_after_commit_loses_nothing(qtbot, demo_batch: Path, tmp_path: Path) -> None:
    data = Path(os.environ["TIC_DATA_DIR"])
    env = {**os.environ, "TIC_TEST_HOOK": "tests.e2e.kill_driver", "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(ROOT)}
    # the real entry point: `tic-desktop FILE` is cli.main, which starts app.main without a subcommand
    start = "import sys; from tic_desktop.cli import main; sys.exit(main())"
    proc = subprocess.Popen([sys.executable, "-c", start, str(demo_batch)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        line = ""
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if line.startswith("COMMITTED ") or not line and proc.poll() is not None:
                break
        assert line.startswith("COMMITTED "), proc.stderr.read() if proc.poll() is not None else "no commit"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        proc.stdout.close()
        proc.stderr.close()
    committed = json.loads(line.removeprefix("COMMITTED "))
    assert proc.returncode == -signal.SIGKILL

    app = create_app(["tic-desktop"], data_dir=data)
    qtbot.addWidget(app.window)
    wait_until(lambda: app.window.ui.stack.currentWidget() is app.window.ui.reviewPage)
    assert app.window.current_id == committed["proposal"]
    assert app.window.ui.centerTabs.currentIndex() == 2
    answers = app.session.answers(committed["proposal"], committed["form"])
    assert {k: format(v, "f") for k, v in answers.scores.items()} == committed["scores"]
    assert answers.comments and "强行终止" in next(iter(answers.comments.values()))
    shown = app.window.current_form().answers().scores
    assert shown == {k: Decimal(v) for k, v in committed["scores"].items()}
    app.shutdown()
