"""Test-wide setup: no display, Chinese UI, and nothing written outside a temporary folder.

The environment is set twice:
- at import time, for what reads it once per process (Qt picks its platform plugin and its
  runtime folder when the first QApplication is made);
- per test by an autouse fixture, so that every test (and every subprocess it starts, which
  inherits os.environ) gets its own TIC_DATA_DIR, HOME and XDG folders under tmp_path.

Fixtures such as `demo_dir` live in the conftest files of tests/unit, tests/ui and tests/e2e.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Qt reads these when the first (Core)Application is made; set them before any test imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["TIC_LANG"] = "zh"
_runtime_dir = Path(tempfile.mkdtemp(prefix="tic-test-runtime-"))
_runtime_dir.chmod(0o700)  # Qt refuses (and warns about) a runtime folder others can read
os.environ["XDG_RUNTIME_DIR"] = str(_runtime_dir)
atexit.register(shutil.rmtree, _runtime_dir, ignore_errors=True)

_HOME_VARS = {
    "HOME": "home",
    "XDG_DATA_HOME": "home/.local/share",
    "XDG_CONFIG_HOME": "home/.config",
    "XDG_CACHE_HOME": "home/.cache",
    "XDG_STATE_HOME": "home/.local/state",
    # Windows equivalents, read by platformdirs there
    "USERPROFILE": "home",
    "APPDATA": "home/AppData/Roaming",
    "LOCALAPPDATA": "home/AppData/Local",
}


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the workspace, HOME and the XDG folders of each test at a fresh temporary folder.

    Uses its own folder (not `tmp_path`) so that a test's `tmp_path` stays empty for the test.
    """
    root = tmp_path_factory.mktemp("env")
    data_dir = root / "data"
    data_dir.mkdir()
    monkeypatch.setenv("TIC_DATA_DIR", str(data_dir))
    for var, rel in _HOME_VARS.items():
        path = root / rel
        path.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(path))
    monkeypatch.setenv("TIC_LANG", "zh")
    return root
