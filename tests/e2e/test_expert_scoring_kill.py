"""Kill -9 the real app in the middle of scoring (edits being typed and committed); reopening it
finds a whole workspace holding every comment whose commit was acknowledged."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.e2e.flow import wait_until
from tic_desktop.app import create_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sigkill_while_scoring_loses_no_acknowledged_edit(qtbot, demo_batch: Path) -> None:
    data = Path(os.environ["TIC_DATA_DIR"])
    env = {
        **os.environ,
        "TIC_TEST_HOOK": "tests.e2e.kill_scoring_driver",
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(ROOT),
    }
    start = "import sys; from tic_desktop.cli import main; sys.exit(main())"
    proc = subprocess.Popen(
        [sys.executable, "-c", start, str(demo_batch)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)  # type: ignore[arg-type]
    reader.start()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and sum(line.startswith("ACK") for line in lines) < 20:
            assert proc.poll() is None, "the app ended before it was killed"
            time.sleep(0.05)
        time.sleep(0.3)  # well into the typing: kill it between or inside commits
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        reader.join(10)
        proc.stdout.close()  # type: ignore[union-attr]
    assert proc.returncode == -signal.SIGKILL
    info = json.loads(next(line for line in lines if line.startswith("START ")).removeprefix("START "))
    acked = max(int(line.split()[1]) for line in lines if line.startswith("ACK "))
    crits = info["criteria"]

    app = create_app(["tic-desktop"], data_dir=data)
    qtbot.addWidget(app.window)
    wait_until(lambda: app.window.ui.stack.currentWidget() is app.window.ui.reviewPage)
    ws = app.session.workspace
    assert ws.integrity_check() == ["ok"]
    ws.verify_audit_chain()
    comments = app.session.answers(info["proposal"], info["form"]).comments
    for index, crit in enumerate(crits):
        # the last edit of this criterion that was acknowledged, or a later one that got in before the kill
        last = max((n for n in range(acked + 1) if n % len(crits) == index), default=-1)
        found = re.match(r"^第(\d+)次修改的意见$", comments.get(crit, ""))
        assert last < 0 or (found and int(found.group(1)) >= last), (crit, comments.get(crit), last)
    assert not list(data.rglob(".tic-tmp-*"))
    app.shutdown()
