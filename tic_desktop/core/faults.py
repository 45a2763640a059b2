"""Named crash points for durability tests.

`TIC_FAULT=<name>[,<name>...]` in the environment makes `fault_point(name)` end the process at
once with `os._exit(137)` (as SIGKILL would: no cleanup, no flush, no finally). Points in use:

  after_tmp_write, before_replace, after_replace   core.atomic (every file write)
  mid_backup                                       storage.backup (between copied pages)
  mid_restore                                      storage.backup (old workspace set aside, copy not yet in place)
  mid_import                                       storage.workspace (inside the import transaction)
  before_commit, after_commit                      storage.workspace (every transaction: changes made,
                                                   COMMIT not yet run / run but not yet returned)
  mid_sign                                         expert.sheet_export (signed and encrypted, nothing written)
  mid_export                                       expert.sheet_export (kept copy written, chosen folder not yet)
  before_record                                    expert.sheet_export (both files written, not yet recorded)

The kill harness (bench/kill_harness.py) runs every one of them (tests/unit/test_kill_harness.py).
"""

from __future__ import annotations

import os

FAULT_ENV = "TIC_FAULT"
FAULT_POINTS = frozenset({
    "after_tmp_write", "before_replace", "after_replace", "mid_backup", "mid_restore", "mid_import",
    "before_commit", "after_commit", "mid_sign", "mid_export", "before_record",
})
FAULT_EXIT_CODE = 137


def fault_point(name: str) -> None:
    """Crash here if the environment asks for it; costs one dict lookup otherwise."""
    if name not in FAULT_POINTS:
        raise ValueError(f"unknown fault point {name!r}")
    wanted = os.environ.get(FAULT_ENV)
    if wanted and name in wanted.split(","):
        os._exit(FAULT_EXIT_CODE)
