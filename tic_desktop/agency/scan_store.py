"""Scanned paper in the agency workspace (issue 15; tables `scans`, `scan_pages`, `scan_manual_matches`).

A scan file is kept as `<workspace folder>/scans/<sha256><suffix>` — the SHA-256 of the file's bytes,
the suffix lower-cased (`.pdf`, `.jpg`, `.jpeg`, `.png`, `.tif`, `.tiff`) — and never overwritten or
deleted; `scans` lists which batch each belongs to (one row per batch and file), `scan_pages` the QR
texts read on each page (by file hash: the same file decodes the same) with a PNG thumbnail, and
`scan_manual_matches` the pages a person matched by hand, with the reason (audited; the newest match
of a page counts). What a page *is* (matched, older revision, …) is worked out each time from the
stored sheets (`check`), so a new revision imported later changes the checklist at once.

    scan_store.decode_scan(path, known=)            # in a worker: DecodedScan (no workspace access)
    scan_store.add_scan(ws, batch_id, decoded)      # store the file and its pages; audited `scan.add`
    scan_store.scans(ws, batch_id) -> [ScanRecord]  # for the archive: path, sha256, name, size, pages
    scan_store.match_by_hand(ws, batch_id, sha, page, expert_id, proposal_id, reason, sheet_page=, sheet_pages=)
    scan_store.check(ws, batch_id) -> MatchResult   # rows and the checklist (agency.scan_match)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tic_desktop.agency import scan_decode
from tic_desktop.agency.scan_match import MatchResult, Revision, ScannedPage, match, revisions_of
from tic_desktop.core.atomic import atomic_write
from tic_desktop.core.errors import Rejected, register
from tic_desktop.formats import page_code
from tic_desktop.formats.page_code import DIGEST_CHARS, PageCode
from tic_desktop.storage.store import now

REASON_REQUIRED = register("scan.reason_required", "人工匹配须填写理由。", "A match by hand needs a reason.")
PAGE_UNKNOWN = register("scan.page_unknown", "工作区中没有这一扫描页。", "The workspace has no such scanned page.")
PAGE_HAS_CODE = register("scan.page_has_code", "这一页的二维码已识别，不需要人工匹配。",
                         "This page's QR code was read; it needs no match by hand.")
NO_SUCH_SHEET = register("scan.no_such_sheet", "该专家没有包含这一项目的有效评分表。",
                         "The expert has no valid sheet with this proposal.")


@dataclass(frozen=True)
class DecodedScan:
    path: Path
    raw: bytes
    sha256: str
    pages: tuple[scan_decode.DecodedPage, ...]
    reused: bool = False
    """The workspace had this file's pages already (nothing was decoded)."""


@dataclass(frozen=True)
class ScanRecord:
    batch_id: str
    scan_sha256: str
    file_name: str
    suffix: str
    size: int
    pages: int
    added_at: str
    path: Path
    """`<workspace folder>/scans/<scan_sha256><suffix>`."""


def scan_path(ws: Any, sha256: str, suffix: str) -> Path:
    return Path(ws.folder) / "scans" / f"{sha256}{suffix.lower()}"


def known_sha256s(ws: Any) -> set[str]:
    return {r["scan_sha256"] for r in ws.query("SELECT DISTINCT scan_sha256 FROM scan_pages")}


def decode_scan(path: Path, *, known: set[str] | frozenset[str] = frozenset(),
                progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> DecodedScan:
    """Read and decode one scan file (no workspace access: safe in a worker). A file whose hash is in
    `known` is not decoded again (`reused`)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise Rejected(scan_decode.SCAN_UNREADABLE_FILE, f"{path}: {exc.strerror or exc}") from None
    sha = hashlib.sha256(raw).hexdigest()
    if path.suffix.lower() not in scan_decode.SCAN_SUFFIXES:
        raise Rejected(scan_decode.SCAN_NOT_SCAN, str(path))
    if sha in known:
        return DecodedScan(path, raw, sha, (), reused=True)
    pages = scan_decode.decode_files([path], progress=progress, cancelled=cancelled)
    return DecodedScan(path, raw, sha, tuple(pages))


def add_scan(ws: Any, batch_id: str, scan: DecodedScan) -> bool:
    """Keep the file (by hash, never overwritten) and its decoded pages; False when the batch already
    has this file. One transaction with the audit event `scan.add`."""
    ws.batch(batch_id)  # the batch must exist
    suffix = scan.path.suffix.lower()
    target = scan_path(ws, scan.sha256, suffix)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)

        def same(candidate: Path) -> None:
            if hashlib.sha256(candidate.read_bytes()).hexdigest() != scan.sha256:
                raise ValueError("stored scan differs from the file read")

        atomic_write(target, scan.raw, verify=same)
    with ws.transaction() as conn:
        if conn.execute("SELECT 1 FROM scans WHERE batch_id = ? AND scan_sha256 = ?",
                        (batch_id, scan.sha256)).fetchone():
            return False
        pages = conn.execute("SELECT count(*) FROM scan_pages WHERE scan_sha256 = ?", (scan.sha256,)).fetchone()[0]
        if not pages:
            for p in scan.pages:
                conn.execute("INSERT INTO scan_pages (scan_sha256, page, codes, reason, thumbnail) "
                             "VALUES (?, ?, ?, ?, ?)",
                             (scan.sha256, p.index, json.dumps(list(p.texts), ensure_ascii=False), p.reason,
                              p.thumbnail))
            pages = len(scan.pages)
        conn.execute("INSERT INTO scans (batch_id, scan_sha256, file_name, suffix, size, pages, added_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (batch_id, scan.sha256, scan.path.name, suffix, len(scan.raw), pages, now()))
        ws.log(conn, "scan.add", {"batch_id": batch_id, "scan_sha256": scan.sha256, "file_name": scan.path.name,
                                  "pages": pages, "size": len(scan.raw)})
    return True


def scans(ws: Any, batch_id: str | None = None) -> list[ScanRecord]:
    """The scans of one batch (or of every batch), in the order they were added."""
    sql = "SELECT * FROM scans" + (" WHERE batch_id = ?" if batch_id is not None else "") + " ORDER BY added_at, file_name"
    rows = ws.query(sql, (batch_id,) if batch_id is not None else ())
    return [ScanRecord(r["batch_id"], r["scan_sha256"], r["file_name"], r["suffix"], r["size"], r["pages"],
                       r["added_at"], scan_path(ws, r["scan_sha256"], r["suffix"])) for r in rows]


def thumbnail(ws: Any, scan_sha256: str, page: int) -> bytes:
    rows = ws.query("SELECT thumbnail FROM scan_pages WHERE scan_sha256 = ? AND page = ?", (scan_sha256, page))
    return bytes(rows[0]["thumbnail"]) if rows else b""


def _manual(ws: Any, batch_id: str) -> dict[tuple[str, int], dict[str, Any]]:
    rows = ws.query("SELECT * FROM scan_manual_matches WHERE batch_id = ? ORDER BY id", (batch_id,))
    return {(r["scan_sha256"], r["page"]): r for r in rows}  # the newest counts


def scanned_pages(ws: Any, batch_id: str) -> list[ScannedPage]:
    """Every page of the batch's scans, in order, with its code (or the match a person made)."""
    manual = _manual(ws, batch_id)
    out: list[ScannedPage] = []
    for scan in scans(ws, batch_id):
        rows = ws.query("SELECT page, codes, reason FROM scan_pages WHERE scan_sha256 = ? ORDER BY page",
                        (scan.scan_sha256,))
        for r in rows:
            codes = [c for c in (page_code.parse(t) for t in json.loads(r["codes"])) if c is not None]
            codes.sort(key=lambda c: c.page is None)
            code: PageCode | None = codes[0] if codes else None
            hand = ""
            m = manual.get((scan.scan_sha256, r["page"]))
            if code is None and m is not None:
                code = PageCode(batch_id, m["expert_id"], m["proposal_id"], m["sheet_seq"], m["sheet_page"],
                                m["sheet_pages"] if m["sheet_page"] is not None else None, m["digest"][:DIGEST_CHARS])
                hand = m["reason"]
            out.append(ScannedPage(scan.file_name, r["page"], code, r["reason"], scan.scan_sha256, hand))
    return out


def revisions(ws: Any, batch_id: str) -> list[Revision]:
    return revisions_of((r.sheet(), r.state == "current") for r in ws.sheets(batch_id))


def check(ws: Any, batch_id: str) -> MatchResult:
    """The batch's scans matched against its stored sheets (see agency.scan_match)."""
    return match(batch_id, scanned_pages(ws, batch_id), revisions(ws, batch_id))


def match_by_hand(ws: Any, batch_id: str, scan_sha256: str, page: int, expert_id: str, proposal_id: str,
                  reason: str, *, sheet_page: int | None = None, sheet_pages: int | None = None) -> None:
    """A person says an unreadable page is (a page of) the expert's current sheet of `proposal_id`.
    Refused without a reason, for a page whose code was read, or when there is no such current sheet."""
    reason = reason.strip()
    if not reason:
        raise Rejected(REASON_REQUIRED)
    rows = ws.query("SELECT p.codes FROM scan_pages p JOIN scans s ON s.scan_sha256 = p.scan_sha256 "
                    "WHERE s.batch_id = ? AND p.scan_sha256 = ? AND p.page = ?", (batch_id, scan_sha256, page))
    if not rows:
        raise Rejected(PAGE_UNKNOWN, f"{scan_sha256[:12]} p.{page}")
    if any(page_code.parse(t) is not None for t in json.loads(rows[0]["codes"])):
        raise Rejected(PAGE_HAS_CODE, f"{scan_sha256[:12]} p.{page}")
    current = next((r for r in revisions(ws, batch_id) if r.current and r.expert_id == expert_id), None)
    if current is None or proposal_id not in current.proposals:
        raise Rejected(NO_SUCH_SHEET, f"{expert_id} {proposal_id}")
    if sheet_page is not None and (sheet_pages is None or not 1 <= sheet_page <= sheet_pages):
        raise ValueError("sheet_page needs sheet_pages ≥ it")
    with ws.transaction() as conn:
        conn.execute("INSERT INTO scan_manual_matches (batch_id, scan_sha256, page, expert_id, proposal_id, sheet_seq, "
                     "digest, sheet_page, sheet_pages, reason, matched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (batch_id, scan_sha256, page, expert_id, proposal_id, current.sheet_seq, current.digest,
                      sheet_page, sheet_pages if sheet_page is not None else None, reason, now()))
        ws.log(conn, "scan.match_by_hand", {
            "batch_id": batch_id, "scan_sha256": scan_sha256, "page": page, "expert_id": expert_id,
            "proposal_id": proposal_id, "sheet_seq": current.sheet_seq, "sheet_page": sheet_page,
            "sheet_pages": sheet_pages, "reason": reason})


def decoded_as_pages(decoded: Sequence[scan_decode.DecodedPage], source: Callable[[Path], str] = lambda p: p.name,
                     sha256: str = "") -> list[ScannedPage]:
    """ScannedPages of freshly decoded pages (the command line, which keeps nothing)."""
    return [ScannedPage(source(d.source), d.index, d.code, d.reason, sha256) for d in decoded]


def report_section(ws: Any, batch_id: str, experts: dict[str, str] | None = None) -> Any:
    """The consolidated report's scan section (`reports.scan_pdf.ScanSection`), or None when the batch
    has no scans."""
    from tic_desktop.reports.scan_pdf import ScanSection  # noqa: PLC0415

    kept = scans(ws, batch_id)
    if not kept:
        return None
    result = check(ws, batch_id)
    thumbs = {(r.scan_sha256, r.page): thumbnail(ws, r.scan_sha256, r.page)
              for r in result.rows if r.status == "unreadable" and r.page is not None}
    return ScanSection(result.checks, result.rows, dict(experts or {}), thumbs, len(kept))


def with_section(report: Any, ws: Any, batch: Any) -> Any:
    """`report` (reports.report_data.ReportData) with the batch's scan checklist as its last section, when
    the workspace holds scans of the batch; else `report` unchanged."""
    import dataclasses  # noqa: PLC0415

    batch_id = batch.manifest.batch_id
    section = report_section(ws, batch_id, {e.id: e.name for e in batch.manifest.experts})
    return report if section is None else dataclasses.replace(report, scans=section)
