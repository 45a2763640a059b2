"""The printable PDFs of a signed sheet, written beside the `.ticsheet` in the export folder.

The expert prints them, signs each page by hand and hands them in with the sheet: the score sheet
of every scored proposal (`pdf/<proposal_id>.pdf` in the sheet) and the pledge (`pledge.pdf`). They
go into a folder named after the sheet, `<sheet stem>-打印件/`, so that two revisions never mix.
The PDFs are the very members that were signed (their hashes are in `sheet.json`). Writing them is
a convenience after the sheet itself is written and verified: a failure is reported, never undoes
the export (the PDFs are also inside the sheet and can be written again).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tic_desktop.core.atomic import atomic_write, cleanup_stray_temps

FOLDER_SUFFIX = "-打印件"


@dataclass(frozen=True)
class Printables:
    folder: Path
    files: tuple[Path, ...]
    error: str = ""
    """Why some or all PDFs could not be written ("" when all were)."""


def printables_folder(sheet_path: Path) -> Path:
    return sheet_path.with_name(sheet_path.stem + FOLDER_SUFFIX)


def write_printables(sheet_path: Path, members: Mapping[str, bytes]) -> Printables:
    """Write the pledge and score-sheet PDFs among `members` beside `sheet_path` (see the module)."""
    folder = printables_folder(sheet_path)
    names = sorted((n for n in members if n.endswith(".pdf") and (n.startswith("pdf/") or n == "pledge.pdf")),
                   key=lambda n: (n != "pledge.pdf", n))
    written: list[Path] = []
    try:
        folder.mkdir(exist_ok=True)
        # an earlier export killed while writing its printables: that revision's folder is another one
        for earlier in sheet_path.parent.glob("*" + FOLDER_SUFFIX):
            if earlier.is_dir() and not earlier.is_symlink():
                cleanup_stray_temps(earlier)
        for name in names:
            path = folder / name.rsplit("/", 1)[-1]
            atomic_write(path, members[name])
            written.append(path)
    except OSError as exc:
        return Printables(folder, tuple(written), f"{exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - atomic_write's Rejected (disk full, locked): reported, not raised
        return Printables(folder, tuple(written), str(exc))
    return Printables(folder, tuple(written))
