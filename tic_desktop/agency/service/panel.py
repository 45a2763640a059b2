"""One panel (batch) of the agency: open the workspace, add and open a batch, import sheets,
consolidate, build the report data, write the four exports. The app's pages and `tic-desktop
consolidate` call exactly these; see the package docstring.

Which files the report lists as not used (`rejected_files`), the same for the app and the command
line: per file (the newest import attempt of each path) a refusal (`rejected`, or `unpinned` — the
key was never confirmed) whose sheet is not stored after all, and every file whose sheet is stored
but stands in an unresolved conflict (`sheet.conflict`: same expert, same revision, other content).
`accepted_file_count` counts the other files of the log that were stored or were duplicates/older
revisions.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from tic_desktop.agency.importer import ImportOutcome, import_sheets
from tic_desktop.agency.inputs import consolidation_inputs, signer_keys
from tic_desktop.agency.records import BatchInfo
from tic_desktop.agency.workspace import AgencyWorkspace
from tic_desktop.core.consolidation import Consolidation, ProposalInput
from tic_desktop.core.consolidation import consolidate as _consolidate
from tic_desktop.core.errors import message
from tic_desktop.formats.batch import OpenedBatch
from tic_desktop.reports.report_data import RejectedFile, ReportData, report_data

Progress = Callable[[int, int], None]
CONFLICT = "sheet.conflict"


def open_workspace(path: Path, *, check_location: bool = True) -> AgencyWorkspace:
    """The agency workspace at `path` (created or migrated on first use)."""
    return AgencyWorkspace.open(Path(path), check_location=check_location)


@contextlib.contextmanager
def temporary_workspace(prefix: str = "tic-consolidate-") -> Iterator[AgencyWorkspace]:
    """A workspace in a temporary folder, removed afterwards (the command line's stateless runs)."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        ws = open_workspace(Path(tmp) / "agency.db", check_location=False)
        try:
            yield ws
        finally:
            ws.close()


def add_batch(ws: AgencyWorkspace, path: Path, identity: str, *, own_fingerprint: str | None = None,
              passphrase: bytes | None = None, allow_demo: bool = False) -> BatchInfo:
    return ws.add_batch(path, identity, own_fingerprint=own_fingerprint, passphrase=passphrase, allow_demo=allow_demo)


def open_batch(ws: AgencyWorkspace, batch_id: str, identity: str, *, passphrase: bytes | None = None,
               own_fingerprint: str | None = None) -> OpenedBatch:
    return ws.open_batch(batch_id, identity, passphrase=passphrase, own_fingerprint=own_fingerprint)


def pin_allowed_signers(ws: AgencyWorkspace, batch_id: str, text: str) -> int:
    return ws.pin_allowed_signers(batch_id, text)


def import_files(ws: AgencyWorkspace, batch: OpenedBatch, identity: str, paths: Sequence[Path], *,
                 trust_first_use: bool = False, progress: Progress | None = None,
                 cancelled: Callable[[], bool] | None = None) -> list[ImportOutcome]:
    """The one import pipeline (`agency.importer.import_sheets`)."""
    return import_sheets(ws, batch, identity, paths, trust_first_use=trust_first_use, progress=progress,
                         cancelled=cancelled)


def panel_inputs(ws: AgencyWorkspace, batch: OpenedBatch) -> list[ProposalInput]:
    """What consolidation takes: per proposal and form, the entries of the experts' current sheets."""
    return consolidation_inputs(batch, [r.sheet() for r in ws.current_sheets(batch.manifest.batch_id)])


def consolidate(ws: AgencyWorkspace, batch: OpenedBatch) -> Consolidation:
    """The batch consolidated from the current sheets and the chair's veto decisions."""
    return _consolidate(panel_inputs(ws, batch), ws.veto_decisions(batch.manifest.batch_id))


def _latest(ws: AgencyWorkspace, batch_id: str) -> list[ImportOutcome]:
    latest: dict[str, ImportOutcome] = {}
    for outcome in ws.import_log(batch_id):
        latest[outcome.path] = outcome
    return list(latest.values())


def sheet_states(ws: AgencyWorkspace, batch_id: str) -> dict[str, str]:
    """sheet SHA-256 → its state (current / superseded / conflict) for `not_used`."""
    return {r.sheet_sha256: r.state for r in ws.sheets(batch_id)}


def not_used(o: ImportOutcome, states: dict[str, str]) -> RejectedFile | None:
    """Why a file's import does not count (None when it does): see the module docstring."""
    state = states.get(o.sheet_sha256 or "")
    if state == "conflict" and o.status != "duplicate":
        return RejectedFile(name=o.file_name, code=CONFLICT, reason_zh=message(CONFLICT, "zh"),
                            reason_en=message(CONFLICT, "en"))
    if not o.counted and state is None:
        return RejectedFile(name=o.file_name, code=o.code or o.status, reason_zh=o.message("zh"),
                            reason_en=o.message("en"))
    return None


def rejected_files(ws: AgencyWorkspace, batch_id: str) -> tuple[RejectedFile, ...]:
    """The files the report lists as not used, and why (see the module docstring)."""
    states = sheet_states(ws, batch_id)
    return tuple(r for o in _latest(ws, batch_id) if (r := not_used(o, states)) is not None)


def accepted_file_count(ws: AgencyWorkspace, batch_id: str) -> int:
    states = sheet_states(ws, batch_id)
    return sum(1 for o in _latest(ws, batch_id) if o.counted and not_used(o, states) is None)


def build_report(ws: AgencyWorkspace, batch: OpenedBatch, generated_at: str | None = None) -> ReportData:
    """The report of the batch as stored now: consolidation, panel opinions, meeting, files not used,
    the signing keys. `generated_at` defaults to now (ISO, local time)."""
    batch_id = batch.manifest.batch_id
    inputs = panel_inputs(ws, batch)
    result = _consolidate(inputs, ws.veto_decisions(batch_id))
    from tic_desktop.agency.scan_store import with_section  # noqa: PLC0415

    report = report_data(
        batch, result, generated_at=generated_at or datetime.now().astimezone().isoformat(timespec="seconds"),
        opinions=ws.opinions(batch_id), rejected=rejected_files(ws, batch_id),
        accepted_files=accepted_file_count(ws, batch_id), inputs=tuple(inputs), meeting=ws.meeting(batch_id),
        signers=signer_keys(ws, batch_id),
    )
    return with_section(report, ws, batch)  # the scanned paper checklist, when the batch has scans


def write_exports(out_dir: Path, report: ReportData, progress: Progress | None = None, *,
                  signer: Any = None) -> list[Path]:
    """consolidated.pdf, results.xlsx, results.csv, scores.csv and panel_opinions.docx in `out_dir`
    (atomic, verified); `signer` (`formats.docsign.DocumentSigner`): consolidated.pdf signed (PAdES)."""
    from tic_desktop.reports.exports import write_all  # noqa: PLC0415 - reportlab only when writing

    Path(out_dir).mkdir(parents=True, exist_ok=True)
    return list(write_all(Path(out_dir), report, progress=progress, signer=signer))


def report_for(ws: AgencyWorkspace, batch_id: str, identity: str, **kw: Any) -> ReportData:
    """Open the batch, build its report, close it."""
    with open_batch(ws, batch_id, identity, **kw) as batch:
        return build_report(ws, batch)
