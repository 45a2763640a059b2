"""The round's output files, written by `agency.service.round.write_round_exports` beside round.csv
and the per-batch folders:

    round.pdf          the round's report (reports.round_pdf)
    round.xlsx         the round's tables (reports.round_xlsx)
    publication.pdf    the 公示 list with its notice (reports.publication)
    publication.xlsx   the same as a workbook

Each file is written atomically and checked before it lands; the notice is checked first, so a
template with an unknown placeholder refuses the export before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tic_desktop.core.atomic import atomic_write
from tic_desktop.core.round_results import RoundReport
from tic_desktop.reports.consolidated_pdf import check_pdf
from tic_desktop.reports.notice import check_notice
from tic_desktop.reports.publication import write_publication
from tic_desktop.reports.round_pdf import render_round_pdf
from tic_desktop.reports.round_xlsx import write_round_xlsx

Progress = Callable[[int, int], None]
FILES = ("round.pdf", "round.xlsx", "publication.pdf", "publication.xlsx")


def write_round_outputs(out_dir: Path, report: RoundReport, progress: Progress | None = None) -> list[Path]:
    """round.pdf, round.xlsx, publication.pdf and publication.xlsx in `out_dir`; `progress(done, total)`
    while round.pdf is drawn (per panel proposal)."""
    if report.notice.strip():
        check_notice(report.notice)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pdf = out / "round.pdf"
    atomic_write(pdf, render_round_pdf(report, progress), verify=check_pdf, mode=0o644)
    return [pdf, write_round_xlsx(out / "round.xlsx", report), *write_publication(out, report)]
