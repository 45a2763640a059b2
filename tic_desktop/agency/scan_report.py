"""`scan_matches.csv` and `scan_matches.pdf` (issue 15): the scan matching written out (no Qt).

scan_matches.csv — UTF-8 with a byte order mark, one row per scanned page (in scan order) and then
one per signed proposal sheet, or missing page of one, without paper:

    page,expert_id,proposal_id,sheet_seq,status,source_file,page_of,reason,batch_id,digest,scan_sha256,manual

`page` is the page's number within its scan file (empty on `no_paper` rows), `status` one of
matched / older_revision / no_record / unreadable / no_paper, `page_of` the code's "i/n", `digest` the
16 hex characters of the code (or of the signed sheet for `no_paper`), `manual` `yes` for a page a
person matched by hand. Text cells are inert (reports.inert).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tic_desktop.agency.scan_match import MatchResult
from tic_desktop.core.atomic import atomic_write
from tic_desktop.reports.inert import inert_row

CSV_NAME = "scan_matches.csv"
PDF_NAME = "scan_matches.pdf"
CSV_COLUMNS = ("page", "expert_id", "proposal_id", "sheet_seq", "status", "source_file", "page_of", "reason",
               "batch_id", "digest", "scan_sha256", "manual")


def csv_bytes(result: MatchResult) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for r in result.rows:
        w.writerow(inert_row([
            "" if r.page is None else str(r.page), r.expert_id, r.proposal_id,
            "" if r.sheet_seq is None else str(r.sheet_seq), r.status, r.source_file, r.page_of, r.reason,
            r.batch_id, r.digest, r.scan_sha256, "yes" if r.manual else "",
        ]))
    return buf.getvalue().encode("utf-8-sig")


def write_outputs(out_dir: Path, result: MatchResult, *, batch_id: str, batch_title: str, generated_at: str,
                  experts: Mapping[str, str] | None = None, thumbnails: Mapping[tuple[str, int], bytes] | None = None,
                  scans: int = 0) -> Sequence[Path]:
    """Write scan_matches.csv and scan_matches.pdf into `out_dir` (created when missing)."""
    from tic_desktop.reports.scan_pdf import render_scan_checklist  # noqa: PLC0415

    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path = out_dir / CSV_NAME
    atomic_write(csv_path, csv_bytes(result), mode=0o644)
    pdf = render_scan_checklist(batch_id=batch_id, batch_title=batch_title, generated_at=generated_at,
                                checks=result.checks, rows=result.rows, experts=experts, thumbnails=thumbnails,
                                scans=scans)
    pdf_path = out_dir / PDF_NAME
    atomic_write(pdf_path, pdf, mode=0o644)
    return (csv_path, pdf_path)


def expert_names(batch: Any) -> dict[str, str]:
    return {e.id: e.name for e in batch.manifest.experts}
