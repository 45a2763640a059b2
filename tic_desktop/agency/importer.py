"""The one import pipeline for score sheets (issue 5): every file, from the file dialog, a folder,
drag and drop or the command line, goes through `import_sheets`.

Per file, in order:
  1. read the bytes; `formats.sheet.read_sheet` against the batch with the agency's age identity
     (size cap → age → ZIP allow-list → SSHSIG → strict JSON → schema → semantics); any failure
     is `rejected` with that code;
  2. the same sheet.json (same SHA-256) already stored → `duplicate`, a no-op;
  3. the expert registry (agency.registry; one key belongs to one expert, across batches): a key
     enrolled for ANOTHER expert → `rejected` (`sheet.key_of_other_expert`); a revoked or rotated key
     of this expert → `rejected` (`sheet.key_revoked`); the expert's valid key is another one →
     `rejected` (`sheet.key_mismatch`). No valid key: when the batch manifest names the expert's key
     (`read_sheet` already checked that the sheet is signed by it) that key is enrolled (source
     `manifest`); otherwise → `unpinned` (nothing stored; the UI shows the fingerprint to compare with
     the paper enrolment sheet) unless `trust_first_use`, which enrols this key (source `first_use`)
     in the same transaction — but only when no file of the run (and no earlier unpinned attempt in
     the import log) shows this expert with another key or this key for another expert; otherwise
     every such file is `rejected` as `pin.first_use_ambiguous` (a forged sheet sorting first cannot
     take the expert's place, and one key signing for E01, E02, E03 gets none of them in);
  4. the replay rules against the expert's stored revisions (`classify`);
  5. the raw file is written to `<ws>/sheets/<raw sha256>.ticsheet` (atomic, never over a file),
     then ONE transaction stores the sheet row (exact sheet.json), the pin, the import_log row and
     the audit event. A crash or error anywhere leaves the workspace as it was before the file.

Where: the work per file is `agency.import_pipeline.Pipeline` (steps 1–5), the outcomes and the import's
own codes `agency.import_outcome`, the replay rules (step 4) `agency.replay.classify`; this module
runs the pipeline, reading ahead in two threads while one file is stored.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tic_desktop.agency.import_outcome import ImportOutcome
from tic_desktop.agency.import_pipeline import Pipeline
from tic_desktop.agency.records import ImportStatus
from tic_desktop.agency.replay import classify
from tic_desktop.agency.workspace import AgencyWorkspace
from tic_desktop.formats.batch import OpenedBatch

SHEET_SUFFIX = ".ticsheet"


def collect_sheet_files(paths: Sequence[Path]) -> list[Path]:
    """Files as given; folders expanded to their *.ticsheet files (not recursive), sorted by name.
    The same file named twice is listed once."""
    out: list[Path] = []
    seen: set[Path] = set()
    for p in paths:
        p = Path(p)
        found = sorted((c for c in p.iterdir() if c.is_file() and c.suffix.lower() == SHEET_SUFFIX),
                       key=lambda c: c.name) if p.is_dir() else [p]
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


READERS = 2
"""Files read, verified and stored ahead of the one being recorded."""


def import_sheets(
    ws: AgencyWorkspace,
    batch: OpenedBatch,
    identity: str,
    paths: Sequence[Path],
    *,
    trust_first_use: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[ImportOutcome]:
    """Import sheet files (folders expanded) into `ws` for `batch`; one outcome per file, in order.

    Each file is stored in one transaction or not at all. A storage failure (disk full, read-only…)
    is raised as the typed `StorageError` after the files before it were imported; the file it hit
    left nothing behind. `cancelled()` is asked before each file."""
    done = _import(ws, [batch], identity, paths, trust_first_use=trust_first_use, progress=progress,
                   cancelled=cancelled, route=False)
    return [out for _batch_id, out in done.outcomes]


@dataclass
class Routed:
    """What `import_routed` did: (batch id, outcome) per file imported, in order, and the files whose
    verified sheet names a batch outside those given (with that batch's id; nothing stored or logged)."""

    outcomes: list[tuple[str, ImportOutcome]]
    foreign: list[tuple[Path, str]]
    cancelled: bool = False


def import_routed(
    ws: AgencyWorkspace,
    batches: Sequence[OpenedBatch],
    identity: str,
    paths: Sequence[Path],
    *,
    trust_first_use: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Routed:
    """`import_sheets` into several batches at once (a round): each file goes to the batch its signed
    sheet names; a file no batch can be told from (unreadable, not decryptable, not a sheet) is
    refused and logged in the first batch."""
    return _import(ws, batches, identity, paths, trust_first_use=trust_first_use, progress=progress,
                   cancelled=cancelled, route=True)


def _import(ws: AgencyWorkspace, batches: Sequence[OpenedBatch], identity: str, paths: Sequence[Path], *,
            trust_first_use: bool, progress: Callable[[int, int], None] | None, cancelled: Callable[[], bool] | None,
            route: bool) -> Routed:
    files = collect_sheet_files(paths)
    pipeline = Pipeline(ws, batches, identity, trust_first_use, route)
    if trust_first_use:
        pipeline.prescan(files, cancelled)
    done = Routed([], [])
    # the next files are read and verified in workers while this one is stored: their decryption,
    # hashing and checks overlap the store's fsyncs (the workspace's rows are only written here)
    with ThreadPoolExecutor(max_workers=READERS, thread_name_prefix="tic-import-read") as reader:
        ahead = deque(reader.submit(pipeline.read, f) for f in files[:READERS])
        for n, path in enumerate(files):
            if cancelled is not None and cancelled():
                done.cancelled = True
                break
            r = ahead.popleft().result()
            if n + READERS < len(files):
                ahead.append(reader.submit(pipeline.read, files[n + READERS]))
            other = r.foreign
            if other is not None:
                done.foreign.append((path, other))
            else:
                done.outcomes.append((pipeline.batch_of(r), pipeline.run(path, r)))
            if progress is not None:
                progress(n + 1, len(files))
        for pending in ahead:  # cancelled: nothing a reader wrote ahead stays behind
            r = pending.result()
            if r.stored and r.raw_sha is not None:
                ws.drop_raw_if_unused("sheets", r.raw_sha)
    return done


__all__ = ["ImportOutcome", "ImportStatus", "Routed", "classify", "collect_sheet_files", "import_routed",
           "import_sheets"]
