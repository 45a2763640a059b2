"""Shared set-up for the atheris harnesses: a small valid batch and sheet, made once per process,
from the corpus factories in tests/corpus (nothing is read from or written to disk)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "corpus"))
sys.path.insert(0, str(ROOT))


def world() -> Any:
    from batch_factory import make_spec  # noqa: PLC0415
    from sheet_factory import make_world  # noqa: PLC0415

    from tic_desktop.formats.batch import build_batch_zip, read_batch  # noqa: PLC0415
    from tic_desktop.formats.keys import create_agency_keys  # noqa: PLC0415

    keys = create_agency_keys(Path(tempfile.mkdtemp(prefix="tic-fuzz-")) / "agency")
    _, batch_zip = build_batch_zip(make_spec(), keys, created_at="2026-01-05T09:00:00+00:00")
    batch = read_batch(batch_zip, pinned_fingerprint=keys.fingerprint)
    return keys, batch_zip, make_world(batch, str(keys.age_identity), keys.age_recipient)


def seeds(out: Path) -> None:
    """Write seed inputs (valid files) into `out` for a corpus directory."""
    keys, batch_zip, w = world()
    out.mkdir(parents=True, exist_ok=True)
    (out / "valid.ticbatch").write_bytes(batch_zip)
    (out / "valid.ticsheet").write_bytes(w.valid)
    (out / "valid-sheet.zip").write_bytes(w.zip)
