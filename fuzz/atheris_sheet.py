"""Coverage-guided fuzzing of `formats.sheet.read_sheet` with atheris (Linux/macOS; optional).

    pip install atheris            # not a dependency of the app
    python fuzz/atheris_sheet.py -atheris_runs=200000 fuzz/corpus-sheet
    python fuzz/atheris_sheet.py --seeds fuzz/corpus-sheet      # write the valid seed files first

Each input is tried twice: as the whole .ticsheet file, and as the plaintext ZIP encrypted to the
agency (so the fuzzer also explores the ZIP, signature, JSON and semantic layers, which a mutated
ciphertext never reaches). Any exception other than `core.errors.Rejected` is a crash.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from _common import seeds, world


def main() -> None:
    if "--seeds" in sys.argv:
        seeds(Path(sys.argv[sys.argv.index("--seeds") + 1]))
        return
    import atheris  # noqa: PLC0415

    with atheris.instrument_imports():
        from tic_desktop.core.errors import Rejected  # noqa: PLC0415
        from tic_desktop.formats import sheet as sf  # noqa: PLC0415
    _keys, _batch_zip, w = world()
    kwargs = w.read_kwargs()

    def one(data: bytes) -> None:
        for source in (data, w.encrypt(data, w.agency_recipient) if data else b""):
            with contextlib.suppress(Rejected):
                sf.read_sheet(source, w.batch, **kwargs)

    atheris.Setup(sys.argv, one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
