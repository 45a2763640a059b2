"""Coverage-guided fuzzing of `formats.batch.read_batch` with atheris (Linux/macOS; optional).

    pip install atheris            # not a dependency of the app
    python fuzz/atheris_batch.py -atheris_runs=200000 fuzz/corpus-batch
    python fuzz/atheris_batch.py --seeds fuzz/corpus-batch      # write the valid seed files first

Each input is read as a batch with the agency fingerprint pinned. Any exception other than
`core.errors.Rejected` is a crash.
"""

from __future__ import annotations

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
        from tic_desktop.formats.batch import read_batch  # noqa: PLC0415
    keys, _batch_zip, _w = world()

    def one(data: bytes) -> None:
        try:
            with read_batch(data, pinned_fingerprint=keys.fingerprint):
                pass
        except Rejected:
            pass

    atheris.Setup(sys.argv, one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
