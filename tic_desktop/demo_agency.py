"""The agency demo: an agency folder with the DEMO-ONLY keys, the demo source and batch in a
workspace, and sheets returned as if every expert of the demo batch had scored.

A top-level tool beside `demo` and `simulate` (it uses both), above `agency`: the agency's own
modules never import the demo.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from tic_desktop.agency import keys as ak
from tic_desktop.agency.service import open_workspace
from tic_desktop.demo import (
    DEMO_BATCH_NAME,
    build_demo_source,
    copy_demo_keys,
    is_current_demo_batch,
    write_demo_batch,
)
from tic_desktop.formats import batch as fbatch
from tic_desktop.formats.allowed_signers import parse_allowed_signers


def prepare_agency_demo(folder: Path) -> Path:
    """An agency folder to try the agency side with: the DEMO-ONLY keys in `folder/keys/`, the demo
    source folder in `folder/source/` (for the batch wizard), the demo batch kept in the workspace
    `folder/agency.db`, and the demo agency's name. Idempotent; returns `folder`."""
    folder = Path(folder)
    if (folder / "batch" / DEMO_BATCH_NAME).exists() and not is_current_demo_batch(folder / "batch" / DEMO_BATCH_NAME):
        # an agency demo left by an older version: its batch is not the one the expert demo signs
        # sheets against (one demo batch serves both demos), so the throwaway folder starts again
        shutil.rmtree(folder)
    if not ak.has_keys(folder / "keys"):
        copy_demo_keys(folder / "keys")
    if not (folder / "source").exists():
        build_demo_source(folder / "source")
    batch = folder / "batch" / DEMO_BATCH_NAME
    if not batch.exists():
        write_demo_batch(folder / "batch")
    identity = (folder / "keys" / "agency.agekey").read_text("ascii")
    ws = open_workspace(folder / "agency.db", check_location=False)
    try:
        if not ws.batches():
            ws.add_batch(batch, identity, own_fingerprint=ak.public_info(folder / "keys").fingerprint, allow_demo=True)
        if not ak.agency_name(folder):
            with fbatch.read_batch(batch) as opened:
                ak.save_agency_name(folder, opened.manifest.agency.name)
    finally:
        ws.close()
    return folder


def demo_returned_sheets(folder: Path) -> Path:
    """Signed sheets as if every expert of the demo batch had scored (`simulate`), in
    `folder/returned/` with their `allowed_signers`. Idempotent; slow the first time (every sheet's
    PDFs are rendered): callers run it off the GUI thread. Their keys are registered only when they
    are imported (`register_demo_keys`), so that a sheet the newcomer signed in the expert demo can
    be imported (and its key confirmed) first."""
    from tic_desktop.simulate import simulate  # noqa: PLC0415 - the expert side's signing, only when needed

    folder = Path(folder)
    returned = folder / "returned"
    if not returned.exists():
        with tempfile.TemporaryDirectory(prefix="tic-demo-sheets-", dir=folder) as tmp:
            simulate(folder / "batch" / DEMO_BATCH_NAME, Path(tmp) / "returned", seed=7)
            shutil.move(str(Path(tmp) / "returned"), returned)  # whole or not at all
    return returned


def register_demo_keys(folder: Path) -> list[Path]:
    """Register the simulated experts' keys in the demo workspace (the enrolment sheets of a real
    round) for every expert who has no key registered yet; returns the simulated sheets whose
    expert's registered key is the simulated one (an expert whose own demo sheet was imported
    first keeps that key, and the simulated sheet is left out)."""

    returned = Path(folder) / "returned"
    text = (returned / "allowed_signers").read_text("utf-8")
    keys = parse_allowed_signers(text)
    ws = open_workspace(Path(folder) / "agency.db", check_location=False)
    try:
        files: list[Path] = []
        for info in ws.batches():
            pinned = set(ws.pins(info.batch_id))
            lines = [line for line in text.splitlines() if line.split(" ", 1)[0] not in pinned]
            if lines:
                ws.pin_allowed_signers(info.batch_id, "\n".join(lines) + "\n")
            pins = ws.pins(info.batch_id)
            files += [sheet for sheet in sorted(returned.glob("*.ticsheet"))
                      if sheet.stem in pins and pins[sheet.stem].fingerprint in keys.get(sheet.stem, [])]
    finally:
        ws.close()
    return files
