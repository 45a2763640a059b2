"""What the expert's first screen does not need is not imported at start-up (issue 14): the
workspace runs on plain sqlite3, and reportlab, the agency code and the consolidate command are
imported when something needs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# what `python -m tic_desktop` imports before its window shows (cli → app → the expert flow, its
# main window and the session, the workspace), plus the batch reader the start uses
START = ("import tic_desktop.cli, tic_desktop.app, tic_desktop.ui.expert.expert_flow, tic_desktop.ui.expert.main_window, "
         "tic_desktop.expert.session, tic_desktop.storage.workspace, tic_desktop.formats.batch")
LATER = ("sqlite_utils", "reportlab", "tic_desktop.agency", "tic_desktop.reports", "tic_desktop.cli.consolidate",
         "tic_desktop.expert.signing", "tic_desktop.formats.sheet")


def test_start_up_does_not_import_what_the_first_screen_does_not_draw() -> None:
    code = f"{START}; import sys, json; print(json.dumps(sorted(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    early = sorted(m for m in loaded if any(m == p or m.startswith(p + ".") for p in LATER))
    assert early == [], f"imported at start-up: {early}"


def test_the_workspace_still_offers_sqlite_utils_on_demand(tmp_path: Path) -> None:
    from tic_desktop.storage.workspace import Workspace

    ws = Workspace.open(tmp_path / "workspace.db", check_location=False)
    try:
        assert "audit_log" in set(ws.db.table_names())
    finally:
        ws.close()


def test_the_app_imports_its_qt_free_modules_before_pyside6() -> None:
    """PySide6 reads the source of every module imported after it (its `__feature__` switch): the
    start imports pydantic, the batch models, the workspace and the batch reader first (issue 14)."""
    code = (
        "import json, sys, types\n"
        "import gc\n"
        "stub = types.ModuleType('tic_desktop.app')\n"
        "def main(argv):\n"
        "    got = {m: m in sys.modules for m in ('pydantic', 'tic_desktop.expert.session',\n"
        "           'tic_desktop.formats.batch', 'tic_desktop.storage.workspace', 'PySide6')}\n"
        "    print(json.dumps({**got, 'gc_enabled': gc.isenabled()}))\n"
        "    return 0\n"
        "stub.main = main\n"
        "sys.modules['tic_desktop.app'] = stub\n"
        "import tic_desktop.cli\n"
        "sys.exit(tic_desktop.cli.main([]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert loaded == {"pydantic": True, "tic_desktop.expert.session": True, "tic_desktop.formats.batch": True,
                      "tic_desktop.storage.workspace": True, "PySide6": False, "gc_enabled": False}


def test_the_garbage_collector_is_on_again_once_the_app_is_built(tmp_path: Path) -> None:
    """`tic-desktop` starts with the cyclic collector off (its passes over what the start builds cost
    ~30 ms); once the window is built it is on again, and nothing is left frozen (issue 14)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", "TIC_DATA_DIR": str(tmp_path / "data"),
           "TIC_TEST_HOOK": "tests.e2e.start_state_driver", "TIC_LANG": "zh"}
    out = subprocess.run([sys.executable, "-m", "tic_desktop"], env=env, cwd=ROOT, capture_output=True, text=True,
                         timeout=120, check=True)
    [line] = [line for line in out.stdout.splitlines() if line.startswith("STATE ")]
    assert json.loads(line[len("STATE "):]) == {"gc_enabled": True, "frozen": 0}
