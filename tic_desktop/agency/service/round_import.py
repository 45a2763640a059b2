"""Importing sheet files into a round's batches, on the agency service (the app's round page and
the benchmark; the command line routes the same way, `service.round.route_sheets`):

    result = import_round(ws, round_id, identity, [files or folders], progress=…, cancelled=…)
    result.outcomes[batch_id] -> [ImportOutcome]      result.foreign -> [(file, other batch id)]

Each file is routed to the batch it names (decrypted with the agency key, not yet verified), then
every batch's files go through the one import pipeline (`service.panel.import_files`: full
verification, one transaction per file). A file naming a batch outside the round is not imported
(`round.sheet_other_batch`). `progress(done, total)` counts files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tic_desktop.agency import round_store
from tic_desktop.agency.importer import ImportOutcome, collect_sheet_files
from tic_desktop.agency.service.panel import import_files, open_batch
from tic_desktop.agency.service.round import route_sheets
from tic_desktop.agency.workspace import AgencyWorkspace

Progress = Callable[[int, int], None]


@dataclass
class RoundImport:
    outcomes: dict[str, list[ImportOutcome]] = field(default_factory=dict)
    foreign: list[tuple[Path, str]] = field(default_factory=list)
    cancelled: bool = False

    @property
    def used(self) -> int:
        return sum(1 for items in self.outcomes.values() for o in items if o.counted)

    @property
    def not_used(self) -> int:
        return len(self.foreign) + sum(1 for items in self.outcomes.values() for o in items if not o.counted)


def import_round(ws: AgencyWorkspace, round_id: str, identity: str, paths: Sequence[Path], *,
                 own_fingerprint: str | None = None, passphrase: bytes | None = None, trust_first_use: bool = False,
                 progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> RoundImport:
    """Route and import `paths` (files, or folders of *.ticsheet) into the round's batches."""
    batch_ids = list(round_store.get_round(ws, round_id).batch_ids)
    files = collect_sheet_files([Path(p) for p in paths])
    out = RoundImport()
    if not batch_ids:
        out.foreign = [(f, "") for f in files]
        return out
    routed, out.foreign = route_sheets(files, identity, batch_ids)
    total, done = len(files), len(out.foreign)
    if progress is not None:
        progress(done, total)
    for batch_id in batch_ids:
        if not routed[batch_id]:
            continue
        if cancelled is not None and cancelled():
            out.cancelled = True
            break
        base = done

        def tick(k: int, _n: int, base: int = base) -> None:
            if progress is not None:
                progress(base + k, total)

        with open_batch(ws, batch_id, identity, passphrase=passphrase, own_fingerprint=own_fingerprint) as batch:
            out.outcomes[batch_id] = import_files(ws, batch, identity, routed[batch_id],
                                                  trust_first_use=trust_first_use, progress=tick, cancelled=cancelled)
        done += len(routed[batch_id])
    return out
