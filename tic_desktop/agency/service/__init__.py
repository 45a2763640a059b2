"""The agency service: the ONE Qt-free place that opens an agency workspace, imports sheets,
consolidates, builds the report data and writes the exports — for one panel (`service.panel`) and for
an evaluation round (`service.round`). The app's pages (ui/…) and the command line (cli…) call these
functions and assemble nothing themselves, so the app and `tic-desktop consolidate` produce the same
report from the same sheets.
"""

from __future__ import annotations

from tic_desktop.agency.service.panel import (
    accepted_file_count,
    add_batch,
    build_report,
    consolidate,
    import_files,
    not_used,
    open_batch,
    open_workspace,
    panel_inputs,
    pin_allowed_signers,
    rejected_files,
    sheet_states,
    temporary_workspace,
    write_exports,
)

__all__ = [
    "accepted_file_count", "add_batch", "build_report", "consolidate", "import_files", "open_batch",
    "open_workspace", "not_used", "panel_inputs", "pin_allowed_signers", "rejected_files", "sheet_states", "temporary_workspace",
    "write_exports",
]
