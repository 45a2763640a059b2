"""Batches for tests of the expert's REAL workspace: the demo content signed with a fresh agency key.

The demo batch itself (signed with the public DEMO-ONLY key) opens only in a demo session; tests of
the real flow use this instead. The keys are written to `out_dir/agency/` as `write_demo_batch`
copies the demo ones, so `out_dir/agency/agency.agekey` decrypts the sheets either way.
"""

from __future__ import annotations

from pathlib import Path

from tic_desktop.demo import write_demo_batch
from tic_desktop.formats.keys import create_agency_keys


def write_test_batch(out_dir: Path, kind: str = "feasibility_review", passphrase: bytes | None = None) -> Path:
    out_dir = Path(out_dir)
    agency = out_dir / "agency"
    create_agency_keys(agency)
    return write_demo_batch(out_dir, kind, passphrase, agency_dir=agency)
