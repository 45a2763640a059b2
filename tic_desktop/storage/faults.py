"""Named crash points for durability tests.

`TIC_FAULT=<name>[,<name>...]` in the environment makes `fault_point(name)` end the process at
once with `os._exit(137)` (as SIGKILL would: no cleanup, no flush, no finally). Points in use:
`after_tmp_write`, `before_replace`, `after_replace` (storage.atomic), `mid_backup`
(storage.backup) and `mid_import` (inside the batch import transaction, storage.workspace).
"""

from __future__ import annotations

import os

FAULT_ENV = "TIC_FAULT"
FAULT_POINTS = frozenset({"after_tmp_write", "before_replace", "after_replace", "mid_backup", "mid_import"})
FAULT_EXIT_CODE = 137


def fault_point(name: str) -> None:
    """Crash here if the environment asks for it; costs one dict lookup otherwise."""
    if name not in FAULT_POINTS:
        raise ValueError(f"unknown fault point {name!r}")
    wanted = os.environ.get(FAULT_ENV)
    if wanted and name in wanted.split(","):
        os._exit(FAULT_EXIT_CODE)
