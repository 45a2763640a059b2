"""PyInstaller runtime hook: let the frozen app find a TIC_TEST_HOOK module outside the bundle.

A frozen app ignores PYTHONPATH, so `TIC_TEST_HOOK=bench._app_child` (tic_desktop.app.main imports
it after create_app) would not be found: bench/bench_bundle.py sets TIC_TEST_HOOK_PATH to the
repository to time the frozen start exactly as bench/bench_app.py times the unfrozen one. Only
when both variables are set, and appended after the bundle so bundled modules always win; it
grants nothing PYTHONPATH does not grant an unfrozen Python.
"""

import os
import sys

_path = os.environ.get("TIC_TEST_HOOK_PATH")
if _path and os.environ.get("TIC_TEST_HOOK"):
    sys.path.append(_path)
del _path
