"""Guard against the PySide6 6.12.0 bug that takes us down (DESIGN.md §7).

On Python 3.11, PySide6 6.12.0 decrements `None`'s reference count on every call to a Qt method
that returns void; after a few thousand calls the count reaches zero and the interpreter aborts
with "Fatal Python error: none_dealloc". We pin PySide6==6.11.3 and check here, in a separate
process (an abort would kill pytest itself), that many void calls leave `None` alone.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CALLS = 20_000
MARGIN = 100  # None's count moves a little as the interpreter works; the bug loses one per call

_PROBE = textwrap.dedent(
    f"""
    import json, sys
    from PySide6.QtCore import QCoreApplication, QObject, QTimer

    app = QCoreApplication.instance() or QCoreApplication([])
    obj = QObject()
    timer = QTimer()
    before = sys.getrefcount(None)
    for i in range({CALLS}):
        obj.setObjectName("probe")   # void
        timer.stop()                 # void
        timer.setInterval(i % 1000)  # void
    after = sys.getrefcount(None)
    import PySide6
    print(json.dumps({{"before": before, "after": after, "version": PySide6.__version__}}))
    """
)


def test_void_qt_calls_keep_none_refcount() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120, env=env
    )
    assert proc.returncode == 0, (
        f"the probe died (exit {proc.returncode}); a PySide6 that corrupts None's refcount aborts "
        f"with 'Fatal Python error: none_dealloc':\n{proc.stdout}\n{proc.stderr[-3000:]}"
    )
    counts = json.loads(proc.stdout.strip().splitlines()[-1])
    lost = counts["before"] - counts["after"]
    assert lost <= MARGIN, (
        f"PySide6 {counts['version']}: None lost {lost} references over {3 * CALLS} void calls "
        f"({counts['before']} -> {counts['after']})"
    )


def test_pyside6_pin_is_exact() -> None:
    """pyproject.toml pins PySide6==6.11.3 exactly: 6.12.0 has the bug above."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pyside = [d for d in project["dependencies"] if re.match(r"^\s*pyside6\b", d, re.IGNORECASE)]
    assert [d.replace(" ", "") for d in pyside] == ["PySide6==6.11.3"]
