"""Importing sheet files into a round's batches, on the agency service (the app's round page, the
command line and the benchmark):

    result = import_round(ws, round_id, identity, [files or folders], progress=…, cancelled=…)
    result.outcomes[batch_id] -> [ImportOutcome]      result.foreign -> [(file, other batch id)]

Every file goes through the one import pipeline (`agency.importer.import_routed`) with all the round's
batches open: decrypted once, its signed sheet names its batch and is verified in full against it, one
transaction per file. A file naming a batch outside the round is not imported
(`round.sheet_other_batch`); one from which no batch can be told (unreadable, not for this agency's
key, not a sheet) is refused in the round's first batch, whose log says why. `progress(done, total)`
counts files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tic_desktop.agency import round_store
from tic_desktop.agency.importer import ImportOutcome, import_routed
from tic_desktop.agency.service.panel import open_batch
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
    """Import `paths` (files, or folders of *.ticsheet) into the round's batches."""
    batch_ids = list(round_store.get_round(ws, round_id).batch_ids)
    out = RoundImport()
    if not batch_ids:
        from tic_desktop.agency.importer import collect_sheet_files  # noqa: PLC0415

        out.foreign = [(f, "") for f in collect_sheet_files([Path(p) for p in paths])]
        return out
    batches = []
    for batch_id in batch_ids:
        opened = open_batch(ws, batch_id, identity, passphrase=passphrase, own_fingerprint=own_fingerprint)
        # the import reads the manifest, forms and proposals only: the documents' plaintext (the
        # plans, often tens of MB a panel) is let go at once instead of every batch of the round in memory
        opened.close()
        batches.append(opened)
    done = import_routed(ws, batches, identity, [Path(p) for p in paths], trust_first_use=trust_first_use,
                         progress=progress, cancelled=cancelled)
    for batch_id, outcome in done.outcomes:
        out.outcomes.setdefault(batch_id, []).append(outcome)
    out.foreign, out.cancelled = done.foreign, done.cancelled
    return out
